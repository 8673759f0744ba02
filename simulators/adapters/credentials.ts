/**
 * Reads the fleet credentials file the platform writes when it provisions the demo fleet, with
 * the fleet's own reader (one parser for the file its writer defines), and says how to get one.
 */
import { CredentialsFileError, readCredentialsFile } from '../../services/fleet/adapters/credentials-file.ts';
import type { FleetCredentialsFile } from '../../shared/contracts/index.ts';

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export async function loadFleetCredentials(path: string): Promise<FleetCredentialsFile> {
  try {
    return readCredentialsFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CredentialsError(
        `no fleet credentials at ${path}: start the platform with DEMO_FLEET=on once (it writes this file), or pass --credentials <file>`,
      );
    }
    if (error instanceof CredentialsFileError) throw new CredentialsError(error.message);
    throw new CredentialsError(`cannot read fleet credentials ${path}: ${(error as Error).message}`);
  }
}

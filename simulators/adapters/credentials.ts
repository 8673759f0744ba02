/** Reads the fleet credentials file the platform writes when it provisions the demo fleet. */
import { readFile } from 'node:fs/promises';
import { FleetCredentialsFile } from '../../shared/contracts/index.ts';

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export async function loadFleetCredentials(path: string): Promise<FleetCredentialsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CredentialsError(
        `no fleet credentials at ${path}: start the platform with DEMO_FLEET=on once (it writes this file), or pass --credentials <file>`,
      );
    }
    throw new CredentialsError(`cannot read fleet credentials ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = FleetCredentialsFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CredentialsError(`${path} is not a fleet credentials file:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}

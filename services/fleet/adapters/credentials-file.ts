/** The demo fleet's credentials file: every simulated device's record and plain MQTT secret. */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DEMO_CREDENTIALS_FILE, FleetCredentialsFile } from '../../../shared/contracts/index.ts';

export const demoCredentialsPath = (dataDir: string): string => join(dataDir, DEMO_CREDENTIALS_FILE);

/**
 * Writes the file readable by its owner only (0600: it holds secrets) and atomically: the
 * content goes to a temp file beside it, then a rename replaces the old file, so a simulator
 * reading at the same moment sees the old file or the new one, never half of one.
 */
export function writeCredentialsFile(path: string, credentials: FleetCredentialsFile): void {
  const content = `${JSON.stringify(FleetCredentialsFile.parse(credentials), null, 2)}\n`;
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx' creates it fresh, so the mode applies and no one else's file is reused.
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, content);
      // On disk before the rename, or a crash could leave an empty file under the real name.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The mode given to open is masked by the umask; 0600 is what we mean, whatever the umask.
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export class CredentialsFileError extends Error {
  override name = 'CredentialsFileError';
}

/** Reads and validates the file; throws CredentialsFileError saying what is wrong with it. */
export function readCredentialsFile(path: string): FleetCredentialsFile {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CredentialsFileError(`${path}: not JSON (${(error as Error).message})`);
  }
  const parsed = FleetCredentialsFile.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CredentialsFileError(`${path}: not a fleet credentials file (${first.join('; ')})`);
  }
  return parsed.data;
}

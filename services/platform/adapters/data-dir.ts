/**
 * DATA_DIR holds the admin token, the demo fleet's device secrets and every database: it is
 * its owner's only (issue 15: it used to be 755 and the databases 644, readable by every local
 * user). New files are created 0600 where they are written; this tightens what already exists
 * at start-up, e.g. a directory made by an older version.
 */
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/**
 * Creates DATA_DIR 0700 if needed, and sets 0700 on it and its subfolders, 0600 on its files
 * (one level down). Answers what could not be changed (e.g. a bind mount owned by another
 * user: EPERM) for a warning: the platform still starts, as it did before.
 */
export function secureDataDir(dir: string): string[] {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  const problems: string[] = [];
  const tighten = (path: string, mode: number) => {
    try {
      chmodSync(path, mode);
    } catch (error) {
      problems.push(`${path}: ${(error as Error).message}`);
    }
  };
  tighten(dir, DATA_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tighten(path, DATA_DIR_MODE);
    else if (entry.isFile()) tighten(path, DATA_FILE_MODE);
  }
  return problems;
}

/**
 * The fleet CLI as an operator runs it: a child process (`npx tsx services/fleet/cli.ts …`) on
 * a temporary DATA_DIR, made before the calling describe block's tests and removed after them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface FleetCliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface FleetCli {
  run(args: readonly string[], env?: Record<string, string>): FleetCliRun;
  /** The DATA_DIR the CLI works on (its binpulse.db is the registry). */
  readonly dataDir: string;
}

/** Call inside a describe block: registers the DATA_DIR's setup and removal as its hooks. */
export function fleetCliProcess(): FleetCli {
  let dataDir = '';
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    run(args, env = {}) {
      const run = spawnSync('npx', ['tsx', 'services/fleet/cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, ...env },
        encoding: 'utf8',
      });
      return { code: run.status, stdout: run.stdout, stderr: run.stderr };
    },
    get dataDir() {
      return dataDir;
    },
  };
}

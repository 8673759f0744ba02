/** The fleet CLI as an operator runs it: a separate process on the platform's database file. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Device } from '../../../shared/contracts/index.ts';
import { openDatabase } from '../../../services/platform/adapters/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const ADD = [
  'add', '--id', 'box-9001', '--kind', 'box', '--name', '新天地花苑 9号回收箱',
  '--lat', '31.81', '--lon', '119.99', '--subdistrict', 'qinglong', '--community', '新天地花苑',
  '--address', '常州市天宁区青洋北路12号新天地花苑', '--grid-cell', 'TN-QL-01', '--responsible', '张伟',
  '--compartments', 'paper:150,plastic:60',
];

describe('fleet CLI process', () => {
  let dataDir: string;
  const fleet = (...args: string[]) => {
    const run = spawnSync('npx', ['tsx', 'services/fleet/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a device and prints a secret the registry then accepts', () => {
    const run = fleet(...ADD);
    expect(run.stderr).toContain('shown only this once');
    expect(run.code).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(run.stdout)?.[1];
    expect(secret).toBeDefined();

    const db = openDatabase(path.join(dataDir, 'binpulse.db'));
    try {
      const registry = new SqliteFleetRegistry(db);
      expect(registry.kindOf('box-9001')).toBe('box');
      expect(registry.verifySecret('box-9001', secret!)).toBe(true);
      expect(registry.verifySecret('box-9001', `${secret}x`)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('lists the device as JSON', () => {
    const run = fleet('list', '--json');
    expect(run.code).toBe(0);
    const devices = Device.array().parse(JSON.parse(run.stdout));
    expect(devices.map((d) => d.id)).toEqual(['box-9001']);
    expect(devices[0]!.compartments).toEqual([
      { category: 'paper', capacityKg: 150 },
      { category: 'plastic', capacityKg: 60 },
    ]);
  });

  it('refuses a bad --lat with exit code 2 and a message naming it', () => {
    const args = [...ADD];
    args[args.indexOf('box-9001')] = 'box-9002';
    args[args.indexOf('31.81')] = 'north';
    const run = fleet(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--lat');
    expect(run.stdout).not.toContain('secret');
    expect(fleet('show', 'box-9002').code).toBe(1);
  });

  it('stops with exit code 1 on a bad configuration', () => {
    const run = spawnSync('npx', ['tsx', 'services/fleet/cli.ts', 'list'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'loud' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('LOG_LEVEL');
  });
});

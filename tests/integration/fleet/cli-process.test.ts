/** The fleet CLI as an operator runs it: a separate process on the platform's database file. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Device } from '../../../shared/contracts/index.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { fleetCliProcess } from '../../support/fleet-cli.ts';

const ADD = [
  'add', '--id', 'box-9001', '--kind', 'box', '--name', '新天地花苑 9号回收箱',
  '--lat', '31.81', '--lon', '119.99', '--subdistrict', 'qinglong', '--community', '新天地花苑',
  '--address', '常州市天宁区青洋北路12号新天地花苑', '--grid-cell', 'TN-QL-01', '--responsible', '张伟',
  '--compartments', 'paper:150,plastic:60',
];

describe('fleet CLI process', () => {
  const cli = fleetCliProcess();
  const fleet = (...args: string[]) => cli.run(args);

  it('adds a device and prints a secret the registry then accepts', () => {
    const run = fleet(...ADD);
    expect(run.stderr).toContain('shown only this once');
    expect(run.code).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(run.stdout)?.[1];
    expect(secret).toBeDefined();

    const db = openDatabase(path.join(cli.dataDir, 'binpulse.db'));
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
    const run = cli.run(['list'], { LOG_LEVEL: 'loud' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('LOG_LEVEL');
  });
});

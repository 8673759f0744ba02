import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Device } from '../../../shared/contracts/index.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { readCredentialsFile } from '../../../services/fleet/adapters/credentials-file.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { runFleetCli } from '../../../services/fleet/cli-commands.ts';

const ADD = [
  'add', '--id', 'cam-901', '--kind', 'camera', '--name', '劳动路 城市容貌示范点',
  '--lat', '31.77', '--lon', '119.99', '--subdistrict', 'lanling', '--community', '劳动路',
  '--address', '常州市天宁区劳动东路88号', '--grid-cell', 'TN-LL-01', '--responsible', '钱芳',
  '--camera-point-type', 'road',
];

describe('fleet CLI commands', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) => {
    out = [];
    err = [];
    return runFleetCli(argv, {
      registry,
      config: { DATA_DIR: dir, SIM_SEED: 'cli-test', DISTRICT_UTC_OFFSET_MIN: 480 },
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      // 23:30 UTC is already the next day in Tianning.
      now: () => new Date('2026-11-25T23:30:00Z'),
    });
  };
  const stdout = () => out.join('\n');
  const stderr = () => err.join('\n');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds a camera, dated today in the district', () => {
    expect(run(...ADD)).toBe(0);
    const device = registry.get('cam-901')!;
    expect(device.installedOn).toBe('2026-11-26');
    expect(device.cameraPointType).toBe('road');
    expect(device.compartments).toEqual([]);
    const secret = /^secret: (\S+)$/m.exec(stdout())![1]!;
    expect(registry.verifySecret('cam-901', secret)).toBe(true);
  });

  it('gives a box without --compartments the standard five', () => {
    const args = [...ADD.slice(0, -2)];
    args[args.indexOf('camera')] = 'box';
    expect(run(...args)).toBe(0);
    expect(registry.get('cam-901')!.compartments.map((c) => c.category)).toEqual([
      'paper', 'plastic', 'metal', 'glass', 'textile',
    ]);
  });

  it('names every wrong option and exits 2', () => {
    const args = [...ADD];
    args[args.indexOf('lanling')] = 'downtown';
    args[args.indexOf('31.77')] = '91';
    expect(run(...args, '--installed-on', 'soon')).toBe(2);
    expect(stderr()).toContain('--subdistrict');
    expect(stderr()).toContain('--lat');
    expect(stderr()).toContain('--installed-on');
    expect(registry.count()).toBe(0);
  });

  it('names missing options, malformed compartments and unknown options', () => {
    expect(run('add', '--id', 'box-1')).toBe(2);
    expect(stderr()).toContain('--responsible: required');
    expect(run(...ADD, '--compartments', 'paper=150')).toBe(2);
    expect(stderr()).toContain('--compartments');
    expect(run(...ADD, '--colour', 'red')).toBe(2);
    expect(stderr()).toContain('--colour');
    expect(run(...ADD, '--compartments', 'paper:150')).toBe(2);
    expect(stderr()).toContain('--compartments: a camera has no compartments');
  });

  it('refuses a duplicate with exit code 1', () => {
    run(...ADD);
    expect(run(...ADD)).toBe(1);
    expect(stderr()).toContain('already exists');
  });

  it('lists as a table with a count, filtered', () => {
    expect(run('demo', '--boxes', '12', '--cameras', '3')).toBe(0);
    expect(run(...ADD)).toBe(0);
    expect(run('list', '--kind', 'camera')).toBe(0);
    const lines = stdout().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+SUBDISTRICT\s+COMMUNITY\s+NAME$/);
    expect(lines.at(-1)).toBe('4 devices');
    expect(lines.filter((l) => l.startsWith('cam-'))).toHaveLength(4);
    expect(run('list', '--subdistrict', 'lanling', '--json')).toBe(0);
    const lanling = Device.array().parse(JSON.parse(stdout()));
    expect(lanling.length).toBeGreaterThan(0);
    expect(lanling.every((d) => d.subdistrict === 'lanling')).toBe(true);
    expect(run('list', '--kind', 'bin')).toBe(2);
    expect(stderr()).toContain('--kind');
  });

  it('shows, rotates and removes a device', () => {
    run(...ADD);
    const first = /^secret: (\S+)$/m.exec(stdout())![1]!;
    expect(run('show', 'cam-901')).toBe(0);
    expect(stdout()).toContain('劳动路 城市容貌示范点');
    expect(run('show', 'cam-901', '--json')).toBe(0);
    expect(Device.parse(JSON.parse(stdout())).id).toBe('cam-901');
    expect(run('rotate-secret', 'cam-901')).toBe(0);
    const second = /^secret: (\S+)$/m.exec(stdout())![1]!;
    expect(registry.verifySecret('cam-901', first)).toBe(false);
    expect(registry.verifySecret('cam-901', second)).toBe(true);
    expect(run('remove', 'cam-901')).toBe(0);
    expect(registry.get('cam-901')).toBeUndefined();
    for (const command of ['show', 'rotate-secret', 'remove']) {
      expect(run(command, 'cam-901')).toBe(1);
      expect(stderr()).toContain('cam-901');
    }
    expect(run('show')).toBe(2);
  });

  it('provisions the demo fleet into DATA_DIR', () => {
    expect(run('demo', '--boxes', '10', '--cameras', '2')).toBe(0);
    // 10 boxes, 2 cameras and a weighbridge at each of the 10 transfer stations and the sorting centre.
    expect(stdout()).toContain('23 devices');
    expect(readCredentialsFile(path.join(dir, 'demo-credentials.json')).devices).toHaveLength(23);
    expect(run('demo', '--boxes', 'many')).toBe(2);
  });

  it('prints usage for --help (exit 0) and without a command or with an unknown one (exit 2)', () => {
    expect(run('--help')).toBe(0);
    expect(stdout()).toContain('rotate-secret');
    expect(run()).toBe(2);
    expect(stderr()).toContain('Usage');
    expect(run('frobnicate')).toBe(2);
    expect(stderr()).toContain('unknown command "frobnicate"');
  });
});

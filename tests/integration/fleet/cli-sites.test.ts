/** `fleet station …`, `fleet vehicle …` and the demo's stations, in-process on a real SQLite registry. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE, runFleetCli } from '../../../services/fleet/cli-commands.ts';

describe('fleet CLI: stations and vehicles', () => {
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
      now: () => new Date('2026-12-06T01:00:00Z'),
    });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('demo provisions the 10 stations and 12 vehicles, which list with their vehicle counts', () => {
    expect(run('demo', '--boxes', '30', '--cameras', '2')).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('registry: 30 boxes, 2 cameras, 10 transfer stations, 12 vehicles, 1 sorting centre, 11 scales');
    expect(run('station', 'list')).toBe(EXIT_OK);
    const lines = out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+SUBDISTRICT\s+POSITION\s+VEHICLES\s+NAME$/);
    expect(lines.at(-1)).toBe('11 sites');
    expect(lines.filter((line) => / sorting_centre /.test(line))).toHaveLength(1);
    const counts = lines.slice(1, -1).map((line) => Number(line.split(/\s{2,}/)[4]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    expect(run('vehicle', 'list', '--depot', 'ts-01', '--json')).toBe(EXIT_OK);
    expect(JSON.parse(out.join('\n'))).toEqual(registry.listVehicles({ depotId: 'ts-01' }));
  });

  it('adds a sorting centre with station add --kind, and a scale at it with add --kind scale --site (issue 14)', () => {
    const site = ['--name', '天宁区再生资源分拣中心', '--lat', '31.83', '--lon', '120.02', '--subdistrict', 'qinglong', '--address', '常州市天宁区青洋北路88号'];
    expect(run('station', 'add', '--id', 'sc-01', '--kind', 'sorting_centre', ...site)).toBe(EXIT_OK);
    expect(out.join('\n')).toMatch(/^kind\s+sorting_centre$/m);
    expect(registry.getSite('sc-01')?.kind).toBe('sorting_centre');
    expect(registry.listStations()).toEqual([]);
    expect(run('station', 'add', '--id', 'sc-02', '--kind', 'landfill', ...site)).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('--kind');

    const scale = (siteId: string) => [
      'add', '--id', `scale-${siteId}`, '--kind', 'scale', '--name', '分拣中心地磅', '--lat', '31.83', '--lon', '120.02',
      '--subdistrict', 'qinglong', '--community', '天宁区再生资源分拣中心', '--address', '常州市天宁区青洋北路88号',
      '--grid-cell', 'sc-01', '--responsible', '天宁区环境卫生管理所', '--site', siteId,
    ];
    expect(run(...scale('sc-01'))).toBe(EXIT_OK);
    expect(registry.get('scale-sc-01')?.siteId).toBe('sc-01');
    expect(run(...scale('ts-99'))).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('--site: no site "ts-99"');
    expect(run('list', '--kind', 'scale')).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('scale-sc-01');
  });

  it('names every missing option of station add', () => {
    expect(run('station', 'add', '--id', 'ts-01')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toBe('fleet station:\n  --name: required\n  --lat: required\n  --lon: required\n  --subdistrict: required\n  --address: required');
  });

  it('refuses an unknown subcommand and a non-number capacity as usage errors', () => {
    expect(run('vehicle', 'park')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('got "park"');
    expect(run('vehicle', 'add', '--id', 'truck-01', '--plate', '苏D·H0001', '--capacity-kg', 'eight', '--depot', 'ts-01')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('--capacity-kg: expected a number, got "eight"');
  });

  it('rotates a vehicle secret and removes a vehicle; unknown ones are runtime errors', () => {
    run('demo', '--boxes', '10', '--cameras', '0');
    expect(run('vehicle', 'rotate-secret', 'truck-03')).toBe(EXIT_OK);
    const secret = /^secret: (\S+)$/.exec(out[0]!)![1]!;
    expect(registry.verifyVehicleSecret('truck-03', secret)).toBe(true);
    expect(run('vehicle', 'remove', 'truck-03')).toBe(EXIT_OK);
    expect(run('vehicle', 'remove', 'truck-03')).toBe(EXIT_RUNTIME_ERROR);
    expect(err.join('\n')).toBe('fleet vehicle: no vehicle "truck-03" in the registry');
  });
});

/** `fleet community …` and the demo's households (issue 14), in-process on a real SQLite registry. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { ensureCommunitiesSchema, SqliteCommunityRegistry } from '../../../services/fleet/adapters/sqlite-community-registry.ts';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE, runFleetCli } from '../../../services/fleet/cli-commands.ts';
import { demoCommunities, demoHouseholds, HOUSEHOLDS_PER_BOX } from '../../../services/fleet/core/communities.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';

describe('fleet CLI: communities and households', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  let communities: SqliteCommunityRegistry | undefined;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) => {
    out = [];
    err = [];
    return runFleetCli(argv, {
      registry,
      communities,
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
    ensureCommunitiesSchema(db);
    communities = new SqliteCommunityRegistry(db);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('demo registers every community of the boxes with households, the pilot with its 800', () => {
    expect(run('demo', '--boxes', '120', '--cameras', '2')).toBe(EXIT_OK);
    const boxes = registry.list({ kind: 'box' });
    const listed = communities!.listCommunities();
    expect(new Set(listed.map((c) => c.name))).toEqual(new Set(boxes.map((b) => b.community)));
    expect(communities!.getCommunity('新天地花苑')).toEqual({ name: '新天地花苑', subdistrict: 'qinglong', households: 800 });
    // Running demo again leaves them (and an operator's changes) alone.
    expect(run('community', 'set', '新天地花苑', '--households', '812')).toBe(EXIT_OK);
    expect(run('demo')).toBe(EXIT_OK);
    expect(communities!.getCommunity('新天地花苑')!.households).toBe(812);
  });

  it('set takes the subdistrict from the boxes, updates in place, and list shows the totals', () => {
    run('demo', '--boxes', '60', '--cameras', '0');
    expect(run('community', 'set', '新天地花苑', '--households', '800')).toBe(EXIT_OK);
    expect(out.join('\n')).toBe('新天地花苑 (青龙街道): 800 households');
    expect(run('community', 'set', '新小区', '--households', '120', '--subdistrict', 'hongmei')).toBe(EXIT_OK);
    expect(run('community', 'list')).toBe(EXIT_OK);
    const lines = out.join('\n').split('\n');
    expect(lines[0]).toMatch(/^SUBDISTRICT\s+HOUSEHOLDS\s+NAME$/);
    expect(lines.some((l) => /^hongmei\s+120\s+新小区$/.test(l))).toBe(true);
    const all = communities!.listCommunities();
    expect(lines.at(-1)).toBe(`${all.length} communities, ${all.reduce((n, c) => n + c.households, 0)} households`);
    expect(run('community', 'list', '--json')).toBe(EXIT_OK);
    expect(JSON.parse(out.join('\n'))).toEqual(all);
  });

  it('refuses bad input as usage errors (exit 2)', () => {
    expect(run('community', 'set', '无名小区', '--households', '10')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('--subdistrict: required, as no device names the community "无名小区"');
    expect(run('community', 'set', 'x', '--households', 'many', '--subdistrict', 'hongmei')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('--households: expected a whole number');
    expect(run('community', 'set', 'x', '--subdistrict', 'hongmei')).toBe(EXIT_USAGE);
    expect(run('community', 'set', 'x', '--households', '10', '--subdistrict', 'atlantis')).toBe(EXIT_USAGE);
    expect(run('community', 'set', 'x', '--households', '2000000', '--subdistrict', 'hongmei')).toBe(EXIT_USAGE);
    expect(err.join('\n')).toContain('invalid community: households');
    expect(run('community', 'rename')).toBe(EXIT_USAGE);
    expect(communities!.listCommunities()).toEqual([]);
  });

  it('a registry without communities says so (runtime error)', () => {
    communities = undefined;
    expect(run('community', 'list')).toBe(EXIT_RUNTIME_ERROR);
    expect(err.join('\n')).toContain('keeps no communities');
  });
});

describe('demo households', () => {
  it('follow the district: ~300,000 residents / 2.6 per household over 605 boxes; the pilot 800', () => {
    const fleet = generateDemoFleet({ seed: 'tianning' });
    const all = demoCommunities(fleet);
    const total = all.reduce((n, c) => n + c.households, 0);
    // ±15 % per community averages out over ~150 communities: within 5 % of 115,385.
    expect(Math.abs(total / (300_000 / 2.6) - 1)).toBeLessThan(0.05);
    expect(all.find((c) => c.name === '新天地花苑')!.households).toBe(800);
    expect(demoHouseholds('红梅新村', 4)).toBe(demoHouseholds('红梅新村', 4));
    expect(demoHouseholds('红梅新村', 4) / (4 * HOUSEHOLDS_PER_BOX)).toBeGreaterThanOrEqual(0.85);
    expect(demoHouseholds('红梅新村', 4) / (4 * HOUSEHOLDS_PER_BOX)).toBeLessThanOrEqual(1.15);
  });
});

/**
 * The collection log's contract, on a real SQLite file and on the tests' in-memory log (so the
 * API tests over the memory log stand for the real one): one record per box and event id, read
 * back by time (both ends included, oldest first), pruned by time; and the SQLite file keeps it
 * across a reopen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCollectionLog } from '../../../services/planning/adapters/sqlite-collection-log.ts';
import { loggedCollection, type CollectionLog, type LoggedCollection } from '../../../services/planning/core/collection-log.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { makeDevice, MemoryCollectionLog } from '../../support/api-fakes.ts';

let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bp-collections-'));
  db = openDatabase(join(dir, 'binpulse.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2026-12-06T22:00:00Z');
const c = (deviceId: string, eventId: string, atMs: number, kg: Record<string, number> = { paper: 31.5 }): LoggedCollection => ({
  deviceId,
  eventId,
  atMs,
  vehicleId: 'V001',
  kgByCategory: kg,
});

const implementations: [string, () => CollectionLog][] = [
  ['SQLite', () => new SqliteCollectionLog(db)],
  ['memory', () => new MemoryCollectionLog()],
];

describe.each(implementations)('collection log (%s)', (_name, open) => {
  it('records each box and event id once: a replay or a duplicate is refused', () => {
    const log = open();
    expect(log.record(c('B001', 'e1', T0))).toBe(true);
    expect(log.record(c('B001', 'e1', T0 + 5, { paper: 99 }))).toBe(false);
    // Event ids are the box's own: another box may use the same one.
    expect(log.record(c('B002', 'e1', T0))).toBe(true);
    expect(log.between(0, Number.MAX_SAFE_INTEGER)).toEqual([c('B001', 'e1', T0), c('B002', 'e1', T0)]);
  });

  it('reads a time range back, both ends included, oldest first, with kg per category', () => {
    const log = open();
    log.record(c('B003', 'e3', T0 + 3000, { paper: 10, plastic: 2.25 }));
    log.record(c('B001', 'e1', T0 + 1000));
    log.record(c('B002', 'e2', T0 + 2000));
    log.record(c('B004', 'e4', T0 + 4000));
    expect(log.between(T0 + 1000, T0 + 3000)).toEqual([c('B001', 'e1', T0 + 1000), c('B002', 'e2', T0 + 2000), c('B003', 'e3', T0 + 3000, { paper: 10, plastic: 2.25 })]);
    expect(log.between(T0 + 1001, T0 + 1999)).toEqual([]);
  });

  it('prunes what is older than the cut-off and says how many', () => {
    const log = open();
    log.record(c('B001', 'e1', T0 - 2));
    log.record(c('B001', 'e2', T0 - 1));
    log.record(c('B001', 'e3', T0));
    expect(log.prune(T0)).toBe(2);
    expect(log.prune(T0)).toBe(0);
    expect(log.between(0, Number.MAX_SAFE_INTEGER).map((r) => r.eventId)).toEqual(['e3']);
  });
});

describe('SqliteCollectionLog', () => {
  it('keeps collections across a reopen of the file, still refusing a replay', () => {
    new SqliteCollectionLog(db).record(c('B001', 'e1', T0));
    db.close();
    db = openDatabase(join(dir, 'binpulse.db'));
    const log = new SqliteCollectionLog(db);
    expect(log.record(c('B001', 'e1', T0))).toBe(false);
    expect(log.between(T0, T0)).toEqual([c('B001', 'e1', T0)]);
  });

  it('reads a time range through its time index (a shift window stays cheap however long the log)', () => {
    new SqliteCollectionLog(db);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM collections WHERE ts BETWEEN ? AND ? ORDER BY ts, device_id, event_id');
    expect(JSON.stringify(plan.all(0, 1))).toContain('collections_by_ts');
  });
});

describe('loggedCollection', () => {
  it('keeps the box, its event id and time, the vehicle, and kg per category (a category twice summed)', () => {
    const event = {
      ts: '2026-12-07T06:30:00+08:00',
      eventId: 'B001-c-1',
      collectorId: 'crew-7',
      vehicleId: 'V002',
      compartments: [
        { category: 'paper' as const, weightKg: 20 },
        { category: 'paper' as const, weightKg: 1.5 },
        { category: 'glass' as const, weightKg: 8 },
      ],
    };
    expect(loggedCollection(makeDevice('B001'), event)).toEqual({
      deviceId: 'B001',
      eventId: 'B001-c-1',
      atMs: Date.parse('2026-12-06T22:30:00Z'),
      vehicleId: 'V002',
      kgByCategory: { paper: 21.5, glass: 8 },
    });
  });
});

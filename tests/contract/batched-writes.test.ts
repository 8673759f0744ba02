/**
 * Issue 16, batched stores: a store write is one consumer batch, its rollups summed in memory
 * and folded in once per row. Whatever the grouping, the stored totals must be exactly those
 * of writing the same records one by one; and on SQLite a batch that fails stores nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/storage/sqlite.ts';
import { InfluxTimeSeriesStore } from '../../services/timeseries/adapters/influx-store.ts';
import { SqliteTimeSeriesStore } from '../../services/timeseries/adapters/sqlite-store.ts';
import { dropDatabaseStatement } from '../../services/timeseries/core/influx-query.ts';
import type { DeviceTags, TimeSeriesRecord, TimeSeriesStore } from '../../services/timeseries/core/store.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../support/influxd.ts';

const OFFSET = 480;
const HONGMEI: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c1' };
const HONGMEI_2: DeviceTags = { deviceId: 'box-0002', kind: 'box', subdistrict: 'hongmei', community: 'c2' };
const LANLING: DeviceTags = { deviceId: 'box-0003', kind: 'box', subdistrict: 'lanling', community: 'c3' };
const local = (iso: string): number => Date.parse(`${iso}+08:00`);
const H = 3_600_000;
const HOUR = local('2026-11-26T10:00:00');

const deposit = (tags: DeviceTags, eventId: string, at: string, weightKg: number, category: 'paper' | 'glass' = 'paper'): TimeSeriesRecord => ({
  type: 'deposit',
  tags,
  ts: local(at),
  eventId,
  category,
  weightKg,
  points: 1,
});

const reading = (tags: DeviceTags, ts: number, paper: number, glass: number): TimeSeriesRecord => ({
  type: 'box_reading',
  tags,
  ts,
  compartments: [
    { category: 'paper', fillingLevel: paper, weightKg: 1 },
    { category: 'glass', fillingLevel: glass, weightKg: 1 },
  ],
  temperatureC: 20,
  batteryPercent: 80,
  rssiDbm: -70,
  lidOpen: false,
});

/**
 * Deposits for the same day × category × subdistrict several times over (two boxes of one
 * subdistrict, weights whose float sum is not exact: 0.1 + 0.2 + 0.7), either side of a
 * district-local midnight, a duplicate within the batch and one replayed from an earlier batch.
 */
const earlier: TimeSeriesRecord[] = [deposit(HONGMEI, 'e-0', '2026-11-26T08:00:00', 0.3)];
const batch: TimeSeriesRecord[] = [
  deposit(HONGMEI, 'e-1', '2026-11-26T09:00:00', 0.1),
  deposit(HONGMEI_2, 'e-1', '2026-11-26T09:00:00', 0.2), // same id, another box: another deposit
  deposit(HONGMEI, 'e-2', '2026-11-26T23:59:59', 0.7),
  deposit(HONGMEI, 'e-3', '2026-11-27T00:00:00', 1.005), // the next district day
  deposit(HONGMEI, 'e-4', '2026-11-26T12:00:00', 2.25, 'glass'),
  deposit(LANLING, 'e-5', '2026-11-26T12:00:00', 0.333333),
  deposit(HONGMEI, 'e-1', '2026-11-26T09:00:00', 0.1), // the same deposit twice in one batch
  deposit(HONGMEI, 'e-0', '2026-11-26T08:00:00', 0.3), // a replay of the earlier batch
  deposit(HONGMEI_2, 'e-6', '2026-11-26T15:00:00', 0.2),
];
const days = { fromDay: '2026-11-26', toDay: '2026-11-27', utcOffsetMinutes: OFFSET };
/** Summed by hand in milligrams. */
const expectedTonnage = [
  { day: '2026-11-26', category: 'glass', subdistrict: 'hongmei', kg: 2.25, deposits: 1 },
  { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 1.5, deposits: 5 },
  { day: '2026-11-26', category: 'paper', subdistrict: 'lanling', kg: 0.333333, deposits: 1 },
  { day: '2026-11-27', category: 'paper', subdistrict: 'hongmei', kg: 1.005, deposits: 1 },
];
const sorted = <T extends { day: string; subdistrict: string; category: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.day}${a.subdistrict}${a.category}`.localeCompare(`${b.day}${b.subdistrict}${b.category}`));

type Opened = { store: TimeSeriesStore; cleanup: () => Promise<void> };

function describeBatchedTonnage(name: string, open: () => Promise<Opened>): void {
  describe(`${name}: a batch rolls up as its records one by one`, () => {
    const opened: Opened[] = [];
    afterEach(async () => {
      for (const { store, cleanup } of opened.splice(0)) {
        await store.close();
        await cleanup();
      }
    });
    const fresh = async () => {
      const o = await open();
      opened.push(o);
      return o.store;
    };

    it('tonnage: the same exact totals, in one write or one write per record', async () => {
      const batched = await fresh();
      await batched.write(earlier);
      await batched.write(batch);
      const single = await fresh();
      for (const record of [...earlier, ...batch]) await single.write([record]);
      expect(sorted(await batched.tonnage(days))).toEqual(expectedTonnage);
      expect(sorted(await single.tonnage(days))).toEqual(expectedTonnage);
      // Replaying the whole batch changes nothing.
      await batched.write(batch);
      expect(sorted(await batched.tonnage(days))).toEqual(expectedTonnage);
    });
  });
}

describe('SqliteTimeSeriesStore batched writes', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const openSqlite = () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-batch-'));
    dirs.push(dir);
    return new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: OFFSET });
  };

  describeBatchedTonnage('SqliteTimeSeriesStore', async () => ({ store: openSqlite(), cleanup: async () => {} }));

  it('the hourly fill rollup: the same rows in one write or one write per reading', async () => {
    // Out of order, across an hour boundary, two boxes; the batch also carries a reading of an
    // hour the earlier write started, later and earlier than it, and one replayed.
    const first = [reading(HONGMEI, HOUR + 30 * 60_000, 0.4, 0.1)];
    const second = [
      reading(HONGMEI, HOUR + 50 * 60_000, 0.55, 0.05),
      reading(HONGMEI, HOUR + 10 * 60_000, 0.7, 0.12),
      reading(HONGMEI_2, HOUR + 5, 0.9, 0.9),
      reading(HONGMEI, HOUR + H + 1, 0.8, 0.01),
      reading(HONGMEI, HOUR + 40 * 60_000, 0.6, 0.2),
      reading(HONGMEI, HOUR + 30 * 60_000, 1, 1), // replay of a stored key with other values: ignored
    ];
    const batched = openSqlite();
    await batched.write(first);
    await batched.write(second);
    const single = openSqlite();
    for (const record of [...first, ...second]) await single.write([record]);
    const range = { from: HOUR, to: HOUR + 2 * H };
    const rows = await batched.fillHourly('box-0001', range);
    expect(rows).toEqual([
      { hour: HOUR, deviceId: 'box-0001', category: 'glass', maxFillingLevel: 0.2, lastFillingLevel: 0.05, lastTs: HOUR + 50 * 60_000 },
      { hour: HOUR, deviceId: 'box-0001', category: 'paper', maxFillingLevel: 0.7, lastFillingLevel: 0.55, lastTs: HOUR + 50 * 60_000 },
      { hour: HOUR + H, deviceId: 'box-0001', category: 'glass', maxFillingLevel: 0.01, lastFillingLevel: 0.01, lastTs: HOUR + H + 1 },
      { hour: HOUR + H, deviceId: 'box-0001', category: 'paper', maxFillingLevel: 0.8, lastFillingLevel: 0.8, lastTs: HOUR + H + 1 },
    ]);
    expect(await single.fillHourly('box-0001', range)).toEqual(rows);
    expect(await batched.fillHourly('box-0002', range)).toEqual(await single.fillHourly('box-0002', range));
    await batched.close();
    await single.close();
  });

  it('a batch that fails part-way stores nothing: no rows, no rollups; the retried batch stores everything once', async () => {
    const store = openSqlite();
    const good = [reading(HONGMEI, HOUR, 0.5, 0.5), deposit(HONGMEI, 'g-1', '2026-11-26T10:00:00', 2)];
    // A value SQLite cannot bind (INSERT OR IGNORE would skip a constraint violation quietly),
    // last in the batch, after the good records' rows and rollup sums were made.
    const broken = { ...deposit(HONGMEI, 'g-2', '2026-11-26T10:00:01', 1), points: { n: 1 } } as unknown as TimeSeriesRecord;
    await expect(store.write([...good, broken])).rejects.toThrow(/parameter/);
    const all = { from: 0, to: HOUR + 24 * H };
    expect(await store.deviceSeries('box-0001', all, 100)).toEqual([]);
    expect(await store.tonnage(days)).toEqual([]);
    expect(await store.fillHourly('box-0001', all)).toEqual([]);

    await store.write(good);
    expect(await store.tonnage(days)).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 2, deposits: 1 }]);
    expect(await store.fillHourly('box-0001', all)).toHaveLength(2);
    expect((await store.deviceSeries('box-0001', all, 100)).length).toBeGreaterThan(0);
    await store.close();
  });
});

describe.runIf(hasInfluxd)('InfluxTimeSeriesStore batched writes (real influxd)', () => {
  let server: Promise<RunningInfluxd> | null = null;
  afterAll(async () => {
    if (server) await (await server).stop();
  });
  describeBatchedTonnage('InfluxTimeSeriesStore', async () => {
    const { url } = await (server ??= startInfluxd());
    const db = `bp_${randomUUID().replaceAll('-', '')}`;
    const store = new InfluxTimeSeriesStore({ url, api: 'v1', bucket: db, db, utcOffsetMinutes: OFFSET });
    await store.init();
    const cleanup = async () => {
      await fetch(`${url}/query?${new URLSearchParams({ db })}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ q: dropDatabaseStatement(db) }).toString(),
      });
    };
    return { store, cleanup };
  });
});

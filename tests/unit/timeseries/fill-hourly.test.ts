import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

const box: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' };
const other: DeviceTags = { ...box, deviceId: 'box-0002' };
const H = 3_600_000;
const HOUR = Date.parse('2026-11-26T10:00:00+08:00'); // 02:00 UTC, a whole hour

const reading = (ts: number, paper: number, glass: number, tags: DeviceTags = box): TimeSeriesRecord => ({
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

describe('SQLite hourly fill-level rollup', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-fill-'));
    dirs.push(dir);
    const path = join(dir, 'timeseries.db');
    return { path, store: new SqliteTimeSeriesStore(openDatabase(path), { utcOffsetMinutes: 480 }) };
  };

  // Out of order within the hour: the max is 70, the last (greatest ts) is 55.
  const records = [
    reading(HOUR + 10 * 60_000, 30, 5),
    reading(HOUR + 50 * 60_000, 55, 8),
    reading(HOUR + 20 * 60_000, 70, 12),
    reading(HOUR + H + 1, 80, 1), // next hour
    reading(HOUR + 5, 99, 99, other),
  ];
  const expected = [
    { hour: HOUR, deviceId: 'box-0001', category: 'glass', maxFillingLevel: 12, lastFillingLevel: 8, lastTs: HOUR + 50 * 60_000 },
    { hour: HOUR, deviceId: 'box-0001', category: 'paper', maxFillingLevel: 70, lastFillingLevel: 55, lastTs: HOUR + 50 * 60_000 },
    { hour: HOUR + H, deviceId: 'box-0001', category: 'glass', maxFillingLevel: 1, lastFillingLevel: 1, lastTs: HOUR + H + 1 },
    { hour: HOUR + H, deviceId: 'box-0001', category: 'paper', maxFillingLevel: 80, lastFillingLevel: 80, lastTs: HOUR + H + 1 },
  ];

  it('keeps max and last fillingLevel per hour × device × compartment, oldest first', async () => {
    const { store } = open();
    await store.write(records);
    expect(await store.fillHourly('box-0001', { from: HOUR, to: HOUR + 2 * H })).toEqual(expected);
    // A range starting inside an hour includes it; one ending at an hour's start excludes it.
    expect(await store.fillHourly('box-0001', { from: HOUR + 30 * 60_000, to: HOUR + H })).toEqual(expected.slice(0, 2));
    await store.close();
  });

  it('a replay changes nothing, even with a different level for a stored reading', async () => {
    const { store } = open();
    await store.write(records);
    await store.write(records);
    await store.write([reading(HOUR + 50 * 60_000, 100, 100)]); // same keys: ignored
    expect(await store.fillHourly('box-0001', { from: 0, to: HOUR + 2 * H })).toEqual(expected);
    await store.close();
  });

  it('survives pruneRawBefore', async () => {
    const { store } = open();
    await store.write(records);
    const pruned = await store.pruneRawBefore(HOUR + 3 * H);
    expect(pruned.compartment_readings).toBe(10);
    expect(await store.deviceSeries('box-0001', { from: 0, to: HOUR + 3 * H }, 100)).toEqual([]);
    expect(await store.fillHourly('box-0001', { from: 0, to: HOUR + 3 * H })).toEqual(expected);
    await store.close();
  });

  it('is built once from the stored readings of a file written before it existed', async () => {
    const { path, store } = open();
    await store.write(records);
    await store.close();
    const db = openDatabase(path);
    db.exec(`DELETE FROM fill_hourly; DELETE FROM store_meta WHERE key = 'fill_hourly_backfilled'`);
    db.close();
    const reopened = new SqliteTimeSeriesStore(openDatabase(path), { utcOffsetMinutes: 480 });
    expect(await reopened.fillHourly('box-0001', { from: 0, to: HOUR + 2 * H })).toEqual(expected);
    await reopened.close();
  });
});

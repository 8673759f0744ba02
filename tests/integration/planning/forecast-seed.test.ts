/** The forecasts' read-back after a restart, against the real SQLite store (its hourly fill rollup). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { readingSourceOf } from '../../../services/planning/forecast-seed.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

const HOUR_MS = 3_600_000;
const NOW = Date.parse('2026-12-06T04:00:00Z');
const tags = { deviceId: 'box-0001', kind: 'box' as const, subdistrict: 'tianning' as const, community: 'Qingfeng' };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const reading = (ts: number, level: number): TimeSeriesRecord => ({
  type: 'box_reading',
  tags,
  ts,
  compartments: [{ category: 'paper', fillingLevel: level, weightKg: level * 120 }],
  temperatureC: 20,
  batteryPercent: null,
  rssiDbm: -70,
  lidOpen: false,
});

it("reads each hour's last reading of the last days from SQLite's rollup, oldest first, nothing outside the range", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-forecast-seed-'));
  dirs.push(dir);
  const store = new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: 480 });
  // Three readings an hour for 5 hours, the level rising 0.01 each; one reading before the range.
  const records = [reading(NOW - 20 * 24 * HOUR_MS, 0.9)];
  for (let i = 0; i < 15; i++) records.push(reading(NOW - 5 * HOUR_MS + i * 20 * 60_000, 0.3 + i * 0.01));
  await store.write(records);
  const read = await readingSourceOf(store)('box-0001', NOW - 14 * 24 * HOUR_MS, NOW + 1);
  expect(read).toHaveLength(5);
  expect(read.map((r) => r.atMs)).toEqual([0, 1, 2, 3, 4].map((h) => NOW - 5 * HOUR_MS + h * HOUR_MS + 40 * 60_000));
  expect(read.map((r) => r.level)).toEqual([0.32, 0.35, 0.38, 0.41, 0.44].map((l) => expect.closeTo(l, 9)));
  expect(read.every((r) => r.category === 'paper')).toBe(true);
  await store.close();
});

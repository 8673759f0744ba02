import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.ts';
import { DAY_MS } from '../../../shared/units.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { RetentionJob } from '../../../services/timeseries/adapters/retention-job.ts';
import type { Timers } from '../../../shared/periodic-job.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { DeviceTags, TimeSeriesRecord, TimeSeriesStore } from '../../../services/timeseries/core/store.ts';

const box: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' };
const cam: DeviceTags = { deviceId: 'cam-0001', kind: 'camera', subdistrict: 'hongmei', community: 'c' };
const NOW = Date.parse('2026-11-26T10:00:00+08:00');

function rawAndEvents(ts: number, n: number): TimeSeriesRecord[] {
  return [
    {
      type: 'box_reading',
      tags: box,
      ts,
      compartments: [
        { category: 'paper', fillingLevel: 40, weightKg: 3 },
        { category: 'glass', fillingLevel: 10, weightKg: 1 },
      ],
      temperatureC: 20,
      batteryPercent: 80,
      rssiDbm: -70,
      lidOpen: false,
    },
    { type: 'camera_heartbeat', tags: cam, ts, streamOk: true, frameRate: 25, uptimeS: 100 },
    { type: 'status', tags: box, ts, online: true },
    { type: 'deposit', tags: box, ts, eventId: `d-${n}`, category: 'paper', weightKg: 1.5, points: 3 },
    { type: 'collection', tags: box, ts, eventId: `c-${n}`, collectorId: 'k', vehicleId: 'v', compartments: [{ category: 'paper', weightKg: 9 }] },
    { type: 'fault', tags: box, ts, eventId: `f-${n}`, fault: 'lid_stuck', active: true },
    {
      type: 'detection',
      tags: cam,
      ts,
      eventId: `x-${n}`,
      phase: 'start',
      detectionType: 'littering',
      confidence: 0.9,
      zone: 'z',
      snapshotRef: 's',
    },
  ] as TimeSeriesRecord[];
}

const count = (db: SqliteDatabase, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('SQLite raw-data retention', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const open = () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-ret-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'timeseries.db'));
    return { db, store: new SqliteTimeSeriesStore(db, { utcOffsetMinutes: 480 }) };
  };

  it('deletes only raw readings older than the cutoff, in batches; keeps events and the rollup; tonnage unchanged', async () => {
    const { db, store } = open();
    const cutoff = NOW - 90 * DAY_MS;
    // 12 old instants (one ms before the cutoff and earlier), 3 at/after it.
    const old = Array.from({ length: 12 }, (_, i) => cutoff - 1 - i * 3_600_000);
    const kept = [cutoff, cutoff + 1, NOW];
    let n = 0;
    for (const ts of [...old, ...kept]) await store.write(rawAndEvents(ts, n++));

    const query = { fromDay: '2026-01-01', toDay: '2026-12-31', utcOffsetMinutes: 480 };
    const tonnageBefore = await store.tonnage(query);
    const events = ['deposits', 'collections', 'faults', 'detections', 'tonnage_daily'];
    const eventsBefore = events.map((t) => count(db, t));

    const result = await store.pruneRawBefore(cutoff, { batchSize: 5 });
    expect(result).toEqual({ box_readings: 12, compartment_readings: 24, camera_heartbeats: 12, device_status: 12 });
    for (const table of ['box_readings', 'camera_heartbeats', 'device_status']) {
      expect(count(db, table)).toBe(3);
      const min = (db.prepare(`SELECT MIN(ts) AS ts FROM ${table}`).get() as { ts: number }).ts;
      expect(min).toBe(cutoff);
    }
    expect(count(db, 'compartment_readings')).toBe(6);
    expect(events.map((t) => count(db, t))).toEqual(eventsBefore);
    expect(await store.tonnage(query)).toEqual(tonnageBefore);
    expect(tonnageBefore.reduce((sum, row) => sum + row.deposits, 0)).toBe(15);

    // Old deposits stay in the series; old readings are gone.
    const series = await store.deviceSeries(box.deviceId, { from: 0, to: cutoff }, 1000);
    expect(new Set(series.map((p) => p.metric))).toEqual(new Set(['depositKg']));

    // Nothing left to prune: a second run deletes nothing.
    expect(await store.pruneRawBefore(cutoff)).toEqual({ box_readings: 0, compartment_readings: 0, camera_heartbeats: 0, device_status: 0 });
    await store.close();
  });

  it('yields to the event loop between batches', async () => {
    const { store } = open();
    const records = Array.from({ length: 20 }, (_, i) => ({ type: 'status', tags: box, ts: 1_000 + i, online: true }) as const);
    await store.write(records);
    let done = false;
    const pruning = store.pruneRawBefore(2_000, { batchSize: 2 });
    void pruning.then(() => (done = true));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(done).toBe(false); // this callback ran while the prune was still in progress
    expect((await pruning).device_status).toBe(20);
    await store.close();
  });

  it('refuses a nonsense cutoff or batch size', async () => {
    const { store } = open();
    await expect(store.pruneRawBefore(Number.NaN)).rejects.toThrow(RangeError);
    await expect(store.pruneRawBefore(0, { batchSize: 0 })).rejects.toThrow(RangeError);
    await store.close();
  });
});

describe('RetentionJob', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function fakeTimers() {
    const scheduled: { fn: () => void; ms: number }[] = [];
    const timers: Timers = {
      setInterval: (fn, ms) => scheduled.push({ fn, ms }) - 1,
      clearInterval: (handle) => scheduled.splice(handle as number, 1),
    };
    return { scheduled, timers };
  }

  it('prunes at start and every hour, with the cutoff from the injected clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-ret-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'timeseries.db'));
    const store = new SqliteTimeSeriesStore(db, { utcOffsetMinutes: 480 });
    let now = NOW;
    const cutoffs: number[] = [];
    const { scheduled, timers } = fakeTimers();
    const job = new RetentionJob(store, { rawDays: 90, now: () => now, onPruned: (_r, cutoff) => cutoffs.push(cutoff) }, timers);
    await store.write([
      { type: 'status', tags: box, ts: NOW - 90 * DAY_MS - 1, online: true },
      { type: 'status', tags: box, ts: NOW - 90 * DAY_MS + 1_800_000, online: true },
    ]);
    job.start();
    job.start(); // idempotent
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.ms).toBe(3_600_000);
    await job.stop(); // waits for the first prune
    expect(cutoffs).toEqual([NOW - 90 * DAY_MS]);
    expect(count(db, 'device_status')).toBe(1);

    now += 3_600_000;
    job.start();
    await job.stop();
    expect(cutoffs.at(-1)).toBe(NOW + 3_600_000 - 90 * DAY_MS);
    expect(count(db, 'device_status')).toBe(0);
    expect(scheduled).toHaveLength(0);

    // The hourly tick prunes with the clock of its own time.
    job.start();
    await new Promise<void>((resolve) => setImmediate(resolve)); // the prune at start is done
    now += 3_600_000;
    scheduled[0]!.fn();
    await job.stop();
    expect(cutoffs.at(-1)).toBe(NOW + 2 * 3_600_000 - 90 * DAY_MS);
    expect(cutoffs).toHaveLength(4);
    await store.close();
  });

  it('does nothing for a store that expires data itself (InfluxDB)', async () => {
    const other: TimeSeriesStore = {
      write: async () => {},
      deviceSeries: async () => [],
      tonnage: async () => [],
      weighTickets: async () => [],
      sortingReports: async () => [],
      participation: async () => [],
      collections: async () => [],
      close: async () => {},
    };
    const { scheduled, timers } = fakeTimers();
    const job = new RetentionJob(other, { rawDays: 90 }, timers);
    expect(job.active).toBe(false);
    job.start();
    expect(scheduled).toHaveLength(0);
    expect(await job.runOnce()).toBeNull();
    await job.stop();
  });

  it('prunes any store with the pruneRawBefore capability, whatever its class', async () => {
    const cutoffs: number[] = [];
    const other: TimeSeriesStore = {
      write: async () => {},
      deviceSeries: async () => [],
      tonnage: async () => [],
      weighTickets: async () => [],
      sortingReports: async () => [],
      participation: async () => [],
      collections: async () => [],
      close: async () => {},
      pruneRawBefore: async (cutoffMs) => (cutoffs.push(cutoffMs), { readings: 2 }),
    };
    const job = new RetentionJob(other, { rawDays: 1, now: () => NOW }, fakeTimers().timers);
    expect(job.active).toBe(true);
    expect(await job.runOnce()).toEqual({ readings: 2 });
    expect(cutoffs).toEqual([NOW - DAY_MS]);
  });

  it('RETENTION_RAW_DAYS defaults to 90 and refuses zero', () => {
    expect(loadConfig({}).RETENTION_RAW_DAYS).toBe(90);
    expect(loadConfig({ RETENTION_RAW_DAYS: '30' }).RETENTION_RAW_DAYS).toBe(30);
    expect(() => loadConfig({ RETENTION_RAW_DAYS: '0' })).toThrow(/RETENTION_RAW_DAYS/);
  });
});

/**
 * The demo history's wiring: a small fleet's days written through a real SQLite time-series
 * store, with the ingest's records and the registry's tags; a store that keeps refusing; a stop
 * half-way. The clock is the plan's: nothing here reads the real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/contracts/index.ts';
import { localDayStart } from '../../../shared/units.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { DemoHistory, historyRecords } from '../../../services/platform/wiring/demo-history.ts';
import { InfluxTimeSeriesStore } from '../../../services/timeseries/adapters/influx-store.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../../../services/timeseries/core/store.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';
import { historyFleetOptions, planHistory } from '../../../simulators/core/history.ts';
import { hasInfluxd, startInfluxd, type RunningInfluxd } from '../../support/influxd.ts';
import { sha256, testFleet } from '../../unit/simulators/fleet-fixture.ts';

const OFFSET = 480;
const NOW = Date.parse('2026-12-06T08:12:49.502+08:00');
const DEVICES = testFleet(6, 2);
const logger = pino({ level: 'silent' });
const registryOf = (devices: readonly Device[]) => {
  const byId = new Map(devices.map((d) => [d.id, d]));
  return { get: (id: string) => byId.get(id) };
};

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function sqliteStore(): SqliteTimeSeriesStore {
  const dir = mkdtempSync(join(tmpdir(), 'bp-history-'));
  dirs.push(dir);
  return new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: OFFSET });
}

/** Records every write; refuses the first `failures` (all when Infinity). */
class RecordingStore implements TimeSeriesStore {
  readonly writes: TimeSeriesRecord[][] = [];
  attempts = 0;
  constructor(private failures = 0) {}
  async write(records: readonly TimeSeriesRecord[]): Promise<void> {
    this.attempts++;
    if (this.failures-- > 0) throw Object.assign(new Error('store down'), { retryAfterMs: 1 });
    this.writes.push([...records]);
  }
  async deviceSeries() {
    return [];
  }
  async tonnage() {
    return [];
  }
  async weighTickets() {
    return [];
  }
  async sortingReports() {
    return [];
  }
  async collections() {
    return [];
  }
  async participation() {
    return [];
  }
  async close() {}
}

function history(store: TimeSeriesStore, options: { days?: number; registry?: ReturnType<typeof registryOf>; maxAttempts?: number } = {}) {
  const plan = planHistory(NOW, options.days ?? 2, OFFSET)!;
  const registry = options.registry ?? registryOf(DEVICES);
  return new DemoHistory({ plan, devices: DEVICES, seed: 'tianning', registry, store, logger, maxAttempts: options.maxAttempts });
}

/** Writes the small fleet's two days and today so far, and checks the store has them all. */
async function writesEveryDay(store: TimeSeriesStore): Promise<void> {
  const h = history(store);
  expect(h.status()).toEqual({ state: 'writing', fromDay: '2026-12-04', toDay: '2026-12-05', until: new Date(NOW).toISOString(), daysWritten: 0, daysTotal: 2 });
  h.start();
  await h.finished;
  expect(h.status()).toMatchObject({ state: 'done', daysWritten: 2, daysTotal: 2 });

  // The same run, published: every deposit of it is in the report, once.
  const sim = createFleetSimulation(historyFleetOptions(h.plan, { seed: 'tianning', devices: DEVICES, hashResident: sha256 }));
  const deposits = sim.advanceTo(NOW).filter((a) => a.type === 'publish' && a.channel === 'event/deposit');
  const report = await store.tonnage({ fromDay: '2026-12-04', toDay: '2026-12-06', utcOffsetMinutes: OFFSET });
  expect(new Set(report.map((r) => r.day))).toEqual(new Set(['2026-12-04', '2026-12-05', '2026-12-06']));
  expect(report.reduce((n, r) => n + r.deposits, 0)).toBe(deposits.length);

  // Hourly fill readings of a box from the first midnight to the end.
  const series = await store.deviceSeries('box-0001', { from: localDayStart('2026-12-04', OFFSET), to: NOW + 1 }, 100_000);
  const fill = series.filter((p) => p.metric === 'fillingLevel' && p.category === 'paper').map((p) => Date.parse(p.ts));
  expect(fill.length).toBeGreaterThanOrEqual(2 * 24);
  expect(fill[0]! - localDayStart('2026-12-04', OFFSET)).toBeLessThan(3_600_000);
  expect(NOW - fill.at(-1)!).toBeLessThan(3_600_000);
}

describe('DemoHistory', () => {
  it('writes every day and today so far through the SQLite store, with what the simulator would have published', async () => {
    const store = sqliteStore();
    await writesEveryDay(store);
    await store.close();
  });

  it('shows its observer every message it writes, devices no longer registered left out', async () => {
    const store = new RecordingStore();
    const plan = planHistory(NOW, 1, OFFSET)!;
    const seen: string[] = [];
    const registry = registryOf(DEVICES.filter((d) => d.id !== 'box-0002'));
    const h = new DemoHistory({ plan, devices: DEVICES, seed: 'tianning', registry, store, logger, observe: (m, d) => seen.push(`${d.id} ${m.channel}`) });
    h.start();
    await h.finished;
    const written = store.writes.flat();
    expect(seen.length).toBe(written.length);
    expect(seen.filter((s) => s.endsWith('event/deposit')).length).toBe(written.filter((r) => r.type === 'deposit').length);
    expect(seen.some((s) => s.startsWith('box-0001 telemetry'))).toBe(true);
    expect(seen.some((s) => s.startsWith('box-0002'))).toBe(false);
  });

  it('tags records from the registry, and leaves out devices no longer in it', () => {
    const moved = DEVICES.map((d) => (d.id === 'box-0001' ? { ...d, subdistrict: 'zhenglu' as const, community: '郑陆新村' } : d));
    const registry = registryOf(moved.filter((d) => d.id !== 'box-0002'));
    const sim = createFleetSimulation(historyFleetOptions(planHistory(NOW, 1, OFFSET)!, { seed: 'tianning', devices: DEVICES, hashResident: sha256 }));
    const records = historyRecords(sim.advanceTo(NOW), registry, OFFSET);
    expect(records.filter((r) => r.tags.deviceId === 'box-0002')).toEqual([]);
    const box1 = records.filter((r) => r.tags.deviceId === 'box-0001');
    expect(box1.length).toBeGreaterThan(50);
    expect(new Set(box1.map((r) => `${r.tags.subdistrict} ${r.tags.community}`))).toEqual(new Set(['zhenglu 郑陆新村']));
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['box_reading', 'deposit', 'collection', 'camera_heartbeat', 'detection']));
  });

  it('turns a device going dark and coming back into offline and online status records', () => {
    const registry = registryOf(DEVICES);
    const records = historyRecords(
      [
        { type: 'goDark', deviceId: 'cam-001', atMs: NOW - 60_000 },
        { type: 'comeBack', deviceId: 'cam-001', atMs: NOW - 1_000 },
      ],
      registry,
      OFFSET,
    );
    expect(records.map((r) => (r.type === 'status' ? [r.ts, r.online] : r.type))).toEqual([
      [NOW - 60_000, false],
      [NOW - 1_000, true],
    ]);
  });

  it('retries a refused write, and gives up with state failed when the store stays down', async () => {
    const flaky = new RecordingStore(1);
    const h1 = history(flaky, { days: 1 });
    h1.start();
    await h1.finished;
    expect(h1.status().state).toBe('done');
    expect(flaky.attempts).toBe(flaky.writes.length + 1);

    const down = new RecordingStore(Infinity);
    const h2 = history(down, { days: 1, maxAttempts: 3 });
    h2.start();
    await h2.finished;
    expect(h2.status()).toMatchObject({ state: 'failed', daysWritten: 0 });
    expect(down.attempts).toBe(3);
  });

  it('stops between writes when the platform stops', async () => {
    const store = new RecordingStore();
    const h = history(store, { days: 3 });
    h.start();
    while (store.writes.length === 0) await new Promise((r) => setTimeout(r, 5));
    await h.stop();
    const written = store.writes.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.writes.length).toBe(written);
    expect(h.status().state).toBe('writing');
    expect(h.status().daysWritten).toBeLessThan(3);
  });
});

describe.runIf(hasInfluxd)('DemoHistory on InfluxDB (influxd 1.x, v1 API)', () => {
  let server: RunningInfluxd | undefined;
  afterAll(async () => server?.stop());

  it('writes the same history through the same port', async () => {
    server = await startInfluxd();
    const db = `bp_${randomUUID().replaceAll('-', '')}`;
    const store = new InfluxTimeSeriesStore({ url: server.url, api: 'v1', bucket: db, db, utcOffsetMinutes: OFFSET });
    await store.init();
    await writesEveryDay(store);
    await store.close();
  }, 60_000);

  it('with managed retention, rolls the complete days up into the daily tonnage rollup the report reads (issue 16)', async () => {
    server ??= await startInfluxd();
    const db = `bp_${randomUUID().replaceAll('-', '')}`;
    const store = new InfluxTimeSeriesStore({ url: server.url, api: 'v1', bucket: db, db, utcOffsetMinutes: OFFSET, rawRetentionDays: 90 });
    await store.init();
    await writesEveryDay(store);
    // The test server runs no continuous queries: these points come from the history's roll-up.
    const res = await fetch(`${server.url}/query?${new URLSearchParams({ db, epoch: 'ms', q: `SELECT "deposits" FROM "${db}"."forever"."tonnage_daily"` })}`);
    const body = (await res.json()) as { results: { series?: { values: [number, number][] }[] }[] };
    const days = new Set((body.results[0]!.series ?? []).flatMap((s) => s.values.map(([ms]) => new Date(ms + OFFSET * 60_000).toISOString().slice(0, 10))));
    expect([...days].sort()).toEqual(expect.arrayContaining(['2026-12-04', '2026-12-05']));
    await store.close();
  }, 60_000);
});

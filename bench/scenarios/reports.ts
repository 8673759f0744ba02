/**
 * 5. Reports: a year of the district's deposits (one simulated day, ~20,000 deposits, repeated
 * for 365 days with new event ids) written through the store port, then the one-year tonnage
 * report: from the embedded store directly, through the platform's API (what a manager's
 * browser waits for), and from InfluxDB when influxd is installed: summing the raw deposits,
 * then from the daily rollup after its backfill (issue 16).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config.ts';
import type { Device } from '../../shared/contracts/index.ts';
import { DAY_MS, localDayStart, toLocalIso } from '../../shared/units.ts';
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { openDatabase } from '../../services/storage/sqlite.ts';
import { influxStoreConfig, openTimeSeriesStore } from '../../services/timeseries/adapters/create-store.ts';
import { InfluxTimeSeriesStore } from '../../services/timeseries/adapters/influx-store.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../../services/timeseries/core/store.ts';
import { buildTonnageReport } from '../../services/timeseries/core/tonnage.ts';
import { startPlatformProcess } from '../../tests/support/platform-process.ts';
import { districtTraffic } from '../core/district-traffic.ts';
import { round, summarise } from '../core/stats.ts';
import { BENCH_SEED } from '../adapters/fleet.ts';
import { DISTRICT, type Scenario, type ScenarioContext, platformNodeArgs } from './context.ts';

const UTC_OFFSET_MIN = 480;
const BATCH = 10_000;
const INFLUXD = process.env.INFLUXD_BIN ?? '/usr/bin/influxd';

export const reportsScenario: Scenario = async (ctx) => {
  const days = ctx.options.quick ? 30 : 365;
  const repeats = ctx.options.quick ? 10 : 30;
  const year = yearOfDeposits(days);
  const figures: Awaited<ReturnType<Scenario>>['figures'] = {
    deposits: { label: `deposits over ${days} days`, value: year.count, unit: '' },
  };
  const notes: string[] = [];

  const dataDir = mkdtempSync(join(tmpdir(), 'bp-bench-reports-'));
  try {
    const config = loadConfig({ DATA_DIR: dataDir });
    const sqlite = await openTimeSeriesStore(config, () => openDatabase(join(dataDir, 'timeseries.db')));
    const written = await fill(ctx, 'embedded store', sqlite, year);
    figures.sqliteWriteRate = { label: 'embedded store, deposits written', value: round(written, 0), unit: 'deposits/s' };
    const direct = await timeReport(() => report(sqlite, year), repeats);
    await sqlite.close();
    figures.storeYearP50Ms = { label: 'report over all days, embedded store (in process), p50', value: round(direct.p50, 1), unit: 'ms' };

    ctx.progress('reports: one-year report through the API');
    const platform = await startPlatformProcess({ SIMULATOR: 'off' }, { dataDir, nodeArgs: platformNodeArgs() });
    try {
      const url = `${platform.baseUrl}/api/v1/reports/tonnage?from=${year.fromDay}&to=${year.toDay}`;
      const api = await timeReport(async () => {
        const response = await fetch(url, { headers: { authorization: `Bearer ${platform.adminToken}` } });
        if (!response.ok) throw new Error(`tonnage report: HTTP ${response.status}`);
        const body = (await response.json()) as { totalDeposits: number };
        if (body.totalDeposits !== year.count) throw new Error(`report counts ${body.totalDeposits} deposits, wrote ${year.count}`);
      }, repeats);
      figures.apiYearP50Ms = { label: 'report over all days, embedded store (API), p50', value: round(api.p50, 1), unit: 'ms' };
      figures.apiYearP99Ms = { label: 'report over all days, embedded store (API), p99', value: round(api.p99, 1), unit: 'ms' };
    } finally {
      await platform.stop();
    }

    if (existsSync(INFLUXD)) {
      const { startInfluxd } = await import('../../tests/support/influxd.ts');
      const influxd = await startInfluxd();
      try {
        // The platform's settings: v1 with managed retention, so the daily rollup exists.
        // A longer HTTP timeout than the platform's 10 s: on a busy machine the raw scan of a
        // year takes longer than that (the platform's report then fails), and it is measured here.
        const influx = new InfluxTimeSeriesStore({
          ...influxStoreConfig(loadConfig({ DATA_DIR: dataDir, INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DB: 'bench' })),
          timeoutMs: 120_000,
        });
        await influx.init();
        const rate = await fill(ctx, 'InfluxDB', influx, year);
        figures.influxWriteRate = { label: 'InfluxDB 1.6, deposits written', value: round(rate, 0), unit: 'deposits/s' };
        // Written at once, like the demo history: no CQ has rolled these days up, so the report
        // sums the raw deposits (the figure before issue 16), until the backfill.
        ctx.progress('reports: InfluxDB, one-year report from the raw deposits');
        const raw = await timeReport(() => report(influx, year), Math.min(repeats, 2));
        figures.influxRawYearP50Ms = { label: 'report over all days, InfluxDB 1.6, raw deposits, p50', value: round(raw.p50, 1), unit: 'ms' };
        ctx.progress('reports: InfluxDB, rolling the year up');
        const t0 = performance.now();
        await influx.rollUpTonnage({ from: localDayStart(year.fromDay, UTC_OFFSET_MIN), to: Date.now() });
        figures.influxRollUpS = { label: 'InfluxDB 1.6, backfilling the daily rollup of the year', value: round((performance.now() - t0) / 1000, 1), unit: 's' };
        const timed = await timeReport(() => report(influx, year), Math.min(repeats, 10));
        figures.influxYearP50Ms = { label: 'report over all days, InfluxDB 1.6, daily rollup + raw yesterday, p50', value: round(timed.p50, 1), unit: 'ms' };
        await influx.close();
      } finally {
        await influxd.stop();
      }
    } else {
      notes.push(`InfluxDB part skipped: ${INFLUXD} not installed (apt-get install influxdb)`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { scenario: 'reports', figures, notes };
};

interface YearOfDeposits {
  fromDay: string;
  toDay: string;
  days: number;
  count: number;
  /** The deposits of day d (0 = fromDay), built on demand: a year does not fit in memory as objects. */
  day(d: number): TimeSeriesRecord[];
}

/** One simulated district day of deposits, repeated over `days` days ending yesterday. */
function yearOfDeposits(days: number): YearOfDeposits {
  const devices = generateDemoFleet({ seed: BENCH_SEED, boxes: DISTRICT.boxes, cameras: DISTRICT.cameras });
  const byId = new Map<string, Device>(devices.map((d) => [d.id, d]));
  const today = localDayStart(toLocalIso(Date.now(), UTC_OFFSET_MIN).slice(0, 10), UTC_OFFSET_MIN);
  const firstDay = today - days * DAY_MS;
  const traffic = districtTraffic({
    seed: BENCH_SEED,
    devices,
    startMs: firstDay,
    days: 1,
    hashResident: (text) => createHash('sha256').update(text).digest('hex'),
    utcOffsetMinutes: UTC_OFFSET_MIN,
  });
  const template: TimeSeriesRecord[] = [];
  for (const [deviceId, messages] of traffic) {
    const device = byId.get(deviceId)!;
    for (const m of messages) {
      if (m.channel !== 'event/deposit') continue;
      const p = m.payload as { ts: string; eventId: string; category: never; weightKg: number; points: number };
      template.push({
        type: 'deposit',
        tags: { deviceId, kind: device.kind, subdistrict: device.subdistrict, community: device.community },
        ts: Date.parse(p.ts),
        eventId: p.eventId,
        category: p.category,
        weightKg: p.weightKg,
        points: p.points,
      });
    }
  }
  const dayOf = (ms: number) => toLocalIso(ms, UTC_OFFSET_MIN).slice(0, 10);
  return {
    fromDay: dayOf(firstDay),
    toDay: dayOf(today - 1),
    days,
    count: template.length * days,
    day: (d) => template.map((r) => ({ ...r, ts: r.ts + d * DAY_MS, eventId: `${(r as { eventId: string }).eventId}~${d}` }) as TimeSeriesRecord),
  };
}

async function fill(ctx: ScenarioContext, name: string, store: TimeSeriesStore, year: YearOfDeposits): Promise<number> {
  const t0 = performance.now();
  for (let d = 0; d < year.days; d++) {
    const records = year.day(d);
    for (let i = 0; i < records.length; i += BATCH) await store.write(records.slice(i, i + BATCH));
    ctx.progress(`reports: ${name}, day ${d + 1}/${year.days} written`);
  }
  return year.count / ((performance.now() - t0) / 1000);
}

async function report(store: TimeSeriesStore, year: YearOfDeposits): Promise<void> {
  const range = { fromDay: year.fromDay, toDay: year.toDay, utcOffsetMinutes: UTC_OFFSET_MIN };
  const built = buildTonnageReport(await store.tonnage(range), range);
  if (built.totalDeposits !== year.count) throw new Error(`report counts ${built.totalDeposits} deposits, wrote ${year.count}`);
}

/** Latencies of `repeats` runs after one warm-up run. */
async function timeReport(run: () => Promise<void>, repeats: number) {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await run();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

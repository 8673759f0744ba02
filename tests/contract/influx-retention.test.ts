/**
 * Managed raw-data retention on a real influxd 1.x (RETENTION_RAW_DAYS, v1 without INFLUX_RP):
 * the "raw" and "forever" retention policies and the tonnage continuous query exist after
 * init(), readings land in "raw", events in "forever", and the store still passes the contract.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { InfluxTimeSeriesStore, type InfluxStoreConfig } from '../../services/timeseries/adapters/influx-store.ts';
import { dropDatabaseStatement } from '../../services/timeseries/core/influx-query.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../services/timeseries/core/store.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../support/influxd.ts';
import { storesDroppedAfterEach } from './influx-stores.ts';
import { describeTimeSeriesStore } from './timeseries-store.contract.ts';

let server: Promise<RunningInfluxd> | null = null;
const influxd = () => (server ??= startInfluxd());
afterAll(async () => {
  if (server) await (await server).stop();
});

interface QueryAnswer {
  results: { series?: { name: string; columns: string[]; values: unknown[][] }[]; error?: string }[];
}

async function rawQuery(url: string, db: string, q: string): Promise<QueryAnswer> {
  const res = await fetch(`${url}/query?${new URLSearchParams({ db, epoch: 'ms' })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  return (await res.json()) as QueryAnswer;
}

async function freshStore(extra: Partial<InfluxStoreConfig> = {}) {
  const { url } = await influxd();
  const db = `bp_${randomUUID().replaceAll('-', '')}`;
  const config: InfluxStoreConfig = { url, api: 'v1', bucket: db, db, utcOffsetMinutes: 480, rawRetentionDays: 90, ...extra };
  const store = new InfluxTimeSeriesStore(config);
  await store.init();
  return { store, db, url, config, cleanup: async () => void (await rawQuery(url, db, dropDatabaseStatement(db))) };
}

const policies = async (url: string, db: string) =>
  (await rawQuery(url, db, `SHOW RETENTION POLICIES ON "${db}"`)).results[0]!.series![0]!.values.map(([name, duration, , , isDefault]) => ({
    name,
    duration,
    default: isDefault,
  }));

const count = async (url: string, db: string, from: string): Promise<number> => {
  const answer = await rawQuery(url, db, `SELECT COUNT(*) FROM ${from}`);
  const series = answer.results[0]!.series;
  if (!series) return 0;
  return Math.max(...(series[0]!.values[0]!.slice(1) as number[]));
};

describe.runIf(hasInfluxd)('InfluxTimeSeriesStore with managed retention on influxd 1.x', () => {
  describeTimeSeriesStore('InfluxTimeSeriesStore (v1, "raw"/"forever" retention policies)', async ({ utcOffsetMinutes }) => {
    const { store, cleanup } = await freshStore({ utcOffsetMinutes });
    return { store, cleanup };
  });

  describe('retention policies and continuous query', () => {
    const open = storesDroppedAfterEach(freshStore);
    const tags: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' };

    it('init() creates "raw" (DEFAULT, RETENTION_RAW_DAYS) and "forever" (INF) and the tonnage and fill CQs; again without harm; alters a changed duration', async () => {
      const { store, url, db, config } = await open();
      await store.init();
      expect(await policies(url, db)).toEqual(
        expect.arrayContaining([
          { name: 'raw', duration: '2160h0m0s', default: true },
          { name: 'forever', duration: '0s', default: false },
        ]),
      );
      const cqs = (await rawQuery(url, db, 'SHOW CONTINUOUS QUERIES')).results[0]!.series!.find((s) => s.name === db)!;
      expect(cqs.values.map((row) => row[0]).sort()).toEqual(['cq_fill_hourly', 'cq_tonnage_daily']);
      const cqQuery = (name: string, series = cqs): string => String(series.values.find((row) => row[0] === name)![1]);
      expect(cqQuery('cq_tonnage_daily')).toMatch(/INTO "?\w+"?\."?forever"?\."?tonnage_daily"? FROM "?\w+"?\."?forever"?\."?deposit"?/);
      expect(cqQuery('cq_tonnage_daily')).toMatch(/time\(1d, -8h\), "?category"?, "?subdistrict"?/);
      expect(cqQuery('cq_tonnage_daily')).toMatch(/RESAMPLE EVERY 1h FOR (7d|1w)/i); // 1.6 prints 7d as 1w
      expect(cqQuery('cq_fill_hourly')).toMatch(/max\("?fillingLevel"?\) AS "?maxFillingLevel"?, last\("?fillingLevel"?\) AS "?lastFillingLevel"?/);
      expect(cqQuery('cq_fill_hourly')).toMatch(/INTO "?\w+"?\."?forever"?\."?fill_hourly"? FROM "?\w+"?\."?raw"?\."?box_reading"?/);
      expect(cqQuery('cq_fill_hourly')).toMatch(/time\(1h\), "?deviceId"?, "?category"?/);

      const shorter = new InfluxTimeSeriesStore({ ...config, rawRetentionDays: 30 });
      await shorter.init();
      expect(await policies(url, db)).toEqual(expect.arrayContaining([{ name: 'raw', duration: '720h0m0s', default: true }]));

      // Another UTC offset replaces the continuous query instead of failing.
      await new InfluxTimeSeriesStore({ ...config, utcOffsetMinutes: 540 }).init();
      const after = (await rawQuery(url, db, 'SHOW CONTINUOUS QUERIES')).results[0]!.series!.find((s) => s.name === db)!;
      expect(after.values).toHaveLength(2);
      expect(cqQuery('cq_tonnage_daily', after)).toMatch(/time\(1d, -9h\)/);
      expect(cqQuery('cq_fill_hourly', after)).toMatch(/time\(1h\)/);
    });

    it('writes readings to "raw" and events to "forever"; tonnage and series read across both', async () => {
      const { store, url, db } = await open();
      const now = Date.now() - 60_000;
      const records: TimeSeriesRecord[] = [
        {
          type: 'box_reading',
          tags,
          ts: now,
          compartments: [{ category: 'paper', fillingLevel: 40, weightKg: 3 }],
          temperatureC: 20,
          batteryPercent: null,
          rssiDbm: -70,
          lidOpen: false,
        },
        { type: 'status', tags, ts: now, online: true },
        { type: 'deposit', tags, ts: now, eventId: 'd-1', category: 'paper', weightKg: 2.5, points: 5 },
        { type: 'fault', tags, ts: now, eventId: 'f-1', fault: 'lid_stuck', active: true },
      ];
      const report = await store.writeReporting(records);
      expect(report).toEqual({ written: 5, rejected: [], unattributed: null });
      for (const m of ['box_reading', 'box_health', 'device_status']) {
        expect(await count(url, db, `"${db}"."raw"."${m}"`)).toBe(1);
        expect(await count(url, db, `"${db}"."forever"."${m}"`)).toBe(0);
      }
      for (const m of ['deposit', 'fault']) {
        expect(await count(url, db, `"${db}"."forever"."${m}"`)).toBe(1);
        expect(await count(url, db, `"${db}"."raw"."${m}"`)).toBe(0);
      }
      const day = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(await store.tonnage({ fromDay: day, toDay: day, utcOffsetMinutes: 480 })).toEqual([
        { day, category: 'paper', subdistrict: 'hongmei', kg: 2.5, deposits: 1 },
      ]);
      const series = await store.deviceSeries(tags.deviceId, { from: now, to: now + 1 }, 100);
      expect(new Set(series.map((p) => p.metric))).toEqual(new Set(['fillingLevel', 'weightKg', 'temperatureC', 'rssiDbm', 'depositKg']));
    });

    it('a deposit older than the raw retention is still stored (it goes to "forever")', async () => {
      const { store, url, db } = await open({ rawRetentionDays: 1 });
      const old = Date.now() - 10 * 86_400_000;
      const report = await store.writeReporting([
        { type: 'deposit', tags, ts: old, eventId: 'old', category: 'glass', weightKg: 1, points: 1 },
        { type: 'status', tags, ts: old, online: true },
      ]);
      expect(report.written).toBe(2);
      expect(report.unattributed).toMatch(/retention/); // the old reading was dropped by "raw"
      expect(await count(url, db, `"${db}"."forever"."deposit"`)).toBe(1);
      expect(await count(url, db, `"${db}"."raw"."device_status"`)).toBe(0);
    });

    it('leaves retention alone when INFLUX_RP is set', async () => {
      const { store, url, db } = await open({ rp: 'autogen' });
      expect(store.managedRetention).toBe(false);
      expect((await policies(url, db)).map((p) => p.name)).toEqual(['autogen']);
    });
  });
});

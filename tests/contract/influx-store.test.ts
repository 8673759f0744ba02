/**
 * InfluxTimeSeriesStore (v1 API: /write and InfluxQL /query) against a real influxd 1.x:
 * the same contract suite as the SQLite store, plus what is particular to InfluxDB.
 * One server for the file; a fresh database per test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { InfluxTimeSeriesStore, type InfluxStoreConfig, type WriteReport } from '../../services/timeseries/adapters/influx-store.ts';
import { dropDatabaseStatement } from '../../services/timeseries/core/influx-query.ts';
import { eventOffsetNs } from '../../services/timeseries/core/influx-schema.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../services/timeseries/core/store.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../support/influxd.ts';
import { storesDroppedAfterEach } from './influx-stores.ts';
import { describeTimeSeriesStore } from './timeseries-store.contract.ts';

let server: Promise<RunningInfluxd> | null = null;
const influxd = () => (server ??= startInfluxd());
afterAll(async () => {
  if (server) await (await server).stop();
});

async function rawQuery(url: string, db: string, q: string): Promise<unknown> {
  const res = await fetch(`${url}/query?${new URLSearchParams({ db, epoch: 'ms' })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  return res.json();
}

async function freshStore(extra: Partial<InfluxStoreConfig> = {}) {
  const { url } = await influxd();
  const db = `bp_${randomUUID().replaceAll('-', '')}`;
  const store = new InfluxTimeSeriesStore({ url, api: 'v1', bucket: db, db, utcOffsetMinutes: 480, ...extra });
  await store.init();
  const cleanup = async () => {
    await rawQuery(url, db, dropDatabaseStatement(db));
  };
  return { store, db, url, cleanup };
}

describe.runIf(hasInfluxd)('InfluxTimeSeriesStore on influxd 1.x', () => {
  describeTimeSeriesStore('InfluxTimeSeriesStore (v1 API, real influxd)', async ({ utcOffsetMinutes }) => {
    const { store, cleanup } = await freshStore({ utcOffsetMinutes });
    return { store, cleanup };
  });

  describe('InfluxDB specifics', () => {
    const open = storesDroppedAfterEach(freshStore);

    const tags: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: '红梅新村 一区,东=2' };
    const T0 = Date.parse('2026-11-26T10:00:00+08:00');
    const deposit = (eventId: string, ts: number, weightKg: number): TimeSeriesRecord => ({
      type: 'deposit',
      tags,
      ts,
      eventId,
      category: 'paper',
      weightKg,
      points: 10,
    });
    const day = { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 };

    it('two distinct deposits of one box in the same millisecond both count; replaying them changes nothing', async () => {
      const { store } = await open();
      expect(eventOffsetNs('same-ms-a')).not.toBe(eventOffsetNs('same-ms-b'));
      const both = [deposit('same-ms-a', T0, 1.25), deposit('same-ms-b', T0, 2)];
      await store.write(both);
      await store.write(both);
      expect(await store.tonnage(day)).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 3.25, deposits: 2 }]);
      const series = await store.deviceSeries(tags.deviceId, { from: T0, to: T0 + 1 }, 10);
      expect(series.map((p) => [p.ts, p.value]).sort()).toEqual([
        [new Date(T0).toISOString(), 1.25],
        [new Date(T0).toISOString(), 2],
      ]);
    });

    it('stores tags with spaces, commas, "=" and Chinese text as they are, and every numeric field as a float', async () => {
      const { store, url, db } = await open();
      await store.write([deposit('d-1', T0, 2)]);
      const values = (await rawQuery(url, db, 'SHOW TAG VALUES FROM "deposit" WITH KEY = "community"')) as {
        results: { series: { values: string[][] }[] }[];
      };
      expect(values.results[0]!.series[0]!.values).toEqual([['community', tags.community]]);
      const types = (await rawQuery(url, db, 'SHOW FIELD KEYS FROM "deposit"')) as { results: { series: { values: string[][] }[] }[] };
      expect(types.results[0]!.series[0]!.values).toEqual([
        ['eventId', 'string'],
        ['points', 'float'],
        ['weightKg', 'float'],
      ]);
    });

    it('a line the server refuses is set aside with its reason and record; the rest of the batch is stored', async () => {
      const reports: WriteReport[] = [];
      const { store } = await open({ onRejected: (report) => reports.push(report) });
      // The encoder cannot know the server's limits: 1.x refuses series keys over 64 KiB by name.
      const oversized: TimeSeriesRecord = { ...deposit('huge', T0 + 1, 5), tags: { ...tags, community: 'x'.repeat(70_000) } };
      const report = await store.writeReporting([deposit('ok', T0, 1), oversized]);
      expect(report.written).toBe(1);
      expect(report.rejected).toEqual([{ record: oversized, line: expect.stringContaining('x'.repeat(1000)), reason: expect.stringMatching(/max key length exceeded/) }]);
      expect(report.unattributed).toBeNull();
      expect(reports).toEqual([report]);
      expect(await store.tonnage(day)).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 1, deposits: 1 }]);
    });

    it('points the server drops without naming them are reported as unattributed, not failed', async () => {
      const reports: WriteReport[] = [];
      const { store, url, db } = await open({ onRejected: (report) => reports.push(report) });
      // Another tool wrote "points" as an integer into the same shard: our float deposit conflicts.
      const res = await fetch(`${url}/write?db=${db}&precision=ms`, { method: 'POST', body: `deposit,deviceId=other points=1i ${T0 - 1000}` });
      expect(res.status).toBe(204);
      const reading: TimeSeriesRecord = { type: 'status', tags, ts: T0, online: true };
      const report = await store.writeReporting([deposit('d-1', T0, 1), reading]);
      expect(report.rejected).toEqual([]);
      expect(report.unattributed).toMatch(/field type conflict/);
      expect(reports).toHaveLength(1);
      expect(await store.tonnage(day)).toEqual([]);
      const status = (await rawQuery(url, db, 'SELECT "online" FROM "device_status"')) as { results: { series: { values: unknown[][] }[] }[] };
      expect(status.results[0]!.series[0]!.values).toEqual([[T0, true]]);
    });

    it('init() creates the database, and again without harm; a database dropped later is a fatal, named error', async () => {
      const { store, url, db } = await open();
      await store.init();
      await rawQuery(url, db, dropDatabaseStatement(db));
      await expect(store.write([deposit('d-1', T0, 1)])).rejects.toMatchObject({
        name: 'InfluxWriteError',
        retriable: false,
        status: 404,
        message: expect.stringMatching(/database not found/),
      });
    });

    it('writes into the configured retention policy and reads from it', async () => {
      const { url, db } = await open();
      await rawQuery(url, db, `CREATE RETENTION POLICY "short" ON "${db}" DURATION 30d REPLICATION 1`);
      const store = new InfluxTimeSeriesStore({ url, api: 'v1', bucket: db, db, rp: 'short', utcOffsetMinutes: 480 });
      await store.write([deposit('d-1', Date.now() - 60_000, 4)]);
      const inDefault = (await rawQuery(url, db, 'SELECT COUNT("weightKg") FROM "deposit"')) as { results: { series?: unknown[] }[] };
      expect(inDefault.results[0]!.series).toBeUndefined();
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const from = new Date(Date.now() + 8 * 3_600_000 - 2 * 86_400_000).toISOString().slice(0, 10);
      const rows = await store.tonnage({ fromDay: from, toDay: today, utcOffsetMinutes: 480 });
      expect(rows.reduce((kg, r) => kg + r.kg, 0)).toBe(4);
    });

    it('a server that is not there is a retriable network error', async () => {
      const store = new InfluxTimeSeriesStore({ url: 'http://127.0.0.1:9', api: 'v1', bucket: 'b', db: 'b', utcOffsetMinutes: 480 });
      await expect(store.write([deposit('d-1', T0, 1)])).rejects.toMatchObject({ name: 'InfluxWriteError', retriable: true, kind: 'network' });
      await expect(store.init()).rejects.toMatchObject({ name: 'InfluxQueryError', retriable: true });
      await store.close();
      await expect(store.write([deposit('d-1', T0, 1)])).rejects.toMatchObject({ retriable: false, message: /closed/ });
    });
  });
});

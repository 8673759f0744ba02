/**
 * The tonnage report from the daily rollup on a real influxd 1.x (issue 16, item 6) answers
 * exactly what the raw scan of the deposits answers: kg to the milligram, deposit counts, over
 * ten local days ending today (today and yesterday come from raw, older days from the rollup;
 * days missing from the rollup from raw too). The test server runs with continuous queries off,
 * so the rollup is written by rollUpTonnage(), which shares the CQ's aggregation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBDISTRICTS } from '../../../shared/contracts/common.ts';
import type { Subdistrict, TonnageRow, WasteCategory } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { InfluxTimeSeriesStore } from '../../../services/timeseries/adapters/influx-store.ts';
import { dropDatabaseStatement, msLiteral, tonnageQuery } from '../../../services/timeseries/core/influx-query.ts';
import { parseQueryResponse, tonnageFromResults } from '../../../services/timeseries/core/influx-results.ts';
import { MEASUREMENT_RP, TONNAGE_DAILY_MEASUREMENT } from '../../../services/timeseries/core/influx-retention.ts';
import type { TimeSeriesRecord, TonnageQuery } from '../../../services/timeseries/core/store.ts';
import { buildTonnageReport } from '../../../services/timeseries/core/tonnage.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../../support/influxd.ts';

const OFFSET = 480;
const DAYS = 10;
const CATEGORIES: WasteCategory[] = ['paper', 'plastic', 'glass', 'metal'];

async function influxQuery(url: string, db: string, q: string): Promise<unknown> {
  const res = await fetch(`${url}/query?${new URLSearchParams({ db, epoch: 'ms' })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  return res.json();
}

/** The report as the store answered it before the rollup: SUM/COUNT over every deposit. */
async function rawScan(url: string, db: string, query: TonnageQuery): Promise<TonnageRow[]> {
  const body = await influxQuery(url, db, tonnageQuery({ db, measurementRp: MEASUREMENT_RP }, query));
  return tonnageFromResults(parseQueryResponse(body, 1), OFFSET);
}

let seed = 11;
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);

function deposit(i: number, ts: number, subdistrict = SUBDISTRICTS[next() % 3] as Subdistrict): TimeSeriesRecord {
  return {
    type: 'deposit',
    tags: { deviceId: `box-${String(next() % 20).padStart(4, '0')}`, kind: 'box', subdistrict, community: `${subdistrict}-c` },
    ts,
    eventId: `dep-${i}`,
    category: CATEGORIES[next() % CATEGORIES.length]!,
    weightKg: (next() % 12_000) / 1000 + 0.1, // 0.1 .. 12.099 kg, three decimals plus float noise
    points: 1,
  };
}

describe.runIf(hasInfluxd)('tonnage from the daily rollup on influxd 1.x', () => {
  let influxd: RunningInfluxd;
  const db = `rollup_${randomUUID().replaceAll('-', '')}`;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    if (influxd) await influxQuery(influxd.url, db, dropDatabaseStatement(db));
    await influxd?.stop();
  });

  it('equals the raw scan before and after the backfill, with late deposits, today, and days missing from the rollup', async () => {
    const { url } = influxd;
    const store = new InfluxTimeSeriesStore({ url, api: 'v1', bucket: db, db, utcOffsetMinutes: OFFSET, rawRetentionDays: 90 });
    await store.init();
    const now = Date.now();
    const today = localDay(now, OFFSET);
    const todayStart = localDayStart(today, OFFSET);
    const firstStart = todayStart - (DAYS - 1) * DAY_MS;
    const dayOf = (k: number) => localDay(firstStart + k * DAY_MS, OFFSET); // k = 0 .. DAYS-1 (today)

    const records: TimeSeriesRecord[] = [];
    for (let i = 0; i < 800; i++) {
      const k = next() % DAYS;
      // A quarter within a minute of a local midnight (16:00 UTC), the rest anywhere in the day.
      const ts = i % 4 === 0 ? firstStart + k * DAY_MS + ((next() % 120_000) - 60_000) : firstStart + k * DAY_MS + (next() % DAY_MS);
      if (ts >= firstStart && ts < now) records.push(deposit(i, ts));
    }
    // Either side of one local midnight: the last millisecond of day 3 and the first of day 4.
    const midnight = firstStart + 4 * DAY_MS;
    records.push(deposit(9001, midnight - 1, 'hongmei'), deposit(9002, midnight, 'hongmei'));
    for (let i = 0; i < records.length; i += 100) await store.write(records.slice(i, i + 100));
    await store.write(records.slice(100, 200)); // a replayed batch counts once

    const queries: TonnageQuery[] = [
      { fromDay: dayOf(0), toDay: today, utcOffsetMinutes: OFFSET },
      { fromDay: dayOf(1), toDay: dayOf(5), utcOffsetMinutes: OFFSET },
      { fromDay: dayOf(0), toDay: today, subdistrict: 'hongmei', utcOffsetMinutes: OFFSET },
      { fromDay: dayOf(DAYS - 2), toDay: today, utcOffsetMinutes: OFFSET },
    ];
    const expectRawEquality = async () => {
      for (const query of queries) {
        const [fromStore, fromRaw] = [await store.tonnage(query), await rawScan(url, db, query)];
        expect(fromRaw.length).toBeGreaterThan(0);
        expect(fromStore).toEqual(fromRaw);
        expect(buildTonnageReport(fromStore, query)).toEqual(buildTonnageReport(fromRaw, query));
      }
    };

    // Nothing rolled up yet (no CQ on the test server): every day is a gap, read raw.
    await expectRawEquality();

    await store.rollUpTonnage({ from: firstStart, to: now });
    const rolled = parseQueryResponse(
      await influxQuery(url, db, `SELECT "deposits" FROM "${db}"."forever"."${TONNAGE_DAILY_MEASUREMENT}"`),
      1,
    )[0]!;
    const rolledDays = new Set(rolled.flatMap((s) => s.values.map((row) => localDay(row[0] as number, OFFSET))));
    expect([...rolledDays].sort()).toEqual(Array.from({ length: DAYS - 1 }, (_, k) => dayOf(k))); // complete days only
    await expectRawEquality();

    const whole = queries[0]!;
    const report = buildTonnageReport(await store.tonnage(whole), whole);
    expect(report.totalDeposits).toBe(records.length);
    const hongmeiOn = (day: string) => report.rows.filter((r) => r.day === day && r.subdistrict === 'hongmei').reduce((n, r) => n + r.deposits, 0);
    expect(hongmeiOn(dayOf(3))).toBeGreaterThanOrEqual(1);
    expect(hongmeiOn(dayOf(4))).toBeGreaterThanOrEqual(1);

    // A deposit for a rolled-up day arrives late, and one today: today's counts at once (raw);
    // the old day keeps its rolled-up sums (the proof that the rollup is what is read) until
    // it is rolled up again.
    const late = deposit(9100, firstStart + 2 * DAY_MS + 3_600_000);
    const current = deposit(9101, Math.max(todayStart, now - 1_000));
    await store.write([late, current]);
    const withLate = await store.tonnage(whole);
    const rawWithLate = await rawScan(url, db, whole);
    expect(withLate.filter((r) => r.day === today)).toEqual(rawWithLate.filter((r) => r.day === today));
    const count = (rows: TonnageRow[], day: string) => rows.filter((r) => r.day === day).reduce((n, r) => n + r.deposits, 0);
    expect(count(withLate, dayOf(2))).toBe(count(rawWithLate, dayOf(2)) - 1);
    await store.rollUpTonnage({ from: late.ts, to: late.ts + 1 });
    records.push(late, current);
    await expectRawEquality();

    // A day the rollup lost (or never had) is read raw again.
    const lost = firstStart + 5 * DAY_MS;
    await influxQuery(url, db, `DELETE FROM "${TONNAGE_DAILY_MEASUREMENT}" WHERE time >= ${msLiteral(lost)} AND time < ${msLiteral(lost + DAY_MS)}`);
    await expectRawEquality();
    expect(buildTonnageReport(await store.tonnage(whole), whole).totalDeposits).toBe(records.length);
    await store.close();
  });
});

/**
 * The tonnage report must not depend on the store: the same deposits written to SQLite and to
 * a real InfluxDB 1.x give the same rows and the same report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBDISTRICTS } from '../../../shared/contracts/common.ts';
import type { Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { InfluxTimeSeriesStore } from '../../../services/timeseries/adapters/influx-store.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';
import { buildTonnageReport } from '../../../services/timeseries/core/tonnage.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../../support/influxd.ts';

const OFFSET = 480;
const CATEGORIES: WasteCategory[] = ['paper', 'plastic', 'glass'];

/** Deposits over five local days, many right around local and UTC midnight, with awkward weights. */
function deposits(): TimeSeriesRecord[] {
  const start = Date.parse('2026-11-23T00:00:00+08:00');
  const records: TimeSeriesRecord[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  for (let i = 0; i < 600; i++) {
    const nearMidnight = i % 4 === 0;
    const ts = nearMidnight
      ? start + (next() % 5) * 86_400_000 + ((next() % 120_000) - 60_000) // ±1 min of local midnight
      : start + (next() % (5 * 86_400_000));
    const subdistrict = SUBDISTRICTS[next() % 3] as Subdistrict;
    const previous = records[i - 1];
    // Now and then a second deposit from the same box in the same millisecond: both count.
    const sameMs = i % 50 === 1 && previous !== undefined;
    records.push({
      type: 'deposit',
      tags: sameMs
        ? previous.tags
        : { deviceId: `box-${String(next() % 20).padStart(4, '0')}`, kind: 'box', subdistrict, community: `${subdistrict}-c` },
      ts: sameMs ? previous.ts : ts,
      eventId: `dep-${i}`,
      category: sameMs && previous.type === 'deposit' ? previous.category : CATEGORIES[next() % CATEGORIES.length]!,
      weightKg: (next() % 12_000) / 1000 + 0.1, // 0.1 .. 12.099 kg, three decimals plus float noise
      points: 1,
    });
  }
  return records;
}

describe.runIf(hasInfluxd)('tonnage from SQLite and from InfluxDB 1.x', () => {
  let influxd: RunningInfluxd;
  let dir: string;
  beforeAll(async () => {
    influxd = await startInfluxd();
    dir = mkdtempSync(join(tmpdir(), 'bp-parity-'));
  });
  afterAll(async () => {
    await influxd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the same records give identical rows and reports, whole range and per subdistrict', async () => {
    const sqlite = new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: OFFSET });
    const influx = new InfluxTimeSeriesStore({ url: influxd.url, api: 'v1', bucket: 'parity', db: 'parity', utcOffsetMinutes: OFFSET });
    await influx.init();
    const records = deposits();
    for (const store of [sqlite, influx]) {
      // In batches, with one batch replayed, as the ingest pipeline may.
      for (let i = 0; i < records.length; i += 100) await store.write(records.slice(i, i + 100));
      await store.write(records.slice(200, 300));
    }

    const queries = [
      { fromDay: '2026-11-22', toDay: '2026-11-28', utcOffsetMinutes: OFFSET },
      { fromDay: '2026-11-24', toDay: '2026-11-25', utcOffsetMinutes: OFFSET },
      { fromDay: '2026-11-22', toDay: '2026-11-28', subdistrict: 'hongmei' as const, utcOffsetMinutes: OFFSET },
    ];
    for (const query of queries) {
      const [fromSqlite, fromInflux] = [await sqlite.tonnage(query), await influx.tonnage(query)];
      expect(fromSqlite.length).toBeGreaterThan(0);
      expect(fromInflux).toEqual(fromSqlite);
      expect(buildTonnageReport(fromInflux, query)).toEqual(buildTonnageReport(fromSqlite, query));
    }
    // Local days 22..27: some deposits fall just before local midnight of the first day.
    const all = await influx.tonnage(queries[0]!);
    expect(new Set(all.map((r) => r.day)).size).toBeGreaterThanOrEqual(5);
    expect(all.reduce((n, r) => n + r.deposits, 0)).toBe(600);
    await sqlite.close();
    await influx.close();
  });
});

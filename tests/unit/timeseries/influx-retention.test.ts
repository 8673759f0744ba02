import { describe, expect, it } from 'vitest';
import {
  fillCqStatement,
  FOREVER_RP,
  MEASUREMENT_RP,
  RAW_RP,
  retentionStatements,
  rpOfRecord,
  showDuration,
  tonnageCqStatement,
} from '../../../services/timeseries/core/influx-retention.ts';
import { deviceSeriesQuery, tonnageQuery } from '../../../services/timeseries/core/influx-query.ts';

describe('InfluxDB managed retention (pure)', () => {
  it('creates both policies when missing, raw as the default', () => {
    expect(retentionStatements('bp', 90, [{ name: 'autogen', duration: '0s', default: true }])).toEqual([
      'CREATE RETENTION POLICY "raw" ON "bp" DURATION 90d REPLICATION 1 DEFAULT',
      'CREATE RETENTION POLICY "forever" ON "bp" DURATION INF REPLICATION 1',
    ]);
  });

  it('does nothing when they are as wanted; alters a changed duration or lost default', () => {
    const ok = [
      { name: 'raw', duration: showDuration(90), default: true },
      { name: 'forever', duration: '0s', default: false },
    ];
    expect(retentionStatements('bp', 90, ok)).toEqual([]);
    expect(retentionStatements('bp', 30, ok)).toEqual(['ALTER RETENTION POLICY "raw" ON "bp" DURATION 30d DEFAULT']);
    expect(retentionStatements('bp', 90, [{ ...ok[0]!, default: false }, ok[1]!])).toEqual([
      'ALTER RETENTION POLICY "raw" ON "bp" DURATION 90d DEFAULT',
    ]);
    expect(retentionStatements('bp', 90, [ok[0]!, { ...ok[1]!, duration: '24h0m0s' }])).toEqual([
      'ALTER RETENTION POLICY "forever" ON "bp" DURATION INF',
    ]);
    expect(() => retentionStatements('bp', 0, [])).toThrow(RangeError);
  });

  it('events go to "forever", readings to "raw"', () => {
    for (const t of ['deposit', 'collection', 'fault', 'detection'] as const) expect(rpOfRecord(t)).toBe(FOREVER_RP);
    for (const t of ['box_reading', 'camera_heartbeat', 'status'] as const) expect(rpOfRecord(t)).toBe(RAW_RP);
  });

  it('reads name each measurement\'s policy', () => {
    const target = { db: 'bp', measurementRp: MEASUREMENT_RP };
    const q = tonnageQuery(target, { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 });
    expect(q).toContain('FROM "bp"."forever"."deposit"');
    const s = deviceSeriesQuery(target, 'box-1', { from: 0, to: 1 }, 5);
    expect(s).toContain('FROM "bp"."raw"."box_reading"');
    expect(s).toContain('FROM "bp"."raw"."box_health"');
    expect(s).toContain('FROM "bp"."forever"."deposit"');
  });

  it('the tonnage CQ rolls deposits up per local day, again every hour over the last 7 days (late deposits)', () => {
    expect(tonnageCqStatement('bp', 480)).toBe(
      'CREATE CONTINUOUS QUERY "cq_tonnage_daily" ON "bp" RESAMPLE EVERY 1h FOR 7d BEGIN SELECT SUM("weightKg") AS "kg", COUNT("weightKg") AS "deposits" ' +
        'INTO "bp"."forever"."tonnage_daily" FROM "bp"."forever"."deposit" GROUP BY time(1d, -480m), "category", "subdistrict" END',
    );
  });

  it('the fill CQ keeps max and last fillingLevel per hour, device and compartment in "forever"', () => {
    expect(fillCqStatement('bp')).toBe(
      'CREATE CONTINUOUS QUERY "cq_fill_hourly" ON "bp" BEGIN SELECT max("fillingLevel") AS "maxFillingLevel", last("fillingLevel") AS "lastFillingLevel" ' +
        'INTO "bp"."forever"."fill_hourly" FROM "bp"."raw"."box_reading" GROUP BY time(1h), "deviceId", "category" END',
    );
    expect(MEASUREMENT_RP.fill_hourly).toBe(FOREVER_RP);
  });
});

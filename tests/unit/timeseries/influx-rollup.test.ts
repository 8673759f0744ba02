import { describe, expect, it } from 'vitest';
import { DAY_MS, localDayStart } from '../../../shared/units.ts';
import { rawTonnageQuery, tonnageQuery } from '../../../services/timeseries/core/influx-query.ts';
import { MEASUREMENT_RP } from '../../../services/timeseries/core/influx-retention.ts';
import {
  MAX_RAW_GAPS,
  missingDayRuns,
  planTonnage,
  rollupTonnageQuery,
  rollUpStatements,
  settledBefore,
} from '../../../services/timeseries/core/influx-rollup.ts';

const OFFSET = 480;
const target = { db: 'bp', measurementRp: MEASUREMENT_RP };
const start = (day: string) => localDayStart(day, OFFSET);
// 2026-12-06 10:00 in the district (02:00 UTC).
const NOW = Date.parse('2026-12-06T10:00:00+08:00');

describe('planTonnage', () => {
  it('days before yesterday from the rollup, yesterday and today from raw', () => {
    expect(settledBefore(NOW, OFFSET)).toBe(start('2026-12-05'));
    // Just before local midnight, "today" is still the 6th; just after, the 7th.
    expect(settledBefore(start('2026-12-07') - 1, OFFSET)).toBe(start('2026-12-05'));
    expect(settledBefore(start('2026-12-07'), OFFSET)).toBe(start('2026-12-06'));

    expect(planTonnage({ fromDay: '2026-01-01', toDay: '2026-12-06', utcOffsetMinutes: OFFSET }, NOW)).toEqual({
      rollup: { from: start('2026-01-01'), to: start('2026-12-05') },
      settling: { from: start('2026-12-05'), to: start('2026-12-07') },
    });
    expect(planTonnage({ fromDay: '2026-11-01', toDay: '2026-11-30', utcOffsetMinutes: OFFSET }, NOW)).toEqual({
      rollup: { from: start('2026-11-01'), to: start('2026-12-01') },
      settling: null,
    });
    expect(planTonnage({ fromDay: '2026-12-05', toDay: '2026-12-06', utcOffsetMinutes: OFFSET }, NOW)).toEqual({
      rollup: null,
      settling: { from: start('2026-12-05'), to: start('2026-12-07') },
    });
  });
});

describe('missingDayRuns', () => {
  const range = { from: start('2026-11-01'), to: start('2026-11-11') };
  it('maximal runs of the days the rollup had nothing for', () => {
    const present = new Set(['2026-11-01', '2026-11-02', '2026-11-05', '2026-11-09', '2026-11-10']);
    expect(missingDayRuns(range, present, OFFSET)).toEqual({
      runs: [
        { from: start('2026-11-03'), to: start('2026-11-05') },
        { from: start('2026-11-06'), to: start('2026-11-09') },
      ],
      wholeRange: false,
    });
    expect(missingDayRuns(range, new Set(), OFFSET)).toEqual({ runs: [range], wholeRange: false });
    const all = new Set(Array.from({ length: 10 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`));
    expect(missingDayRuns(range, all, OFFSET)).toEqual({ runs: [], wholeRange: false });
  });

  it('too many gaps: the whole range, raw', () => {
    const days = MAX_RAW_GAPS * 2 + 2;
    const long = { from: start('2026-01-01'), to: start('2026-01-01') + days * DAY_MS };
    const everyOther = new Set(Array.from({ length: days / 2 }, (_, i) => new Date(Date.parse('2026-01-01') + 2 * i * DAY_MS).toISOString().slice(0, 10)));
    expect(missingDayRuns(long, everyOther, OFFSET)).toEqual({ runs: [long], wholeRange: true });
  });
});

describe('InfluxQL', () => {
  it('the raw scan is the one tonnageQuery always sent', () => {
    const query = { fromDay: '2026-11-26', toDay: '2026-11-27', subdistrict: 'hongmei' as const, utcOffsetMinutes: OFFSET };
    expect(tonnageQuery(target, query)).toBe(
      'SELECT SUM("weightKg") AS "kg", COUNT("weightKg") AS "deposits" FROM "bp"."forever"."deposit"' +
        ` WHERE time >= ${start('2026-11-26')}ms AND time < ${start('2026-11-28')}ms AND "subdistrict" = 'hongmei'` +
        ' GROUP BY time(1d, -480m), "category", "subdistrict" fill(none)',
    );
    expect(rawTonnageQuery(target, { from: start('2026-11-26'), to: start('2026-11-28') }, OFFSET, 'hongmei')).toBe(tonnageQuery(target, query));
  });

  it('reads the rollup points, and backfills in chunks with the CQ aggregation', () => {
    expect(rollupTonnageQuery(target, { from: 0, to: DAY_MS }, "it's")).toBe(
      `SELECT "kg", "deposits" FROM "bp"."forever"."tonnage_daily" WHERE time >= 0ms AND time < ${DAY_MS}ms AND "subdistrict" = 'it\\'s' GROUP BY "category", "subdistrict"`,
    );
    const from = start('2026-01-01');
    const statements = rollUpStatements(target, { from, to: from + 65 * DAY_MS }, OFFSET);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toBe(
      'SELECT SUM("weightKg") AS "kg", COUNT("weightKg") AS "deposits" INTO "bp"."forever"."tonnage_daily" FROM "bp"."forever"."deposit"' +
        ` WHERE time >= ${from}ms AND time < ${from + 30 * DAY_MS}ms GROUP BY time(1d, -480m), "category", "subdistrict"`,
    );
    expect(statements[2]).toContain(`time >= ${from + 60 * DAY_MS}ms AND time < ${from + 65 * DAY_MS}ms`);
  });
});

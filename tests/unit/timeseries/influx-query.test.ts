import { describe, expect, it } from 'vitest';
import {
  createDatabaseStatement,
  dayBucketOffset,
  deviceSeriesQuery,
  quoteIdent,
  quoteString,
  tonnageQuery,
  tonnageRange,
} from '../../../services/timeseries/core/influx-query.ts';
import {
  parseQueryResponse,
  seriesFromResults,
  tonnageFromResults,
} from '../../../services/timeseries/core/influx-results.ts';
import { InfluxQueryError } from '../../../services/timeseries/core/influx-write-errors.ts';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');

describe('InfluxQL quoting', () => {
  it('quotes identifiers and strings so values cannot change the statement', () => {
    expect(quoteIdent('bin"pulse')).toBe('"bin\\"pulse"');
    expect(quoteString("box' OR 1=1 --")).toBe("'box\\' OR 1=1 --'");
    expect(quoteString('back\\slash')).toBe("'back\\\\slash'");
    expect(createDatabaseStatement('binpulse')).toBe('CREATE DATABASE "binpulse"');
  });
});

describe('deviceSeriesQuery', () => {
  it('one statement per measurement, newest first, limited, [from, to) in ms', () => {
    const q = deviceSeriesQuery({ db: 'binpulse' }, "box-'1", { from: T0, to: T0 + 60_000 }, 50);
    const statements = q.split('; ');
    expect(statements).toHaveLength(4);
    const where = `WHERE "deviceId" = 'box-\\'1' AND time >= ${T0}ms AND time < ${T0 + 60_000}ms`;
    expect(statements).toEqual([
      `SELECT "fillingLevel", "weightKg" FROM "box_reading" ${where} GROUP BY "category" ORDER BY time DESC LIMIT 50`,
      `SELECT "temperatureC", "batteryPercent", "rssiDbm" FROM "box_health" ${where} ORDER BY time DESC LIMIT 50`,
      `SELECT "frameRate", "uptimeS" FROM "camera_heartbeat" ${where} ORDER BY time DESC LIMIT 50`,
      `SELECT "weightKg" FROM "deposit" ${where} GROUP BY "category" ORDER BY time DESC LIMIT 50`,
    ]);
  });

  it('names the retention policy when one is configured', () => {
    const q = deviceSeriesQuery({ db: 'binpulse', rp: 'one_year' }, 'b', { from: 0, to: 1 }, 1);
    expect(q).toContain('FROM "binpulse"."one_year"."box_reading"');
  });
});

describe('tonnageQuery', () => {
  it('local days: buckets start at local midnight, the range covers whole local days', () => {
    expect(dayBucketOffset(480)).toBe('-480m');
    expect(dayBucketOffset(-300)).toBe('300m');
    expect(tonnageRange({ fromDay: '2026-11-26', toDay: '2026-11-27', utcOffsetMinutes: 480 })).toEqual({
      from: Date.parse('2026-11-25T16:00:00Z'),
      to: Date.parse('2026-11-27T16:00:00Z'),
    });
    const q = tonnageQuery({ db: 'binpulse' }, { fromDay: '2026-11-26', toDay: '2026-11-27', utcOffsetMinutes: 480 });
    expect(q).toBe(
      `SELECT SUM("weightKg") AS "kg", COUNT("weightKg") AS "deposits" FROM "deposit" ` +
        `WHERE time >= ${Date.parse('2026-11-25T16:00:00Z')}ms AND time < ${Date.parse('2026-11-27T16:00:00Z')}ms ` +
        `GROUP BY time(1d, -480m), "category", "subdistrict" fill(none)`,
    );
  });

  it('filters by subdistrict; refuses what is not a day', () => {
    const q = tonnageQuery({ db: 'b' }, { fromDay: '2026-11-26', toDay: '2026-11-26', subdistrict: 'lanling', utcOffsetMinutes: 480 });
    expect(q).toContain(`AND "subdistrict" = 'lanling' GROUP BY`);
    expect(() => tonnageQuery({ db: 'b' }, { fromDay: 'yesterday', toDay: '2026-11-26', utcOffsetMinutes: 480 })).toThrow(RangeError);
  });
});

describe('parseQueryResponse', () => {
  it('gives each statement its series; a statement without series has none', () => {
    const body = {
      results: [
        { statement_id: 0, series: [{ name: 'deposit', tags: { category: 'paper' }, columns: ['time', 'weightKg'], values: [[T0, 2]] }] },
        { statement_id: 1 },
      ],
    };
    expect(parseQueryResponse(body, 2)).toEqual([
      [{ name: 'deposit', tags: { category: 'paper' }, columns: ['time', 'weightKg'], values: [[T0, 2]] }],
      [],
    ]);
  });

  it('a statement error or a request error is an InfluxQueryError', () => {
    expect(() => parseQueryResponse({ results: [{ statement_id: 0, error: 'database not found: x' }] }, 1)).toThrow(/database not found/);
    expect(() => parseQueryResponse({ error: 'error parsing query' }, 1)).toThrow(InfluxQueryError);
    expect(() => parseQueryResponse('nope', 1)).toThrow(InfluxQueryError);
    expect(() => parseQueryResponse({ results: [{ statement_id: 0, series: [{ name: 'x' }] }] }, 1)).toThrow(/malformed/);
  });
});

describe('seriesFromResults', () => {
  const at = (ms: number) => new Date(ms).toISOString();
  const results = [
    [
      { name: 'box_reading', tags: { category: 'paper' }, columns: ['time', 'fillingLevel', 'weightKg'], values: [[T0 + 60_000, 0.5, 40], [T0, 0.4, 30]] },
      { name: 'box_reading', tags: { category: 'plastic' }, columns: ['time', 'fillingLevel', 'weightKg'], values: [[T0 + 60_000, 0.25, 8]] },
    ],
    [{ name: 'box_health', tags: {}, columns: ['time', 'temperatureC', 'batteryPercent', 'rssiDbm'], values: [[T0 + 60_000, 20, null, -70]] }],
    [],
    [{ name: 'deposit', tags: { category: 'paper' }, columns: ['time', 'weightKg'], values: [[T0 + 30_000, 2.5]] }],
  ];

  it('maps fields to the SQLite store metric names, skips nulls, returns oldest first', () => {
    expect(seriesFromResults(results, 100)).toEqual([
      { ts: at(T0), metric: 'fillingLevel', category: 'paper', value: 0.4 },
      { ts: at(T0), metric: 'weightKg', category: 'paper', value: 30 },
      { ts: at(T0 + 30_000), metric: 'depositKg', category: 'paper', value: 2.5 },
      // Ties in time ordered as the SQLite store orders them: metric, then category (null first).
      { ts: at(T0 + 60_000), metric: 'fillingLevel', category: 'paper', value: 0.5 },
      { ts: at(T0 + 60_000), metric: 'fillingLevel', category: 'plastic', value: 0.25 },
      { ts: at(T0 + 60_000), metric: 'rssiDbm', category: null, value: -70 },
      { ts: at(T0 + 60_000), metric: 'temperatureC', category: null, value: 20 },
      { ts: at(T0 + 60_000), metric: 'weightKg', category: 'paper', value: 40 },
      { ts: at(T0 + 60_000), metric: 'weightKg', category: 'plastic', value: 8 },
    ]);
  });

  it('keeps the newest `limit` points', () => {
    const newest = seriesFromResults(results, 3);
    expect(newest.map((p) => `${p.metric}/${p.category}`)).toEqual(['temperatureC/null', 'weightKg/paper', 'weightKg/plastic']);
    expect(newest.every((p) => p.ts === at(T0 + 60_000))).toBe(true);
  });

  it('refuses times that are not epoch ms', () => {
    const bad = [[{ name: 'box_reading', tags: { category: 'paper' }, columns: ['time', 'fillingLevel'], values: [['2026-11-26T02:00:00Z', 1]] }], [], [], []];
    expect(() => seriesFromResults(bad, 10)).toThrow(/epoch=ms/);
  });
});

describe('tonnageFromResults', () => {
  it('day of each local-midnight bucket, kg rounded to whole mg, sorted, unknown tags ignored', () => {
    const bucket = Date.parse('2026-11-25T16:00:00Z'); // 2026-11-26 00:00 at UTC+8
    const rows = tonnageFromResults(
      [
        [
          { name: 'deposit', tags: { category: 'paper', subdistrict: 'lanling' }, columns: ['time', 'kg', 'deposits'], values: [[bucket, 0.30000000000000004, 3]] },
          { name: 'deposit', tags: { category: 'glass', subdistrict: 'hongmei' }, columns: ['time', 'kg', 'deposits'], values: [[bucket + 86_400_000, 2, 1], [bucket, 1.5, 1]] },
          { name: 'deposit', tags: { category: 'lava', subdistrict: 'hongmei' }, columns: ['time', 'kg', 'deposits'], values: [[bucket, 9, 1]] },
        ],
      ],
      480,
    );
    expect(rows).toEqual([
      { day: '2026-11-26', category: 'glass', subdistrict: 'hongmei', kg: 1.5, deposits: 1 },
      { day: '2026-11-26', category: 'paper', subdistrict: 'lanling', kg: 0.3, deposits: 3 },
      { day: '2026-11-27', category: 'glass', subdistrict: 'hongmei', kg: 2, deposits: 1 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { TonnageReport, type TonnageRow } from '../../../shared/contracts/index.ts';
import { buildTonnageReport, checkDayRange, MAX_REPORT_DAYS } from '../../../services/timeseries/core/tonnage.ts';

const row = (day: string, kg: number, deposits: number, category = 'paper', subdistrict = 'hongmei') =>
  ({ day, category, subdistrict, kg, deposits }) as TonnageRow;
const range = { fromDay: '2026-11-25', toDay: '2026-11-28', utcOffsetMinutes: 480 };

describe('checkDayRange', () => {
  it('lists every day inclusive, across month and leap-year ends', () => {
    expect(checkDayRange('2026-11-29', '2026-12-02')).toEqual({
      ok: true,
      days: ['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'],
    });
    expect(checkDayRange('2028-02-28', '2028-03-01')).toEqual({ ok: true, days: ['2028-02-28', '2028-02-29', '2028-03-01'] });
    expect(checkDayRange('2026-11-26', '2026-11-26')).toEqual({ ok: true, days: ['2026-11-26'] });
  });

  it('rejects from after to', () => {
    expect(checkDayRange('2026-11-27', '2026-11-26')).toEqual({ ok: false, error: 'from (2026-11-27) is after to (2026-11-26)' });
  });

  it('allows 366 days, not 367', () => {
    const leapYear = checkDayRange('2028-01-01', '2028-12-31');
    expect(leapYear.ok && leapYear.days.length).toBe(MAX_REPORT_DAYS);
    expect(checkDayRange('2026-01-01', '2027-01-02')).toEqual({
      ok: false,
      error: '367 days requested; at most 366 days per report',
    });
  });

  it('rejects what is not a real day', () => {
    expect(checkDayRange('2026-02-30', '2026-03-02')).toEqual({ ok: false, error: 'from: "2026-02-30" is not a day (YYYY-MM-DD)' });
    expect(checkDayRange('2026-11-01', '26-11-02').ok).toBe(false);
    expect(checkDayRange('2026-11-01', '2026-11-02T00:00').ok).toBe(false);
  });
});

describe('buildTonnageReport', () => {
  it('zero-fills every day of the range', () => {
    const report = buildTonnageReport([row('2026-11-26', 12.5, 3)], range);
    expect(report.byDay).toEqual([
      { day: '2026-11-25', kg: 0, deposits: 0 },
      { day: '2026-11-26', kg: 12.5, deposits: 3 },
      { day: '2026-11-27', kg: 0, deposits: 0 },
      { day: '2026-11-28', kg: 0, deposits: 0 },
    ]);
    expect(TonnageReport.parse(report)).toEqual(report);
  });

  it('an empty range of data is all zeros, not missing', () => {
    const report = buildTonnageReport([], range);
    expect(report).toMatchObject({ from: '2026-11-25', to: '2026-11-28', utcOffsetMinutes: 480, rows: [], totalKg: 0, totalDeposits: 0 });
    expect(report.byDay).toHaveLength(4);
  });

  it('sums per day across categories and subdistricts, and in total', () => {
    const rows = [
      row('2026-11-26', 10, 2, 'paper', 'hongmei'),
      row('2026-11-26', 4, 1, 'glass', 'lanling'),
      row('2026-11-28', 6, 5, 'metal', 'hongmei'),
    ];
    const report = buildTonnageReport(rows, range);
    expect(report.totalKg).toBe(20);
    expect(report.totalDeposits).toBe(8);
    expect(report.byDay.find((d) => d.day === '2026-11-26')).toEqual({ day: '2026-11-26', kg: 14, deposits: 3 });
    expect(report.byDay.find((d) => d.day === '2026-11-28')).toEqual({ day: '2026-11-28', kg: 6, deposits: 5 });
  });

  it('sums are exact: no float drift, whatever the row order', () => {
    const rows = [row('2026-11-25', 0.1, 1), row('2026-11-25', 0.2, 1, 'glass'), row('2026-11-26', 0.7, 1)];
    const report = buildTonnageReport(rows, range);
    expect(report.byDay[0]).toEqual({ day: '2026-11-25', kg: 0.3, deposits: 2 });
    expect(report.totalKg).toBe(1.0);
    expect(buildTonnageReport([...rows].reverse(), range).totalKg).toBe(1.0);
    // Not rounded to some display precision either.
    expect(buildTonnageReport([row('2026-11-25', 1234.567891, 1)], range).totalKg).toBe(1234.567891);
  });

  it('keeps rows of the range sorted by day, subdistrict, category and ignores others', () => {
    const rows = [
      row('2026-11-27', 1, 1, 'plastic', 'lanling'),
      row('2026-11-24', 99, 9),
      row('2026-11-27', 1, 1, 'glass', 'lanling'),
      row('2026-11-26', 1, 1, 'paper', 'tianning'),
      row('2026-11-29', 99, 9),
    ];
    const report = buildTonnageReport(rows, range);
    expect(report.rows.map((r) => `${r.day}/${r.subdistrict}/${r.category}`)).toEqual([
      '2026-11-26/tianning/paper',
      '2026-11-27/lanling/glass',
      '2026-11-27/lanling/plastic',
    ]);
    expect(report.totalKg).toBe(3);
  });

  it('refuses an invalid range', () => {
    expect(() => buildTonnageReport([], { ...range, fromDay: '2026-12-01' })).toThrow('is after to');
  });
});

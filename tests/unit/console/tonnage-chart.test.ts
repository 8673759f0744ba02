import { describe, expect, it } from 'vitest';
import type { TonnageRow } from '../../../shared/contracts/index.ts';
import { niceAxis } from '../../../services/console/core/axis.ts';
import { buildTonnageChart, DISTRICT_DAILY_BAND_KG, formatTonnes } from '../../../services/console/core/tonnage-chart.ts';
import { buildTonnageReport } from '../../../services/timeseries/core/tonnage.ts';

const row = (day: string, category: TonnageRow['category'], subdistrict: TonnageRow['subdistrict'], kg: number, deposits = 10): TonnageRow => ({ day, category, subdistrict, kg, deposits });
const rows = [
  row('2026-11-24', 'paper', 'hongmei', 30_000),
  row('2026-11-24', 'glass', 'tianning', 20_000),
  row('2026-11-24', 'paper', 'tianning', 15_000),
  row('2026-11-25', 'plastic', 'lanling', 50_000),
  row('2026-11-27', 'paper', 'hongmei', 400),
];
const report = buildTonnageReport(rows, { fromDay: '2026-11-23', toDay: '2026-11-27', utcOffsetMinutes: 480 });

describe('tonnage chart series', () => {
  const chart = buildTonnageChart(report, { today: '2026-11-27', districtWide: true });

  it('stacks each day by category in the fixed category order, zero-filled days empty', () => {
    expect(chart.days.map((d) => d.day)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(chart.categories).toEqual(['paper', 'plastic', 'glass']);
    expect(chart.days[1]!.segments).toEqual([
      { category: 'paper', kg: 45_000, fromKg: 0, toKg: 45_000 },
      { category: 'glass', kg: 20_000, fromKg: 45_000, toKg: 65_000 },
    ]);
    expect(chart.days[0]!.segments).toEqual([]);
    // The stack's top is the day's total.
    for (const day of chart.days) expect(day.segments.at(-1)?.toKg ?? 0).toBeCloseTo(day.kg, 6);
  });

  it('marks today as partial, and counts only completed days with deposits against the 60–80 t band', () => {
    expect(chart.days.map((d) => d.partial)).toEqual([false, false, false, false, true]);
    expect(chart.band).toEqual({ lowKg: DISTRICT_DAILY_BAND_KG.low, highKg: DISTRICT_DAILY_BAND_KG.high });
    expect(chart.reportedDays).toBe(2);
    expect(chart.daysInBand).toBe(1); // 65 t on the 24th, 50 t on the 25th
    expect(chart.averageKgPerDay).toBe(57_500);
  });

  it('totals by category and by subdistrict, every subdistrict district-wide, largest first', () => {
    expect(chart.totalKg).toBe(115_400);
    expect(chart.byCategory.map((c) => [c.key, c.kg])).toEqual([
      ['paper', 45_400],
      ['plastic', 50_000],
      ['glass', 20_000],
    ].sort((a, b) => (b[1] as number) - (a[1] as number)));
    expect(chart.bySubdistrict).toHaveLength(7);
    expect(chart.bySubdistrict[0]).toMatchObject({ key: 'lanling', kg: 50_000 });
    expect(chart.bySubdistrict.at(-1)!.kg).toBe(0);
    expect(chart.byCategory.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 9);
  });

  it('keeps the band on the axis even for an empty range', () => {
    const empty = buildTonnageChart(buildTonnageReport([], { fromDay: '2026-11-20', toDay: '2026-11-27', utcOffsetMinutes: 480 }), { today: '2026-11-27', districtWide: true });
    expect(empty.axis.max).toBeGreaterThanOrEqual(DISTRICT_DAILY_BAND_KG.high);
    expect(empty.averageKgPerDay).toBeNull();
    expect(empty.daysInBand).toBe(0);
  });

  it('drops the district band for one subdistrict, and lists only that subdistrict', () => {
    const one = buildTonnageReport(rows.filter((r) => r.subdistrict === 'hongmei'), { fromDay: '2026-11-23', toDay: '2026-11-27', utcOffsetMinutes: 480 });
    const chartOne = buildTonnageChart(one, { today: '2026-11-27', districtWide: false });
    expect(chartOne.band).toBeNull();
    expect(chartOne.bySubdistrict.map((s) => s.key)).toEqual(['hongmei']);
    expect(chartOne.axis.max).toBeLessThan(DISTRICT_DAILY_BAND_KG.high);
  });

  it('formats tonnes with two decimals', () => {
    expect(formatTonnes(70_846.5)).toBe('70.85 t');
    expect(formatTonnes(0)).toBe('0.00 t');
    expect(formatTonnes(1_234_560)).toBe('1,234.56 t');
  });
});

describe('value axis', () => {
  it.each([
    [88_000, 100_000, [0, 20_000, 40_000, 60_000, 80_000, 100_000]],
    [65_000, 80_000, [0, 20_000, 40_000, 60_000, 80_000]],
    [12_000, 12_500, [0, 2_500, 5_000, 7_500, 10_000, 12_500]],
    [0.7, 0.8, [0, 0.2, 0.4, 0.6, 0.8]],
    [5, 5, [0, 1, 2, 3, 4, 5]],
  ])('covers %s with round steps up to %s', (max, top, ticks) => {
    expect(niceAxis(max)).toEqual({ max: top, ticks });
  });

  it('still draws an axis without data', () => {
    expect(niceAxis(0).max).toBe(1);
    expect(niceAxis(Number.NaN).ticks.length).toBeGreaterThan(1);
  });
});

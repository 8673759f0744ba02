import { describe, expect, it } from 'vitest';
import type { TonnageRow } from '../../../shared/contracts/index.ts';
import { niceAxis, tickDecimals } from '../../../services/console/core/axis.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';
import {
  axisLabels,
  bandText,
  buildTonnageChart,
  dayTick,
  defaultTonnageRange,
  DISTRICT_DAILY_BAND_KG,
  labelEvery,
  matchingQuickRange,
  MAX_RANGE_DAYS,
  orderedRange,
  QUICK_RANGE_DAYS,
  quickRange,
  rangeDays,
} from '../../../services/console/core/tonnage-chart.ts';
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

  it('writes every tick of an axis with one count of decimals, as few as are exact', () => {
    expect(tickDecimals(niceAxis(88_000), 1000)).toBe(0);
    expect(tickDecimals(niceAxis(12_000), 1000)).toBe(1); // 2.5 t steps
    expect(tickDecimals(niceAxis(1_200), 1000)).toBe(2); // 0.25 t steps
    expect(tickDecimals(niceAxis(0.7))).toBe(1);
  });
});

describe('tonnage screen in the viewer\'s language', () => {
  const zh = createI18n('zh-CN', 480);
  const en = createI18n('en', 480);
  const chart = buildTonnageChart(report, { today: '2026-11-27', districtWide: true });

  it('writes the district band with the locale\'s unit', () => {
    expect(bandText(chart.band!, zh)).toBe('60–80 吨');
    expect(bandText(chart.band!, en)).toBe('60–80 t');
  });

  it('labels the value axis in tonnes, lined up', () => {
    expect(axisLabels(chart.axis, zh).map((t) => t.label)).toEqual(['0 吨', '20 吨', '40 吨', '60 吨', '80 吨', '100 吨']);
    expect(axisLabels(chart.axis, en).map((t) => t.label)).toEqual(['0 t', '20 t', '40 t', '60 t', '80 t', '100 t']);
    expect(axisLabels(niceAxis(12_000), en).map((t) => t.label)).toEqual(['0.0 t', '2.5 t', '5.0 t', '7.5 t', '10.0 t', '12.5 t']);
    expect(axisLabels(chart.axis, en).map((t) => t.kg)).toEqual(chart.axis.ticks);
  });

  it('labels each bar with its day and weekday, and today as today', () => {
    const [monday, , , , friday] = chart.days;
    expect(dayTick(monday!, zh)).toEqual({ date: '11/23', sub: '周一' });
    expect(dayTick(monday!, en)).toEqual({ date: '11/23', sub: 'Mon' });
    expect(dayTick(friday!, zh)).toEqual({ date: '11/27', sub: '今天' });
    expect(dayTick(friday!, en)).toEqual({ date: '11/27', sub: 'today' });
  });

  it('labels every bar up to 16, then every second, third …', () => {
    expect(labelEvery(8)).toBe(1);
    expect(labelEvery(16)).toBe(1);
    expect(labelEvery(29)).toBe(2);
    expect(labelEvery(31)).toBe(2);
    expect(labelEvery(91)).toBe(6);
  });
});

describe('date ranges', () => {
  it('opens on the last 7 complete days and today', () => {
    expect(defaultTonnageRange('2026-11-27')).toEqual({ from: '2026-11-20', to: '2026-11-27' });
    expect(rangeDays(defaultTonnageRange('2026-11-27'))).toBe(8);
  });

  it('offers 7, 28, 30 and 90 complete days and today; 28 days reaches across a month end', () => {
    expect(QUICK_RANGE_DAYS).toEqual([7, 28, 30, 90]);
    expect(quickRange('2026-11-27', 28)).toEqual({ from: '2026-10-30', to: '2026-11-27' });
    expect(quickRange('2026-03-01', 30)).toEqual({ from: '2026-01-30', to: '2026-03-01' });
    expect(rangeDays(quickRange('2026-11-27', 90))).toBe(91);
  });

  it('knows which quick range a range is, and that a range ending yesterday is none', () => {
    expect(matchingQuickRange({ from: '2026-10-30', to: '2026-11-27' }, '2026-11-27')).toBe(28);
    expect(matchingQuickRange(defaultTonnageRange('2026-11-27'), '2026-11-27')).toBe(7);
    expect(matchingQuickRange({ from: '2026-10-29', to: '2026-11-26' }, '2026-11-27')).toBeUndefined();
    // Yesterday's 7-day range is not today's.
    expect(matchingQuickRange(defaultTonnageRange('2026-11-26'), '2026-11-27')).toBeUndefined();
  });

  it('orders two picked days, and counts days like the API', () => {
    expect(orderedRange('2026-11-27', '2026-11-20')).toEqual({ from: '2026-11-20', to: '2026-11-27' });
    expect(orderedRange('2026-11-20', '2026-11-20')).toEqual({ from: '2026-11-20', to: '2026-11-20' });
    expect(rangeDays({ from: '2026-03-28', to: '2026-03-30' })).toBe(3);
    expect(MAX_RANGE_DAYS).toBe(366);
    expect(rangeDays({ from: '2028-01-01', to: '2028-12-31' })).toBe(366);
  });
});

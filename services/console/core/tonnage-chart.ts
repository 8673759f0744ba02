/**
 * The managers' tonnage charts from the API's TonnageReport: daily stacks by category with the
 * district's 60–80 t/day band, and totals by category and by subdistrict. Pure; the view only
 * draws what this returns.
 */
import type { Subdistrict, TonnageReport, WasteCategory } from '../../../shared/contracts/index.ts';
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/vocabulary.ts';
import { type Axis, niceAxis, tickDecimals } from './axis.ts';
import { addDays } from './date-picker.ts';
import type { I18n } from './i18n/translator.ts';
import { MAX_REPORT_DAYS } from '../../timeseries/core/tonnage.ts';

/** Tianning recovers 60–80 t a day district-wide (the bureau's figure for the programme). */
export const DISTRICT_DAILY_BAND_KG = { low: 60_000, high: 80_000 } as const;

export interface StackSegment {
  category: WasteCategory;
  kg: number;
  /** Where the segment starts and ends on the value axis (kg, cumulative in category order). */
  fromKg: number;
  toKg: number;
}

export interface DayStack {
  day: string;
  kg: number;
  deposits: number;
  segments: StackSegment[];
  /** The day has not ended yet (district-local): its bar is partial, not a shortfall. */
  partial: boolean;
}

export interface Share<K> {
  key: K;
  kg: number;
  deposits: number;
  /** Of the range's total, 0..1 (0 when nothing was deposited). */
  share: number;
}

export interface TonnageChart {
  days: DayStack[];
  /** Categories with any kg, in the fixed category order (the legend and the stacking order). */
  categories: WasteCategory[];
  byCategory: Share<WasteCategory>[];
  bySubdistrict: Share<Subdistrict>[];
  totalKg: number;
  totalDeposits: number;
  /**
   * Over the completed days with deposits (today is partial; days before the platform ran are
   * empty, not low); null when there is none.
   */
  averageKgPerDay: number | null;
  /** The district band; null for one subdistrict's report, which the band does not describe. */
  band: { lowKg: number; highKg: number } | null;
  /** Completed days with deposits, and how many of them lay inside the band. */
  reportedDays: number;
  daysInBand: number;
  axis: Axis;
}

export function buildTonnageChart(report: TonnageReport, options: { today: string; districtWide: boolean }): TonnageChart {
  const perDay = new Map(report.byDay.map((d) => [d.day, new Map<WasteCategory, number>()]));
  const categoryKg = new Map<WasteCategory, { kg: number; deposits: number }>();
  const subdistrictKg = new Map<Subdistrict, { kg: number; deposits: number }>();
  for (const row of report.rows) {
    const day = perDay.get(row.day);
    if (day) day.set(row.category, (day.get(row.category) ?? 0) + row.kg);
    add(categoryKg, row.category, row);
    add(subdistrictKg, row.subdistrict, row);
  }
  const categories = WASTE_CATEGORIES.filter((c) => (categoryKg.get(c)?.kg ?? 0) > 0);

  const days: DayStack[] = report.byDay.map((d) => {
    const byCategory = perDay.get(d.day)!;
    let cumulative = 0;
    const segments = categories
      .filter((c) => (byCategory.get(c) ?? 0) > 0)
      .map((category) => {
        const kg = byCategory.get(category)!;
        const segment = { category, kg, fromKg: cumulative, toKg: cumulative + kg };
        cumulative += kg;
        return segment;
      });
    return { day: d.day, kg: d.kg, deposits: d.deposits, segments, partial: d.day >= options.today };
  });

  const band = options.districtWide ? { lowKg: DISTRICT_DAILY_BAND_KG.low, highKg: DISTRICT_DAILY_BAND_KG.high } : null;
  const completed = days.filter((d) => !d.partial);
  const reported = completed.filter((d) => d.kg > 0);
  const daysInBand = band === null ? 0 : reported.filter((d) => d.kg >= band.lowKg && d.kg <= band.highKg).length;
  const highest = Math.max(0, ...days.map((d) => d.kg));
  // With the band shown, the axis always reaches above it, so an empty week still shows the target.
  const axis = niceAxis(band === null ? highest : Math.max(highest, band.highKg * 1.1));

  const shares = <K>(totals: Map<K, { kg: number; deposits: number }>, keys: readonly K[]): Share<K>[] =>
    keys
      .map((key) => {
        const t = totals.get(key) ?? { kg: 0, deposits: 0 };
        return { key, kg: t.kg, deposits: t.deposits, share: report.totalKg > 0 ? t.kg / report.totalKg : 0 };
      })
      .sort((a, b) => b.kg - a.kg);

  return {
    days,
    categories,
    byCategory: shares(categoryKg, categories),
    // Every subdistrict district-wide (a zero is news); only the chosen one otherwise.
    bySubdistrict: shares(subdistrictKg, options.districtWide ? SUBDISTRICTS : [...subdistrictKg.keys()]),
    totalKg: report.totalKg,
    totalDeposits: report.totalDeposits,
    averageKgPerDay: reported.length > 0 ? reported.reduce((sum, d) => sum + d.kg, 0) / reported.length : null,
    band,
    reportedDays: reported.length,
    daysInBand,
    axis,
  };
}

function add<K>(totals: Map<K, { kg: number; deposits: number }>, key: K, row: { kg: number; deposits: number }): void {
  const t = totals.get(key) ?? { kg: 0, deposits: 0 };
  t.kg += row.kg;
  t.deposits += row.deposits;
  totals.set(key, t);
}

/**
 * The quick ranges: the last N complete days and today so far (today's bar is drawn partial and
 * left out of averages and the band count). 28 days is four whole weeks, each weekday four times,
 * and the demo fleet's whole history; 30 for the month; 90 for the quarter.
 */
export const QUICK_RANGE_DAYS = [7, 28, 30, 90] as const;

/**
 * What the screen opens with: the last 7 complete days and today. A manager's first question is
 * "how is this week going, and today so far": eight bars that each carry their weekday and
 * value, every day readable against the 60–80 t band, today beside the days it compares with.
 * At 30 days the bars thin to unlabelled stripes and today's bar is a sliver at the edge; the
 * month is one click away (and the URL keeps whichever range was chosen).
 */
export const DEFAULT_RANGE_DAYS = 7;

export interface DayRange {
  from: string;
  to: string;
}

/** The last `days` complete district days and today. */
export function quickRange(today: string, days: number): DayRange {
  return { from: addDays(today, -days), to: today };
}

export function defaultTonnageRange(today: string): DayRange {
  return quickRange(today, DEFAULT_RANGE_DAYS);
}

/** The quick range a range is (so its button shows pressed), or undefined. */
export function matchingQuickRange(range: DayRange, today: string): number | undefined {
  return QUICK_RANGE_DAYS.find((days) => range.to === today && range.from === addDays(today, -days));
}

/** The API's longest report: a longer range is refused here, in the viewer's words, before asking. */
export const MAX_RANGE_DAYS = MAX_REPORT_DAYS;

/** Days in a range, both ends included. */
export function rangeDays(range: DayRange): number {
  return Math.round((Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Two picked days as a range, whichever was picked first: the earlier is the start. */
export function orderedRange(a: string, b: string): DayRange {
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

/** "60–80 t" / "60–80 吨". */
export function bandText(band: { lowKg: number; highKg: number }, i18n: Pick<I18n, 't'>): string {
  return i18n.t('tonnage.band', { low: band.lowKg / 1000, high: band.highKg / 1000 });
}

/** The value axis's labels in tonnes with the locale's unit, one decimal count for all: "20 t" / "20 吨", "2.5 t". */
export function axisLabels(axis: Axis, i18n: Pick<I18n, 't' | 'number'>): { kg: number; label: string }[] {
  const decimals = tickDecimals(axis, 1000);
  return axis.ticks.map((kg) => ({ kg, label: i18n.t('unit.tonnes', { value: i18n.number(kg / 1000, decimals) }) }));
}

/** A bar's two-line label: month/day, then the weekday, or "today" for the partial day. */
export function dayTick(day: DayStack, i18n: Pick<I18n, 't' | 'day'>): { date: string; sub: string } {
  return { date: i18n.day(day.day, 'short'), sub: day.partial ? i18n.t('tonnage.chart.today') : i18n.day(day.day, 'weekday') };
}

/** Label every nth bar so labels never collide: all of them up to 16 bars. */
export function labelEvery(bars: number): number {
  return Math.max(1, Math.ceil(bars / 16));
}

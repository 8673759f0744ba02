/** The tonnage report: deposited kg per district-local day, from the store's rows. Pure. */
import type { TonnageReport, TonnageRow } from '../../../shared/contracts/index.ts';
import { DAY_MS } from '../../../shared/units.ts';

/** A year, leap years included: longer reports belong in an export, not one response. */
export const MAX_REPORT_DAYS = 366;

/**
 * Sums are kept in integer milligrams, so they are exact and independent of the order rows
 * come in (float kg sums would differ in the last digits; 0.1 + 0.2 would not be 0.3).
 */
const MG_PER_KG = 1_000_000;
export const kgToMilligrams = (kg: number): number => Math.round(kg * MG_PER_KG);
export const milligramsToKg = (mg: number): number => mg / MG_PER_KG;

export type DayRangeCheck = { ok: true; days: string[] } | { ok: false; error: string };

function dayEpoch(day: string): number {
  // A calendar day: no offset applies to the day arithmetic itself.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return Number.NaN;
  const ms = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real day formats back to itself.
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? Number.NaN : ms;
}

/** Every day from fromDay to toDay inclusive, or why the range is not acceptable. */
export function checkDayRange(fromDay: string, toDay: string, maxDays = MAX_REPORT_DAYS): DayRangeCheck {
  const from = dayEpoch(fromDay);
  const to = dayEpoch(toDay);
  if (Number.isNaN(from)) return { ok: false, error: `from: "${fromDay}" is not a day (YYYY-MM-DD)` };
  if (Number.isNaN(to)) return { ok: false, error: `to: "${toDay}" is not a day (YYYY-MM-DD)` };
  if (from > to) return { ok: false, error: `from (${fromDay}) is after to (${toDay})` };
  const count = Math.round((to - from) / DAY_MS) + 1;
  if (count > maxDays) return { ok: false, error: `${count} days requested; at most ${maxDays} days per report` };
  const days: string[] = [];
  for (let ms = from; ms <= to; ms += DAY_MS) days.push(new Date(ms).toISOString().slice(0, 10));
  return { ok: true, days };
}

export interface TonnageReportRange {
  fromDay: string;
  toDay: string;
  utcOffsetMinutes: number;
}

/**
 * Totals and a zero-filled per-day series over the rows of the range (rows outside it are
 * ignored). Throws RangeError on an invalid range: callers validate with checkDayRange first.
 */
export function buildTonnageReport(rows: readonly TonnageRow[], range: TonnageReportRange): TonnageReport {
  const check = checkDayRange(range.fromDay, range.toDay);
  if (!check.ok) throw new RangeError(check.error);

  const perDay = new Map(check.days.map((day) => [day, { mg: 0, deposits: 0 }]));
  const inRange: TonnageRow[] = [];
  let totalMg = 0;
  let totalDeposits = 0;
  for (const row of rows) {
    const day = perDay.get(row.day);
    if (!day) continue;
    const mg = kgToMilligrams(row.kg);
    day.mg += mg;
    day.deposits += row.deposits;
    totalMg += mg;
    totalDeposits += row.deposits;
    inRange.push(row);
  }
  inRange.sort(
    (a, b) => cmp(a.day, b.day) || cmp(a.subdistrict, b.subdistrict) || cmp(a.category, b.category),
  );
  return {
    from: range.fromDay,
    to: range.toDay,
    utcOffsetMinutes: range.utcOffsetMinutes,
    rows: inRange,
    totalKg: milligramsToKg(totalMg),
    totalDeposits,
    byDay: check.days.map((day) => {
      const sums = perDay.get(day)!;
      return { day, kg: milligramsToKg(sums.mg), deposits: sums.deposits };
    }),
  };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

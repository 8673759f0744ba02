/**
 * The tonnage report from the daily rollup on InfluxDB 1.x (issue 16, item 6). Pure: the plan of
 * a report (which days come from "tonnage_daily", which from the raw deposits) and the InfluxQL.
 *
 * A year of raw deposits (7.4 M points) takes InfluxDB 1.6 ~8 s to sum; the rollup holds one
 * point per day × category × subdistrict (~15 000 a year). The cq_tonnage_daily continuous
 * query (core/influx-retention.ts) fills it, re-aggregating the last 7 days every hour, and
 * rollUpTonnage() backfills what a CQ never covers (days written at once, e.g. a year of
 * history, or deposits more than 7 days late). The rollup and the raw scan share one
 * aggregation (TONNAGE_AGGREGATE, tonnageGroupBy), so a rolled-up day answers what the raw scan
 * would.
 *
 * What the rollup cannot know is still read raw:
 *   - the settling days, today and yesterday: the CQ writes today's partial sums every hour and
 *     may not have re-run since yesterday closed;
 *   - any older day with no rollup point (in the report's subdistrict): not rolled up yet, or
 *     no deposits at all (then the raw read is cheap).
 * A day rolled up before all its deposits arrived (a deposit more than 7 days late, or a
 * report during a bulk write such as the demo history) answers the rolled-up sums until the
 * next rollUpTonnage() or CQ run covers it: docs/influxdb.md.
 */
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { from, msLiteral, type QueryTarget, rawTonnageQuery, subdistrictFilter, TONNAGE_AGGREGATE, tonnageGroupBy, tonnageRange } from './influx-query.ts';
import { TONNAGE_DAILY_MEASUREMENT as TONNAGE_DAILY } from './influx-retention.ts';
import { MEASUREMENTS } from './influx-schema.ts';
import type { TimeRange, TonnageQuery } from './store.ts';

/** Days before the start of yesterday (local) are read from the rollup. */
export const SETTLING_DAYS = 2;

/** More separate gaps than this and one raw scan of the whole report is simpler and no slower. */
export const MAX_RAW_GAPS = 16;

/** Local midnight starting yesterday: the first instant whose day still settles. */
export function settledBefore(now: number, utcOffsetMinutes: number): number {
  return localDayStart(localDay(now, utcOffsetMinutes), utcOffsetMinutes) - (SETTLING_DAYS - 1) * DAY_MS;
}

/** Local midnight starting today: days before it are complete. */
export function completeBefore(now: number, utcOffsetMinutes: number): number {
  return localDayStart(localDay(now, utcOffsetMinutes), utcOffsetMinutes);
}

export interface TonnagePlan {
  /** Read from the rollup first (null: no settled day in the report). */
  rollup: TimeRange | null;
  /** Read raw in any case: the report's settling days. */
  settling: TimeRange | null;
}

export function planTonnage(query: TonnageQuery, now: number): TonnagePlan {
  const range = tonnageRange(query);
  const settled = settledBefore(now, query.utcOffsetMinutes);
  const rollupEnd = Math.min(range.to, settled);
  const settlingStart = Math.max(range.from, settled);
  return {
    rollup: range.from < rollupEnd ? { from: range.from, to: rollupEnd } : null,
    settling: settlingStart < range.to ? { from: settlingStart, to: range.to } : null,
  };
}

/**
 * The days of `range` (local midnights to local midnights) that the rollup answered nothing
 * for, as maximal runs; with more than MAX_RAW_GAPS runs, the whole range (read it raw and
 * ignore the rollup).
 */
export function missingDayRuns(range: TimeRange, presentDays: ReadonlySet<string>, utcOffsetMinutes: number): { runs: TimeRange[]; wholeRange: boolean } {
  const runs: TimeRange[] = [];
  let open: TimeRange | null = null;
  // A fixed offset: every local day is DAY_MS long.
  for (let day = range.from; day < range.to; day += DAY_MS) {
    if (presentDays.has(localDay(day, utcOffsetMinutes))) {
      open = null;
    } else if (open !== null) {
      open.to = day + DAY_MS;
    } else {
      open = { from: day, to: day + DAY_MS };
      runs.push(open);
    }
  }
  if (runs.length > MAX_RAW_GAPS) return { runs: [range], wholeRange: true };
  return { runs, wholeRange: false };
}

/** The rolled-up points of the range: the same columns and series as the raw scan. */
export function rollupTonnageQuery(target: QueryTarget, range: TimeRange, subdistrict?: string): string {
  return (
    `SELECT "kg", "deposits" FROM ${from(target, TONNAGE_DAILY)}` +
    ` WHERE time >= ${msLiteral(range.from)} AND time < ${msLiteral(range.to)}${subdistrictFilter(subdistrict)}` +
    ` GROUP BY "category", "subdistrict"`
  );
}

/** The raw scans of the runs, as one multi-statement request (statement i answers runs[i]). */
export function rawTonnageStatements(target: QueryTarget, runs: readonly TimeRange[], utcOffsetMinutes: number, subdistrict?: string): string {
  return runs.map((run) => rawTonnageQuery(target, run, utcOffsetMinutes, subdistrict)).join('; ');
}

/**
 * Backfill: what the CQ writes, for [from, to) (local midnights), in chunks of at most
 * `chunkDays` days so that no statement runs into the HTTP timeout (a year of deposits takes
 * InfluxDB 1.6 ~8 s to sum). Rewriting a rolled-up day overwrites its points.
 */
export function rollUpStatements(target: QueryTarget, range: TimeRange, utcOffsetMinutes: number, chunkDays = 30): string[] {
  if (!Number.isInteger(chunkDays) || chunkDays < 1) throw new RangeError(`chunkDays ${chunkDays}`);
  const statements: string[] = [];
  for (let start = range.from; start < range.to; start += chunkDays * DAY_MS) {
    const end = Math.min(range.to, start + chunkDays * DAY_MS);
    statements.push(
      `SELECT ${TONNAGE_AGGREGATE} INTO ${from(target, TONNAGE_DAILY)} FROM ${from(target, MEASUREMENTS.deposit)}` +
        ` WHERE time >= ${msLiteral(start)} AND time < ${msLiteral(end)} ${tonnageGroupBy(utcOffsetMinutes)}`,
    );
  }
  return statements;
}

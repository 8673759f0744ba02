/**
 * The tonnage report read from the daily rollup, and its backfill, on InfluxDB 1.x with managed
 * retention (the rollup lives in "forever"."tonnage_daily"). What is read from where, and why:
 * core/influx-rollup.ts.
 */
import type { TonnageRow } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import type { QueryTarget } from '../core/influx-query.ts';
import { type ResultSeries, tonnageFromResults } from '../core/influx-results.ts';
import {
  completeBefore,
  missingDayRuns,
  planTonnage,
  rawTonnageStatements,
  rollupTonnageQuery,
  rollUpStatements,
} from '../core/influx-rollup.ts';
import type { TimeRange, TonnageQuery } from '../core/store.ts';

export interface RollupConnection {
  target: QueryTarget;
  utcOffsetMinutes: number;
  /** One /query request; `statements` says how many answers to expect. */
  query(statement: string, statements?: number): Promise<ResultSeries[][]>;
}

/** Two requests at most: the rollup of the settled days, then one raw scan per gap and the settling days. */
export async function readTonnage(db: RollupConnection, query: TonnageQuery, now: number): Promise<TonnageRow[]> {
  const offset = query.utcOffsetMinutes;
  const plan = planTonnage(query, now);
  const rows: TonnageRow[] = [];
  const raw: TimeRange[] = [];
  if (plan.rollup !== null) {
    const rolled = tonnageFromResults(await db.query(rollupTonnageQuery(db.target, plan.rollup, query.subdistrict)), offset);
    const gaps = missingDayRuns(plan.rollup, new Set(rolled.map((row) => row.day)), offset);
    if (!gaps.wholeRange) rows.push(...rolled);
    raw.push(...gaps.runs);
  }
  if (plan.settling !== null) {
    const last = raw.at(-1);
    if (last !== undefined && last.to === plan.settling.from) last.to = plan.settling.to;
    else raw.push(plan.settling);
  }
  if (raw.length > 0) {
    const results = await db.query(rawTonnageStatements(db.target, raw, offset, query.subdistrict), raw.length);
    results.forEach((series) => rows.push(...tonnageFromResults([series], offset)));
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.day, b.day) || cmp(a.subdistrict, b.subdistrict) || cmp(a.category, b.category));
}

/**
 * Rolls the local days that `range` touches up from the raw deposits, overwriting what the
 * rollup held for them; complete days only (today is left to the CQ). Whole days, since a
 * bucket summed over part of a day would overwrite the day's point with part of its sums. Call
 * it after writing many past days at once (history, an import, a long outage's backlog).
 */
export async function rollUpTonnage(db: RollupConnection, range: TimeRange, now: number): Promise<void> {
  const offset = db.utcOffsetMinutes;
  const dayStart = (ms: number) => localDayStart(localDay(ms, offset), offset);
  const from = dayStart(range.from);
  const to = Math.min(dayStart(range.to - 1) + DAY_MS, completeBefore(now, offset));
  if (!(from < to)) return;
  for (const statement of rollUpStatements(db.target, { from, to }, offset)) await db.query(statement);
}

/**
 * InfluxQL for TimeSeriesStore.participation and the reading of its answer. Pure.
 *
 * residentHash is a field (a tag per resident would make a series per resident), so distinct
 * residents are COUNT(DISTINCT("residentHash")) grouped by the community tag. Two statements:
 * 1.x does not mix a DISTINCT count with other aggregates in one SELECT.
 */
import { SUBDISTRICTS } from '../../../shared/contracts/common.ts';
import type { Subdistrict } from '../../../shared/contracts/index.ts';
import { from, type QueryTarget, quoteString } from './influx-query.ts';
import type { ResultSeries } from './influx-results.ts';
import { MEASUREMENTS } from './influx-schema.ts';
import type { ParticipationQuery, ParticipationRow } from './store.ts';
import { kgToMilligrams, milligramsToKg } from './tonnage.ts';

export const PARTICIPATION_STATEMENTS = 2;

function msLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${ms} is not an epoch millisecond`);
  return `${ms}ms`;
}

export function participationQuery(target: QueryTarget, query: ParticipationQuery): string {
  const subdistrict = query.subdistrict === undefined ? '' : ` AND "subdistrict" = ${quoteString(query.subdistrict)}`;
  const where = `WHERE time >= ${msLiteral(query.range.from)} AND time < ${msLiteral(query.range.to)}${subdistrict}`;
  const measurement = from(target, MEASUREMENTS.deposit);
  const groupBy = 'GROUP BY "subdistrict", "community"';
  return [
    `SELECT COUNT(DISTINCT("residentHash")) AS "residents" FROM ${measurement} ${where} ${groupBy}`,
    `SELECT COUNT("weightKg") AS "deposits", SUM("weightKg") AS "kg", SUM("points") AS "points" FROM ${measurement} ${where} ${groupBy}`,
  ].join('; ');
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The first row's value of a column (the statements have no GROUP BY time: one row per series). */
function first(series: ResultSeries, column: string): unknown {
  const i = series.columns.indexOf(column);
  return i < 0 ? undefined : series.values[0]?.[i];
}

/** Rows as the SQLite store gives them: kg rounded to whole mg, ordered by subdistrict, community. */
export function participationFromResults(results: ResultSeries[][]): ParticipationRow[] {
  const key = (s: ResultSeries) => `${s.tags.subdistrict}\u0000${s.tags.community}`;
  const residents = new Map((results[0] ?? []).map((s) => [key(s), num(first(s, 'residents'))]));
  const out: ParticipationRow[] = [];
  for (const series of results[1] ?? []) {
    const subdistrict = series.tags.subdistrict;
    const community = series.tags.community;
    if (!(SUBDISTRICTS as readonly string[]).includes(subdistrict ?? '') || !community) continue; // not BinPulse's data
    const deposits = num(first(series, 'deposits'));
    if (deposits === 0) continue;
    out.push({
      subdistrict: subdistrict as Subdistrict,
      community,
      residents: residents.get(key(series)) ?? 0,
      deposits,
      kg: milligramsToKg(kgToMilligrams(num(first(series, 'kg')))),
      points: num(first(series, 'points')),
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.subdistrict, b.subdistrict) || cmp(a.community, b.community));
}

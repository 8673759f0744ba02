/**
 * Reading InfluxQL /query answers (JSON, epoch=ms) into the store's types. Pure.
 * The shape is the same from 1.x, 2.x's v1 compatibility API and 3.x:
 * {"results":[{"statement_id":0,"series":[{"name","tags","columns","values"}],"error"?}],"error"?}
 */
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/contracts/common.ts';
import type { SeriesPoint, Subdistrict, TonnageRow, WasteCategory } from '../../../shared/contracts/index.ts';
import { localDay } from '../../../shared/units.ts';
import { InfluxQueryError } from './influx-write-errors.ts';
import { SERIES_STATEMENTS } from './influx-query.ts';
import { kgToMilligrams, milligramsToKg } from './tonnage.ts';

export interface ResultSeries {
  name: string;
  tags: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The series of each statement, in statement order; throws InfluxQueryError on any error. */
export function parseQueryResponse(body: unknown, statements: number): ResultSeries[][] {
  if (!isObject(body)) throw new InfluxQueryError('InfluxDB answered /query with something other than a JSON object', false);
  if (typeof body.error === 'string') throw new InfluxQueryError(`InfluxDB query failed: ${body.error}`, false);
  if (!Array.isArray(body.results)) throw new InfluxQueryError('InfluxDB /query answer has no results', false);
  const out: ResultSeries[][] = Array.from({ length: statements }, () => []);
  for (const result of body.results as unknown[]) {
    if (!isObject(result)) continue;
    if (typeof result.error === 'string') throw new InfluxQueryError(`InfluxDB query failed: ${result.error}`, false);
    const id = typeof result.statement_id === 'number' ? result.statement_id : 0;
    if (!(id >= 0 && id < statements) || !Array.isArray(result.series)) continue;
    for (const s of result.series as unknown[]) {
      if (!isObject(s) || !Array.isArray(s.columns) || !Array.isArray(s.values)) {
        throw new InfluxQueryError('InfluxDB /query answer has a malformed series', false);
      }
      out[id]!.push({
        name: String(s.name ?? ''),
        tags: isObject(s.tags) ? (s.tags as Record<string, string>) : {},
        columns: s.columns.map(String),
        values: s.values as unknown[][],
      });
    }
  }
  return out;
}

/** Rows as objects keyed by column name. */
function rows(series: ResultSeries): Record<string, unknown>[] {
  return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
}

function epochMs(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InfluxQueryError(`expected an epoch ms time, got ${JSON.stringify(value)} (was epoch=ms sent?)`, false);
  }
  return value;
}

const asCategory = (value: string | undefined): WasteCategory | null =>
  (WASTE_CATEGORIES as readonly string[]).includes(value ?? '') ? (value as WasteCategory) : null;

/** A row's metric name: depositKg is the deposit measurement's weightKg, as in the SQLite store. */
const metricName = (measurement: string, field: string) => (measurement === 'deposit' ? 'depositKg' : field);

/** Same order as the SQLite store: ts, metric, category (null lowest), all descending. */
function newestFirst(a: { ms: number; metric: string; category: string | null }, b: typeof a): number {
  if (a.ms !== b.ms) return b.ms - a.ms;
  if (a.metric !== b.metric) return a.metric < b.metric ? 1 : -1;
  if (a.category === b.category) return 0;
  if (a.category === null) return 1;
  if (b.category === null) return -1;
  return a.category < b.category ? 1 : -1;
}

/** Merges the deviceSeriesQuery statements' answers: the newest `limit` points, oldest first. */
export function seriesFromResults(results: ResultSeries[][], limit: number): SeriesPoint[] {
  const points: { ms: number; metric: string; category: WasteCategory | null; value: number }[] = [];
  SERIES_STATEMENTS.forEach((statement, i) => {
    for (const series of results[i] ?? []) {
      const category = statement.byCategory ? asCategory(series.tags.category) : null;
      if (statement.byCategory && category === null) continue; // a category BinPulse does not know
      for (const row of rows(series)) {
        const ms = epochMs(row.time);
        for (const field of statement.fields) {
          const value = row[field];
          // A missing field (a box without battery) is no point rather than a fake 0.
          if (typeof value !== 'number' || !Number.isFinite(value)) continue;
          points.push({ ms, metric: metricName(statement.measurement, field), category, value });
        }
      }
    }
  });
  points.sort(newestFirst);
  return points
    .slice(0, limit)
    .reverse()
    .map((p) => ({ ts: new Date(p.ms).toISOString(), metric: p.metric, category: p.category, value: p.value }));
}

/**
 * Tonnage rows from the tonnageQuery answer. kg is rounded to whole milligrams, as the SQLite
 * store keeps it, so both stores report the same numbers (float SUM is order-dependent in the
 * last bits).
 */
export function tonnageFromResults(results: ResultSeries[][], utcOffsetMinutes: number): TonnageRow[] {
  const out: TonnageRow[] = [];
  for (const series of results[0] ?? []) {
    const category = asCategory(series.tags.category);
    const subdistrict = (SUBDISTRICTS as readonly string[]).includes(series.tags.subdistrict ?? '')
      ? (series.tags.subdistrict as Subdistrict)
      : null;
    if (category === null || subdistrict === null) continue; // not BinPulse's data
    for (const row of rows(series)) {
      const deposits = typeof row.deposits === 'number' ? row.deposits : 0;
      if (deposits === 0) continue; // fill(none) should drop these already
      const kg = typeof row.kg === 'number' ? milligramsToKg(kgToMilligrams(row.kg)) : 0;
      out.push({ day: localDay(epochMs(row.time), utcOffsetMinutes), category, subdistrict, kg, deposits });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.day, b.day) || cmp(a.subdistrict, b.subdistrict) || cmp(a.category, b.category));
}

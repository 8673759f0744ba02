/**
 * A report's days and subdistrict as the tonnage and mass-balance views keep them in their URL
 * (`from=…&to=…&subdistrict=…`): what is missing or malformed falls back to the view's default.
 */
import type { Subdistrict } from '../../../shared/contracts/index.ts';
import { isDay } from './date-picker.ts';
import { SUBDISTRICTS } from '../../../shared/vocabulary.ts';

export interface ReportRange {
  from: string;
  to: string;
  subdistrict?: Subdistrict;
}

export function parseReportRange(query: string, fallback: ReportRange): ReportRange {
  const params = new URLSearchParams(query);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const subdistrict = params.get('subdistrict');
  const range: ReportRange = isDay(from) && isDay(to) && from <= to ? { from, to } : { from: fallback.from, to: fallback.to };
  if (subdistrict && (SUBDISTRICTS as readonly string[]).includes(subdistrict)) range.subdistrict = subdistrict as Subdistrict;
  return range;
}

export function reportRangeQuery(range: ReportRange): string {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  if (range.subdistrict) params.set('subdistrict', range.subdistrict);
  return params.toString();
}

/**
 * CSV as Excel users in the district open it: UTF-8 with a byte-order mark (without it, Excel on
 * a Chinese Windows reads UTF-8 as GBK and 红梅街道 turns into mojibake), CRLF line ends and
 * RFC 4180 quoting. Text that Excel would run as a formula is defused (OWASP "CSV injection").
 */
import type { TonnageReport } from '../../../shared/contracts/index.ts';
import { SUBDISTRICTS, WASTE_CATEGORIES } from './vocabulary.ts';
import { subdistrictName } from './labels.ts';

export const UTF8_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export function csvField(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  // A leading =, +, -, @, tab or CR makes Excel evaluate the cell: keep it text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

export const TONNAGE_CSV_HEADER = ['day', 'subdistrict', 'subdistrict_name', 'category', 'kg', 'deposits'] as const;

/** Kilograms to the gram: the store's resolution is finer, nobody weighs recyclables finer. */
const grams = (kg: number): number => Math.round(kg * 1000) / 1000;

/**
 * One line per day × subdistrict × category with deposits, in a stable order (day, then the
 * district's subdistrict order, then the category order), so two exports diff cleanly.
 */
export function tonnageCsv(report: Pick<TonnageReport, 'rows'>): string {
  const rank = <T>(list: readonly T[], value: T) => list.indexOf(value);
  const rows = [...report.rows].sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      rank(SUBDISTRICTS, a.subdistrict) - rank(SUBDISTRICTS, b.subdistrict) ||
      rank(WASTE_CATEGORIES, a.category) - rank(WASTE_CATEGORIES, b.category),
  );
  return toCsv(
    TONNAGE_CSV_HEADER,
    rows.map((r) => [r.day, r.subdistrict, subdistrictName(r.subdistrict), r.category, grams(r.kg), r.deposits]),
  );
}

/** binpulse-tonnage-2026-11-20_2026-11-27[-hongmei].csv */
export function tonnageCsvFilename(from: string, to: string, subdistrict?: string): string {
  return `binpulse-tonnage-${from}_${to}${subdistrict ? `-${subdistrict}` : ''}.csv`;
}

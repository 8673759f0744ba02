/**
 * CSV as Excel users in the district open it: UTF-8 with a byte-order mark (without it, Excel on
 * a Chinese Windows reads UTF-8 as GBK and 红梅街道 turns into mojibake), CRLF line ends and
 * RFC 4180 quoting. Text that Excel would run as a formula is defused (OWASP "CSV injection").
 */
import type { TonnageReport } from '../../../shared/contracts/index.ts';
import type { I18n } from './i18n/translator.ts';
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/vocabulary.ts';

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

/**
 * The tonnage CSV's columns: the API's stable codes (day, subdistrict, category) beside their
 * names in the reader's language, so a spreadsheet reads 红梅街道 / Hongmei and a script still
 * filters on `hongmei`. The header row is in the reader's language too (messages/tonnage.ts
 * `tonnage.csv.<column>`; the names are the console's own `subdistrict.*` and `category.*`, one
 * definition for the screen and the file).
 */
export const TONNAGE_CSV_COLUMNS = ['day', 'subdistrict', 'subdistrict_name', 'category', 'category_name', 'kg', 'deposits'] as const;

/** Kilograms to the gram: the store's resolution is finer, nobody weighs recyclables finer. */
const grams = (kg: number): number => Math.round(kg * 1000) / 1000;

/**
 * One line per day × subdistrict × category with deposits, in a stable order (day, then the
 * district's subdistrict order, then the category order), so two exports diff cleanly. Numbers
 * and days stay plain (2026-11-24, 10.5): a spreadsheet in any locale reads them as values.
 */
export function tonnageCsv(report: Pick<TonnageReport, 'rows'>, i18n: Pick<I18n, 't'>): string {
  const rank = <T>(list: readonly T[], value: T) => list.indexOf(value);
  const rows = [...report.rows].sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      rank(SUBDISTRICTS, a.subdistrict) - rank(SUBDISTRICTS, b.subdistrict) ||
      rank(WASTE_CATEGORIES, a.category) - rank(WASTE_CATEGORIES, b.category),
  );
  return toCsv(
    TONNAGE_CSV_COLUMNS.map((column) => i18n.t(`tonnage.csv.${column}`)),
    rows.map((r) => [r.day, r.subdistrict, i18n.t(`subdistrict.${r.subdistrict}`), r.category, i18n.t(`category.${r.category}`), grams(r.kg), r.deposits]),
  );
}

/** binpulse-tonnage-2026-11-20_2026-11-27[-hongmei].csv */
export function tonnageCsvFilename(from: string, to: string, subdistrict?: string): string {
  return `binpulse-tonnage-${from}_${to}${subdistrict ? `-${subdistrict}` : ''}.csv`;
}

/**
 * The participation CSV: one line per community, as the report orders them (subdistrict, then
 * name). Codes beside names in the reader's language, as the tonnage CSV (csv.ts); the rate and
 * the trend are plain fractions (0.7, -0.05) so a spreadsheet computes with them.
 */
import type { ParticipationReport } from '../../../shared/contracts/index.ts';
import { toCsv } from './csv.ts';
import type { I18n } from './i18n/translator.ts';

export const PARTICIPATION_CSV_COLUMNS = [
  'subdistrict',
  'subdistrict_name',
  'community',
  'pilot',
  'households',
  'active_7d',
  'active_30d',
  'active_previous_7d',
  'rate',
  'deposits_30d',
  'kg_30d',
  'kg_per_active',
  'points_30d',
  'trend',
] as const;

const grams = (kg: number): number => Math.round(kg * 1000) / 1000;
const fraction = (value: number | null): number | string => (value === null ? '' : Math.round(value * 10_000) / 10_000);

export function participationCsv(report: Pick<ParticipationReport, 'communities'>, i18n: Pick<I18n, 't'>): string {
  return toCsv(
    PARTICIPATION_CSV_COLUMNS.map((column) => i18n.t(`participation.csv.${column}`)),
    report.communities.map((c) => [
      c.subdistrict,
      i18n.t(`subdistrict.${c.subdistrict}`),
      c.community,
      c.pilot ? 1 : 0,
      c.households ?? '',
      c.active7d,
      c.active30d,
      c.activePrevious7d,
      fraction(c.rate),
      c.deposits30d,
      grams(c.kg30d),
      c.kgPerActive === null ? '' : grams(c.kgPerActive),
      c.points30d,
      fraction(c.trend),
    ]),
  );
}

/** binpulse-participation-2026-12-06[-qinglong].csv */
export function participationCsvFilename(to: string, subdistrict?: string): string {
  return `binpulse-participation-${to}${subdistrict ? `-${subdistrict}` : ''}.csv`;
}

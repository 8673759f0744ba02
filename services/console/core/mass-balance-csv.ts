/**
 * The mass balance as CSV (issue 14): one line per day × subdistrict × category, the kg at every
 * stage, codes beside their names in the reader's language (as the tonnage CSV does).
 */
import type { MassBalanceReport } from '../../../shared/contracts/index.ts';
import { toCsv } from './csv.ts';
import type { I18n } from './i18n/translator.ts';
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/vocabulary.ts';

export const MASS_BALANCE_CSV_COLUMNS = [
  'day',
  'subdistrict',
  'subdistrict_name',
  'category',
  'category_name',
  'deposited_kg',
  'collected_kg',
  'weighed_in_kg',
  'shipped_kg',
  'received_kg',
  'recovered_kg',
  'residue_kg',
] as const;

/** Allocated kg carry fractions of a gram; nobody weighs recyclables finer. */
const grams = (kg: number): number => Math.round(kg * 1000) / 1000;

export function massBalanceCsv(report: Pick<MassBalanceReport, 'rows'>, i18n: Pick<I18n, 't'>): string {
  const rank = <T>(list: readonly T[], value: T) => list.indexOf(value);
  const rows = [...report.rows].sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      rank(SUBDISTRICTS, a.subdistrict) - rank(SUBDISTRICTS, b.subdistrict) ||
      rank(WASTE_CATEGORIES, a.category) - rank(WASTE_CATEGORIES, b.category),
  );
  return toCsv(
    MASS_BALANCE_CSV_COLUMNS.map((column) => i18n.t(`ledger.csv.${column}`)),
    rows.map((r) => [
      r.day,
      r.subdistrict,
      i18n.t(`subdistrict.${r.subdistrict}`),
      r.category,
      i18n.t(`category.${r.category}`),
      ...[r.depositedKg, r.collectedKg, r.weighedInKg, r.shippedKg, r.receivedKg, r.recoveredKg, r.residueKg].map(grams),
    ]),
  );
}

/** binpulse-mass-balance-2026-11-20_2026-11-27[-hongmei].csv */
export function massBalanceCsvFilename(from: string, to: string, subdistrict?: string): string {
  return `binpulse-mass-balance-${from}_${to}${subdistrict ? `-${subdistrict}` : ''}.csv`;
}

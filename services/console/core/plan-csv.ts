/**
 * The drivers' stop list as CSV (GET /api/v1/plans/:id/stops.csv): one row per planned stop, in
 * route order, the header and names in the reader's language, codes and numbers plain. The
 * address and subdistrict are not in the plan: the caller looks them up in the registry.
 */
import type { Plan, Subdistrict } from '../../../shared/contracts/index.ts';
import { toCsv } from './csv.ts';
import type { I18n } from './i18n/translator.ts';
import { clockTime } from './plan-view.ts';
import { WASTE_CATEGORIES } from '../../../shared/vocabulary.ts';

/** The fixed columns; one `kg_<category>` column per category follows `address`, then `total_kg`. */
export const PLAN_CSV_COLUMNS = ['vehicle', 'plate', 'sequence', 'eta', 'box', 'name', 'community', 'subdistrict', 'address'] as const;

export interface BoxPlace {
  subdistrict: Subdistrict;
  address: string;
}

/** Kilograms to 0.1 kg: a driver's estimate, not a weighing. */
const tenths = (kg: number): number => Math.round(kg * 10) / 10;

export function planCsvHeader(i18n: Pick<I18n, 't'>): string[] {
  return [
    ...PLAN_CSV_COLUMNS.map((column) => i18n.t(`plans.csv.${column}`)),
    ...WASTE_CATEGORIES.map((category) => i18n.t('plans.csv.categoryKg', { category: i18n.t(`category.${category}`) })),
    i18n.t('plans.csv.totalKg'),
  ];
}

/** The rows without the header: route by route as the plan lists them, stops in driving order. */
export function planCsvRows(plan: Pick<Plan, 'routes'>, place: (deviceId: string) => BoxPlace | undefined, i18n: Pick<I18n, 't' | 'utcOffsetMinutes'>): (string | number)[][] {
  return plan.routes.flatMap((route) =>
    [...route.stops]
      .sort((a, b) => a.sequence - b.sequence)
      .map((stop) => {
        const where = place(stop.deviceId);
        return [
          route.vehicleId,
          route.plate,
          stop.sequence,
          clockTime(stop.eta, i18n.utcOffsetMinutes),
          stop.deviceId,
          stop.name,
          stop.community,
          // A box removed from the registry since the plan was made: its row stays, without a place.
          where ? i18n.t(`subdistrict.${where.subdistrict}`) : '',
          where?.address ?? '',
          ...WASTE_CATEGORIES.map((category) => tenths(stop.kgByCategory[category] ?? 0)),
          tenths(stop.expectedKg),
        ];
      }),
  );
}

export function planCsv(plan: Pick<Plan, 'routes'>, place: (deviceId: string) => BoxPlace | undefined, i18n: Pick<I18n, 't' | 'utcOffsetMinutes'>): string {
  return toCsv(planCsvHeader(i18n), planCsvRows(plan, place, i18n));
}

/** binpulse-plan-2026-12-07-0600.csv: the shift's day and local start, so two shifts of a day differ. */
export function planCsvFilename(plan: Pick<Plan, 'shift'>, utcOffsetMinutes: number): string {
  return `binpulse-plan-${plan.shift.date}-${clockTime(plan.shift.startAt, utcOffsetMinutes).replace(':', '')}.csv`;
}

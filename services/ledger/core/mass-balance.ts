/**
 * The mass balance (issue 14, item 3): per district-local day × category × subdistrict, the kg at
 * each stage deposited → collected → weighed in → shipped → received → recovered + residue, the
 * days' legs against their tolerances, and the trips that need attention.
 *
 * Deposits and collections carry their category and subdistrict. Weighbridge figures do not, so
 * they are allocated (docs/ledger.md):
 * - a trip's weighed-in kg by the category × subdistrict shares of what that trip collected;
 * - a shipment's shipped and received kg by the shares of the day's weighed-in kg (within its
 *   category when the shipment names one), falling back to the day's collected shares;
 * - recovered kg of a category by the day's received shares within that category, residue by the
 *   day's received shares.
 * What cannot be allocated (a weigh-in without a trip) is in the district's day totals only.
 */
import type {
  LegBalance,
  MassBalanceDay,
  MassBalanceReport,
  MassBalanceRow,
  StageKg,
  Subdistrict,
  TripBalance,
  TripStatus,
  WasteCategory,
} from '../../../shared/contracts/index.ts';
import { TRIP_STATUSES } from '../../../shared/contracts/index.ts';
import { localDay, toLocalIso } from '../../../shared/units.ts';
import { checkDayRange } from '../../timeseries/core/tonnage.ts';
import type { LedgerInputs } from './inputs.ts';
import { matchShipments, shipmentAtMs, type Shipment } from './shipments.ts';
import { SHIPMENT_TOLERANCE, SORTING_LOSS_MAX_SHARE, toleranceKg, TRIP_TOLERANCE, withinTolerance } from './tolerance.ts';
import { matchTrips, tripAtMs, type Trip } from './trips.ts';

/** The district's recyclables recovered and sorted, tonnes a day (../shared/context). */
export const TARGET_BAND_TONNES_PER_DAY = { min: 60, max: 80 } as const;

export interface BalanceOptions {
  fromDay: string;
  toDay: string;
  utcOffsetMinutes: number;
  subdistrict?: Subdistrict;
  nowMs: number;
}

type Stage = keyof StageKg;
const zeroStages = (): StageKg => ({ depositedKg: 0, collectedKg: 0, weighedInKg: 0, shippedKg: 0, receivedKg: 0, recoveredKg: 0, residueKg: 0 });
/** Leg sums: '*' is the district, else a subdistrict's allocated part. */
type LegSums = Map<string, { from: number; to: number }>;

/** What the balance and the alert check both need: trips and shipments matched, kg allocated. */
export interface LedgerWorkings {
  days: string[];
  trips: Trip[];
  shipments: Shipment[];
  rows: MassBalanceRow[];
  /** District totals per day, straight from the sources. */
  districtDays: Map<string, StageKg & { unallocatedKg: number }>;
  tripLegs: LegSums;
  shipmentLegs: LegSums;
}

export function ledgerWorkings(inputs: LedgerInputs, options: BalanceOptions): LedgerWorkings {
  const range = checkDayRange(options.fromDay, options.toDay);
  if (!range.ok) throw new RangeError(range.error);
  const dayOf = (ms: number) => localDay(ms, options.utcOffsetMinutes);
  const cells = new Map<string, MassBalanceRow>();
  const cell = (day: string, category: WasteCategory, subdistrict: Subdistrict): MassBalanceRow => {
    const key = `${day}|${category}|${subdistrict}`;
    let row = cells.get(key);
    if (!row) cells.set(key, (row = { day, category, subdistrict, ...zeroStages() }));
    return row;
  };
  const districtDays = new Map(range.days.map((d) => [d, { ...zeroStages(), unallocatedKg: 0 }]));
  const district = (day: string) => districtDays.get(day) ?? { ...zeroStages(), unallocatedKg: 0 }; // outside the range: discarded
  const tripLegs: LegSums = new Map();
  const shipmentLegs: LegSums = new Map();
  const addLeg = (sums: LegSums, day: string, area: string, from: number, to: number) => {
    const key = `${day}|${area}`;
    const sum = sums.get(key) ?? { from: 0, to: 0 };
    sums.set(key, { from: sum.from + from, to: sum.to + to });
  };

  for (const d of inputs.deposits) {
    cell(d.day, d.category, d.subdistrict).depositedKg += d.kg;
    district(d.day).depositedKg += d.kg;
  }
  for (const c of inputs.collections) {
    for (const [category, kg = 0] of Object.entries(c.kgByCategory) as [WasteCategory, number][]) {
      cell(dayOf(c.atMs), category, c.subdistrict).collectedKg += kg;
      district(dayOf(c.atMs)).collectedKg += kg;
    }
  }

  const trips = matchTrips(inputs.collections, inputs.tickets, inputs.vehicles, options.nowMs);
  for (const trip of trips) {
    if (trip.status === 'open') continue;
    const day = dayOf(tripAtMs(trip));
    const weighedIn = trip.weighIn?.netKg ?? 0;
    district(day).weighedInKg += weighedIn;
    if (trip.collectedKg === 0) {
      district(day).unallocatedKg += weighedIn;
      continue;
    }
    addLeg(tripLegs, day, '*', trip.collectedKg, weighedIn);
    for (const c of trip.collections) {
      for (const [category, kg = 0] of Object.entries(c.kgByCategory) as [WasteCategory, number][]) {
        const share = kg / trip.collectedKg;
        if (trip.weighIn) cell(day, category, c.subdistrict).weighedInKg += weighedIn * share;
        addLeg(tripLegs, day, c.subdistrict, kg, weighedIn * share);
      }
    }
  }

  /** The day's cells weighted by a stage, within one category when given; fractions summing to 1. */
  const shares = (day: string, category: WasteCategory | undefined, stages: Stage[]): [MassBalanceRow, number][] => {
    for (const stage of stages) {
      const weighted = [...cells.values()].filter((r) => r.day === day && (category === undefined || r.category === category) && r[stage] > 0);
      const total = weighted.reduce((sum, r) => sum + r[stage], 0);
      if (total > 0) return weighted.map((r) => [r, r[stage] / total]);
    }
    return [];
  };

  const shipments = matchShipments(inputs.tickets, options.nowMs);
  for (const s of shipments) {
    const day = dayOf(shipmentAtMs(s));
    const shipped = s.weighOut?.netKg ?? 0;
    const received = s.weighIn?.netKg ?? 0;
    district(day).shippedKg += shipped;
    district(day).receivedKg += received;
    if (!s.inTransit) addLeg(shipmentLegs, day, '*', shipped, received);
    for (const [row, f] of shares(day, s.weighOut?.category ?? s.weighIn?.category, ['weighedInKg', 'collectedKg'])) {
      row.shippedKg += shipped * f;
      row.receivedKg += received * f;
      if (!s.inTransit) addLeg(shipmentLegs, day, row.subdistrict, shipped * f, received * f);
    }
  }

  for (const report of inputs.sortingReports) {
    const day = dayOf(report.periodStartMs);
    for (const [category, kg = 0] of Object.entries(report.recoveredKg) as [WasteCategory, number][]) {
      district(day).recoveredKg += kg;
      for (const [row, f] of shares(day, category, ['receivedKg', 'weighedInKg', 'collectedKg'])) row.recoveredKg += kg * f;
    }
    district(day).residueKg += report.residueKg;
    for (const [row, f] of shares(day, undefined, ['receivedKg', 'weighedInKg', 'collectedKg'])) row.residueKg += report.residueKg * f;
  }

  const inRange = new Set(range.days);
  const rows = [...cells.values()]
    .filter((r) => inRange.has(r.day))
    .sort((a, b) => a.day.localeCompare(b.day) || a.subdistrict.localeCompare(b.subdistrict) || a.category.localeCompare(b.category));
  return { days: range.days, trips, shipments, rows, districtDays, tripLegs, shipmentLegs };
}

/** The day's legs, from its stage kg and the matched trips and shipments (district or one subdistrict). */
export function dayLegs(stages: StageKg, tripLeg: { from: number; to: number }, shipmentLeg: { from: number; to: number }): LegBalance[] {
  const sorted = stages.recoveredKg + stages.residueKg;
  const sortingLoss = stages.receivedKg - sorted;
  const sortingTolerance = Math.max(stages.receivedKg * SORTING_LOSS_MAX_SHARE, SHIPMENT_TOLERANCE.minKg);
  return [
    leg('deposited_collected', stages.depositedKg, stages.collectedKg, null),
    leg('collected_weighed_in', tripLeg.from, tripLeg.to, toleranceKg(tripLeg.from, TRIP_TOLERANCE)),
    leg('weighed_in_shipped', stages.weighedInKg, stages.shippedKg, null),
    leg('shipped_received', shipmentLeg.from, shipmentLeg.to, toleranceKg(shipmentLeg.from, SHIPMENT_TOLERANCE)),
    {
      leg: 'received_sorted',
      fromKg: stages.receivedKg,
      toKg: sorted,
      lossKg: sortingLoss,
      toleranceKg: sortingTolerance,
      // A loss up to a few per cent is moisture and handling; a gain is a scale or a report wrong.
      within: stages.receivedKg === 0 && sorted === 0 ? null : sortingLoss <= sortingTolerance && sortingLoss >= -toleranceKg(stages.receivedKg, SHIPMENT_TOLERANCE),
    },
  ];
}

function leg(name: LegBalance['leg'], fromKg: number, toKg: number, tolerance: number | null): LegBalance {
  const lossKg = fromKg - toKg;
  const empty = fromKg === 0 && toKg === 0;
  return { leg: name, fromKg, toKg, lossKg, toleranceKg: tolerance, within: tolerance === null || empty ? null : withinTolerance(lossKg, tolerance) };
}

export function buildMassBalance(inputs: LedgerInputs, options: BalanceOptions): MassBalanceReport {
  const w = ledgerWorkings(inputs, options);
  const area = options.subdistrict ?? '*';
  const rows = options.subdistrict === undefined ? w.rows : w.rows.filter((r) => r.subdistrict === options.subdistrict);
  const days: MassBalanceDay[] = w.days.map((day) => {
    const stages =
      options.subdistrict === undefined ? w.districtDays.get(day)! : { ...sumStages(rows.filter((r) => r.day === day)), unallocatedKg: 0 };
    const none = { from: 0, to: 0 };
    return { day, ...stages, legs: dayLegs(stages, w.tripLegs.get(`${day}|${area}`) ?? none, w.shipmentLegs.get(`${day}|${area}`) ?? none) };
  });
  const totals = { ...sumStages(days), unallocatedKg: days.reduce((sum, d) => sum + d.unallocatedKg, 0) };
  const inRange = new Set(w.days);
  const trips = w.trips.filter(
    (t) =>
      inRange.has(localDay(tripAtMs(t), options.utcOffsetMinutes)) &&
      (options.subdistrict === undefined || t.collections.some((c) => c.subdistrict === options.subdistrict)),
  );
  const tripCounts = Object.fromEntries(TRIP_STATUSES.map((s) => [s, trips.filter((t) => t.status === s).length])) as Record<TripStatus, number>;
  return {
    from: options.fromDay,
    to: options.toDay,
    utcOffsetMinutes: options.utcOffsetMinutes,
    subdistrict: options.subdistrict ?? null,
    totals,
    recoveryRate: totals.receivedKg > 0 ? totals.recoveredKg / totals.receivedKg : null,
    targetBandTonnesPerDay: { ...TARGET_BAND_TONNES_PER_DAY },
    days,
    rows,
    trips: trips.filter((t) => t.status !== 'within' && t.status !== 'open').map((t) => tripBalance(t, options.utcOffsetMinutes)),
    tripCounts,
  };
}

function sumStages(items: readonly StageKg[]): StageKg {
  const total = zeroStages();
  for (const item of items) for (const stage of Object.keys(total) as Stage[]) total[stage] += item[stage];
  return total;
}

export function tripBalance(trip: Trip, utcOffsetMinutes: number): TripBalance {
  const first = trip.collections[0];
  const last = trip.collections[trip.collections.length - 1];
  const iso = (ms: number | undefined) => (ms === undefined ? null : toLocalIso(ms, utcOffsetMinutes));
  return {
    plate: trip.plate,
    day: localDay(tripAtMs(trip), utcOffsetMinutes),
    collections: trip.collections.length,
    firstCollectionAt: iso(first?.atMs),
    lastCollectionAt: iso(last?.atMs),
    collectedKg: trip.collectedKg,
    weighInTicketId: trip.weighIn?.ticketId ?? null,
    weighInScaleId: trip.weighIn?.scaleId ?? null,
    weighedInAt: iso(trip.weighIn?.atMs),
    weighedInKg: trip.weighIn?.netKg ?? null,
    lossKg: trip.lossKg,
    toleranceKg: trip.toleranceKg,
    status: trip.status,
  };
}

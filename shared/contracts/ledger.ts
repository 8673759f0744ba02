/**
 * The mass balance (issue 14, item 3): what was deposited in the boxes, collected from them,
 * weighed in at the transfer stations, shipped, received at the sorting centre, and recovered or
 * left as residue, per district-local day × category × subdistrict, with each leg's difference
 * against its tolerance. Method, tolerances and allocation: docs/ledger.md.
 */
import { z } from 'zod';
import { LEDGER_STAGES, LEDGER_LEGS, TRIP_STATUSES } from '../vocabulary.ts';
import { Subdistrict, WasteCategory } from './common.ts';

export { LEDGER_STAGES, LEDGER_LEGS, TRIP_STATUSES };

export const MassBalanceQuery = z.object({
  from: z.iso.date().describe('first day, district local time'),
  to: z.iso.date().describe('last day, inclusive'),
  subdistrict: Subdistrict.optional(),
});
export type MassBalanceQuery = z.infer<typeof MassBalanceQuery>;

export type LedgerStage = (typeof LEDGER_STAGES)[number];

/** kg at each stage. */
export const StageKg = z.object({
  depositedKg: z.number(),
  collectedKg: z.number(),
  weighedInKg: z.number(),
  shippedKg: z.number(),
  receivedKg: z.number(),
  recoveredKg: z.number(),
  residueKg: z.number(),
});
export type StageKg = z.infer<typeof StageKg>;

export const LedgerLeg = z.enum(LEDGER_LEGS);
export type LedgerLeg = z.infer<typeof LedgerLeg>;

export const LegBalance = z.object({
  leg: LedgerLeg,
  fromKg: z.number(),
  toKg: z.number(),
  /** fromKg − toKg: positive is a loss along the leg. */
  lossKg: z.number(),
  toleranceKg: z.number().nullable(),
  within: z.boolean().nullable(),
});
export type LegBalance = z.infer<typeof LegBalance>;

export const MassBalanceRow = StageKg.extend({
  day: z.iso.date(),
  category: WasteCategory,
  subdistrict: Subdistrict,
});
export type MassBalanceRow = z.infer<typeof MassBalanceRow>;

export const MassBalanceDay = StageKg.extend({
  day: z.iso.date(),
  /** Weighed in without a matching trip (an unknown plate, no collections): in the day's total, in no row. */
  unallocatedKg: z.number(),
  legs: z.array(LegBalance),
});
export type MassBalanceDay = z.infer<typeof MassBalanceDay>;

export const TripStatus = z.enum(TRIP_STATUSES);
export type TripStatus = z.infer<typeof TripStatus>;

/** A vehicle's collections since its previous weigh-in, and the weigh-in that closed them. */
export const TripBalance = z.object({
  plate: z.string(),
  /** The district day of its weigh-in (of its last collection when none came). */
  day: z.iso.date(),
  collections: z.int(),
  firstCollectionAt: z.iso.datetime({ offset: true }).nullable(),
  lastCollectionAt: z.iso.datetime({ offset: true }).nullable(),
  collectedKg: z.number(),
  weighInTicketId: z.string().nullable(),
  weighInScaleId: z.string().nullable(),
  weighedInAt: z.iso.datetime({ offset: true }).nullable(),
  weighedInKg: z.number().nullable(),
  lossKg: z.number().nullable(),
  toleranceKg: z.number(),
  status: TripStatus,
});
export type TripBalance = z.infer<typeof TripBalance>;

export const MassBalanceReport = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  utcOffsetMinutes: z.int(),
  subdistrict: Subdistrict.nullable(),
  totals: StageKg.extend({ unallocatedKg: z.number() }),
  /** recovered ÷ received over the range; null when nothing was received. */
  recoveryRate: z.number().nullable(),
  /** The district's 60–80 t/day of recyclables recovered and sorted (tonnes). */
  targetBandTonnesPerDay: z.object({ min: z.number(), max: z.number() }),
  days: z.array(MassBalanceDay),
  rows: z.array(MassBalanceRow),
  /** Trips needing attention (mismatch, missing weigh-in, unknown plate); within and open trips are counted only. */
  trips: z.array(TripBalance),
  tripCounts: z.record(TripStatus, z.int()),
});
export type MassBalanceReport = z.infer<typeof MassBalanceReport>;

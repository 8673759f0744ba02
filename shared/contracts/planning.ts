/** Collection planning as the API shows it: live fill-level forecasts per box compartment (issue 13). */
import { z } from 'zod';
import { RELIABILITY_RATINGS, RELIABILITY_REASONS, STOP_STATUSES } from '../vocabulary.ts';
import { DeviceId, Subdistrict, WasteCategory } from './common.ts';

export { RELIABILITY_RATINGS, RELIABILITY_REASONS, STOP_STATUSES };

const Instant = z.string().describe('ISO 8601 instant (UTC)');
const MaybeInstant = Instant.nullable().describe('ISO 8601 instant (UTC); null beyond the 14-day horizon or with no fill rate');

export const ForecastReliability = z.object({
  rating: z.enum(RELIABILITY_RATINGS),
  reasons: z.array(z.enum(RELIABILITY_REASONS)),
});
export type ForecastReliability = z.infer<typeof ForecastReliability>;

export const CompartmentForecastOut = z.object({
  category: WasteCategory,
  /** Last known fillingLevel: the last reading plus the deposits since. */
  level: z.number(),
  /** Expected fill per hour now (this hour of the week), as a fraction of capacity. */
  fillRatePerHour: z.number(),
  /** The bin_full level of the thresholds file this forecast aims at. */
  fullLevel: z.number(),
  /** Median instant of reaching fullLevel, and the 80 % interval around it. */
  fullAt: MaybeInstant,
  fullAtEarliest: MaybeInstant,
  fullAtLatest: MaybeInstant,
  /** Reaching 1.0 (the compartment refuses deposits). */
  overflowAt: MaybeInstant,
  overflowAtEarliest: MaybeInstant,
  overflowAtLatest: MaybeInstant,
  reliability: ForecastReliability,
});
export type CompartmentForecastOut = z.infer<typeof CompartmentForecastOut>;

export const BoxForecast = z.object({
  deviceId: DeviceId,
  name: z.string(),
  subdistrict: Subdistrict,
  community: z.string(),
  position: z.object({ lat: z.number(), lon: z.number() }),
  /** When the forecast was made. */
  at: Instant,
  compartments: z.array(CompartmentForecastOut),
  /** FIWARE WasteContainer's nextActuationDeadline: the earliest compartment's fullAtEarliest (or now if full). */
  nextActuationDeadline: Instant.nullable(),
});
export type BoxForecast = z.infer<typeof BoxForecast>;

export const ForecastQuery = z.object({
  subdistrict: Subdistrict.optional(),
  fullWithinH: z.coerce.number().min(0).max(336).default(24).describe('Compartments forecast to reach the full level within this many hours'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ForecastList = z.object({
  at: Instant,
  /** Boxes matching, before the limit. */
  total: z.int(),
  items: z.array(BoxForecast),
});
export type ForecastList = z.infer<typeof ForecastList>;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day HH:MM');

/** POST /api/v1/plans: a shift to plan from the live forecasts (issue 13). */
export const NewPlan = z.strictObject({
  /** The shift's district day. */
  date: z.iso.date().describe('district day of the shift, YYYY-MM-DD'),
  /** District local times; default the morning shift. */
  shift: z.strictObject({ start: ClockTime, end: ClockTime }).default({ start: '06:00', end: '14:00' }),
  /** Vehicle ids to plan with; default every vehicle of the registry. */
  vehicles: z.array(DeviceId).min(1).max(500).optional(),
  serviceMinutes: z.number().min(0).max(60).default(4),
  /** Boxes whose fullest compartment is below this level are not visited (unless due). */
  skipBelow: z.number().min(0).max(1).default(0.25),
});
export type NewPlan = z.output<typeof NewPlan>;

const PlanPosition = z.object({ lat: z.number(), lon: z.number() });
const KgByCategory = z.record(z.string(), z.number());

export const PlanStop = z.object({
  sequence: z.int(),
  deviceId: DeviceId,
  name: z.string(),
  community: z.string(),
  position: PlanPosition,
  /** Arrival at the box. */
  eta: Instant,
  /** Earliest instant a compartment may reach full (the forecast interval's low bound); null for a top-up stop. */
  dueAt: Instant.nullable(),
  expectedKg: z.number(),
  kgByCategory: KgByCategory,
});
export type PlanStop = z.infer<typeof PlanStop>;

export const PlanRoute = z.object({
  vehicleId: DeviceId,
  plate: z.string(),
  depotId: DeviceId,
  /** The transfer station the route starts from and returns to; absent in plans made before it was stated. */
  depot: z.object({ name: z.string(), position: PlanPosition }).optional(),
  stops: z.array(PlanStop),
  km: z.number(),
  /** Travel plus service, depot to depot. */
  durationMinutes: z.number(),
  loadKg: z.number(),
  capacityKg: z.number(),
});
export type PlanRoute = z.infer<typeof PlanRoute>;

export const Plan = z.object({
  id: z.string(),
  createdAt: Instant,
  createdBy: z.string(),
  shift: z.object({ date: z.iso.date(), startAt: Instant, endAt: Instant }),
  routes: z.array(PlanRoute),
  /** Due boxes no vehicle could take: `capacity` (no kg left) or `time` (no minutes left). */
  unassigned: z.array(z.object({ deviceId: DeviceId, reason: z.enum(['capacity', 'time']), kg: z.number(), dueAt: Instant.nullable() })),
  totals: z.object({ stops: z.int(), km: z.number(), kg: z.number(), vehiclesUsed: z.int() }),
});
export type Plan = z.infer<typeof Plan>;

export const PlanListQuery = z.object({ date: z.iso.date().describe('district day of the shifts, YYYY-MM-DD') });
export const PlanList = z.object({ items: z.array(Plan) });
export type PlanList = z.infer<typeof PlanList>;

/**
 * What a vehicle reads on its plan topic (vehiclePlanTopic): its route of the latest plan that
 * gave it one, retained, so a vehicle that connects later still gets it.
 */
export const VehiclePlan = z.object({
  planId: z.string(),
  publishedAt: Instant,
  shift: Plan.shape.shift,
  route: PlanRoute,
});
export type VehiclePlan = z.infer<typeof VehiclePlan>;

export const StopStatus = z.enum(STOP_STATUSES);
export type StopStatus = z.infer<typeof StopStatus>;

export const StopProgress = z.object({
  sequence: z.int(),
  deviceId: DeviceId,
  status: StopStatus,
  eta: Instant,
  /** The first collection at the box within the shift; null while none came. */
  collectedAt: Instant.nullable(),
  /** Its weight over every compartment emptied. */
  collectedKg: z.number().nullable(),
  /** The vehicle the box's collection event names (may differ from the route's). */
  collectedBy: z.string().nullable(),
  /** Minutes after the ETA (negative: early); null while not collected. */
  minutesFromEta: z.number().nullable(),
});
export type StopProgress = z.infer<typeof StopProgress>;

const StatusCounts = z.object({ done: z.int(), late: z.int(), missed: z.int(), pending: z.int() });

export const RouteProgress = z.object({
  vehicleId: DeviceId,
  plate: z.string(),
  stops: z.array(StopProgress),
  counts: StatusCounts,
  /** Stops served (done + late) / stops; 1 for a route without stops. */
  completion: z.number(),
  collectedKg: z.number(),
});
export type RouteProgress = z.infer<typeof RouteProgress>;

export const UnplannedCollection = z.object({
  deviceId: DeviceId,
  collectedAt: Instant,
  collectedKg: z.number(),
  collectedBy: z.string(),
});
export type UnplannedCollection = z.infer<typeof UnplannedCollection>;

/** GET /api/v1/plans/:id/progress. */
export const PlanProgress = z.object({
  planId: z.string(),
  /** When the progress was worked out. */
  at: Instant,
  shift: Plan.shape.shift,
  /** Whether the shift has ended (no stop is pending then). */
  ended: z.boolean(),
  /** A stop collected more than this many minutes after its ETA is late. */
  lateAfterMinutes: z.number(),
  routes: z.array(RouteProgress),
  unplanned: z.array(UnplannedCollection),
  totals: StatusCounts.extend({ stops: z.int(), unplanned: z.int(), collectedKg: z.number(), completion: z.number() }),
});
export type PlanProgress = z.infer<typeof PlanProgress>;

/**
 * From a plan request to the planner's input, and from its output to the API's Plan (issue 13).
 * Pure: the live forecasts, the registry's boxes, vehicles and stations and the clock are passed in.
 * The one place where the registry's Vehicle (a flat depotId) becomes the planner's (depot {id, position}).
 */
import type { BoxForecast, CompartmentForecastOut, Device, NewPlan, Plan, TransferStation, Vehicle as RegistryVehicle } from '../../../shared/contracts/index.ts';
import type { ShiftPlan, ShiftPlanInput, Vehicle } from './plan.ts';
import type { CandidateBox } from './stops.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Without a shift calendar, one shift a day: a box skipped now is next visited at the same time tomorrow. */
const NEXT_SHIFT_AFTER_MS = 24 * HOUR_MS;

/** A request the registry or the calendar cannot satisfy; `field` names what to correct. */
export class PlanRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'PlanRequestError';
  }
}

export interface PlanSources {
  /** The registry's boxes, each with its live forecast (null: no compartments). */
  boxes: readonly { device: Device; forecast: BoxForecast | null }[];
  vehicles: readonly RegistryVehicle[];
  stations: readonly TransferStation[];
  utcOffsetMinutes: number;
  nowMs: number;
  /** When a box skipped by the shift starting at shiftStartMs can be visited next (the shift calendar); default a day later. */
  nextShiftStartMs?: (shift: { startMs: number; endMs: number }) => number;
}

/** A district wall-clock time on a district day, as epoch ms. */
export function districtInstant(date: string, time: string, utcOffsetMinutes: number): number {
  return Date.parse(`${date}T${time}:00Z`) - utcOffsetMinutes * MINUTE_MS;
}

export function shiftPlanInput(request: NewPlan, sources: PlanSources): ShiftPlanInput {
  const startMs = districtInstant(request.date, request.shift.start, sources.utcOffsetMinutes);
  const endMs = districtInstant(request.date, request.shift.end, sources.utcOffsetMinutes);
  if (Number.isNaN(startMs)) throw new PlanRequestError('date', `'${request.date}' is not a calendar day`);
  if (!(endMs > startMs)) throw new PlanRequestError('shift.end', `${request.shift.end} is not after shift.start ${request.shift.start}`);
  const serviceByMs = startMs + SERVICE_AT_SHIFT_FRACTION * (endMs - startMs);
  return {
    shift: { date: request.date, startMs, endMs },
    vehicles: plannerVehicles(request.vehicles, sources),
    boxes: sources.boxes.flatMap(({ device, forecast }) => (forecast === null ? [] : [candidateBox(device, forecast, sources.nowMs, serviceByMs)])),
    nextVisitAtMs: sources.nextShiftStartMs?.({ startMs, endMs }) ?? startMs + NEXT_SHIFT_AFTER_MS,
    serviceMinutes: request.serviceMinutes,
    skipBelow: request.skipBelow,
  };
}

function plannerVehicles(ids: readonly string[] | undefined, sources: PlanSources): Vehicle[] {
  const byId = new Map(sources.vehicles.map((v) => [v.id, v]));
  const stations = new Map(sources.stations.map((s) => [s.id, s]));
  const chosen = ids === undefined ? sources.vehicles : ids.map((id) => byId.get(id) ?? unknownVehicle(id));
  return [...new Set(chosen)].map((v) => {
    const station = stations.get(v.depotId);
    if (station === undefined) throw new PlanRequestError('vehicles', `vehicle '${v.id}' is based at '${v.depotId}', which is not a transfer station`);
    return { id: v.id, plate: v.plate, capacityKg: v.capacityKg, depot: { id: station.id, position: station.position } };
  });
}

function unknownVehicle(id: string): never {
  throw new PlanRequestError('vehicles', `no vehicle '${id}'`);
}

/**
 * When in the shift the kg a stop collects are estimated for: 0 its start, 1 its end. The loads
 * must not exceed the vehicles' capacity whichever stop comes last, and the morning shift takes
 * ~40 % of a day's deposits: estimated at the start, the collected kg overran the plans' by 4 %
 * and ~40 % of vehicle-shifts came back over capacity (`npm run evaluate -- planning`, docs/planning.md).
 */
export const SERVICE_AT_SHIFT_FRACTION = 1;

/**
 * The compartment's level at atMs: its last level plus the forecast's own pace to the next level
 * it has not reached (full, then overflow: the hour-of-week rates averaged over the way there),
 * else the current hour's rate; capped at a full compartment. The current hour's rate alone
 * misleads: at 05:00 it is the night's.
 */
export function levelAt(c: CompartmentForecastOut, nowMs: number, atMs: number): number {
  const hours = Math.max(0, (atMs - nowMs) / HOUR_MS);
  const paceTo = (level: number, at: string | null): number | null => {
    const reachMs = msOf(at);
    if (reachMs === null || c.level >= level || reachMs <= nowMs) return null;
    return (level - c.level) / ((reachMs - nowMs) / HOUR_MS);
  };
  const perHour = paceTo(c.fullLevel, c.fullAt) ?? paceTo(1, c.overflowAt) ?? c.fillRatePerHour;
  return Math.min(1, Math.max(0, c.level + perHour * hours));
}

/** The kg a stop collects (and so the vehicle's load): every compartment at the estimated service instant. */
function candidateBox(device: Device, forecast: BoxForecast, nowMs: number, serviceByMs: number): CandidateBox {
  const capacityOf = new Map(device.compartments.map((c) => [c.category, c.capacityKg]));
  return {
    boxId: device.id,
    position: forecast.position,
    compartments: forecast.compartments.map((c) => {
      const capacityKg = capacityOf.get(c.category) ?? 0;
      const levelAtService = levelAt(c, nowMs, serviceByMs);
      return {
        category: c.category,
        capacityKg,
        currentKg: c.level * capacityKg,
        fillingLevel: c.level,
        fullAtMs: msOf(c.fullAt),
        fullAtEarliestMs: msOf(c.fullAtEarliest),
        fullAtLatestMs: msOf(c.fullAtLatest),
        expectedKgAtService: levelAtService * capacityKg,
      };
    }),
  };
}

const msOf = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const isoOf = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface PlanIdentity {
  id: string;
  createdAtMs: number;
  createdBy: string;
}

function depotOf(station: TransferStation | undefined): { depot?: { name: string; position: { lat: number; lon: number } } } {
  return station === undefined ? {} : { depot: { name: station.name, position: { ...station.position } } };
}

/** The planner's output as the API states it: boxes by id with name and community, instants in ISO. */
export function planOf(
  plan: ShiftPlan,
  identity: PlanIdentity,
  boxes: ReadonlyMap<string, Device>,
  stations: ReadonlyMap<string, TransferStation> = new Map(),
): Plan {
  return {
    id: identity.id,
    createdAt: new Date(identity.createdAtMs).toISOString(),
    createdBy: identity.createdBy,
    shift: { date: plan.shift.date, startAt: new Date(plan.shift.startMs).toISOString(), endAt: new Date(plan.shift.endMs).toISOString() },
    routes: plan.routes.map((r) => ({
      vehicleId: r.vehicleId,
      plate: r.plate,
      depotId: r.depotId,
      ...depotOf(stations.get(r.depotId)),
      stops: r.stops.map((s) => ({
        sequence: s.sequence,
        deviceId: s.boxId,
        name: boxes.get(s.boxId)?.name ?? s.boxId,
        community: boxes.get(s.boxId)?.community ?? '',
        position: s.position,
        eta: new Date(s.etaMs).toISOString(),
        dueAt: isoOf(s.dueAtMs),
        expectedKg: round(s.kg, 1),
        kgByCategory: Object.fromEntries(Object.entries(s.kgByCategory).map(([k, kg]) => [k, round(kg, 1)])),
      })),
      km: round(r.km, 2),
      durationMinutes: round(r.durationMinutes, 1),
      loadKg: round(r.loadKg, 1),
      capacityKg: r.capacityKg,
    })),
    unassigned: plan.unassigned.map((u) => ({ deviceId: u.boxId, reason: u.reason, kg: round(u.kg, 1), dueAt: isoOf(u.dueAtMs) })),
    totals: { stops: plan.totals.stops, km: round(plan.totals.km, 2), kg: round(plan.totals.kg, 1), vehiclesUsed: plan.totals.vehiclesUsed },
  };
}

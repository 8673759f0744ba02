/** A route as the plan states it: stops in order with ETA and expected kg, km and duration. */
import { durationMinutes, routeKm, type Route, type RoutingLimits } from './routes.ts';
import type { LatLon } from './distance.ts';
import type { StopDemand, StopReason } from './stops.ts';

export interface PlannedStop {
  /** 1 for the first stop. */
  sequence: number;
  boxId: string;
  position: LatLon;
  reason: StopReason;
  /** Arrival at the box, epoch ms. */
  etaMs: number;
  /** Earliest instant a compartment may reach full (low bound of the forecast interval); null for top-ups. */
  dueAtMs: number | null;
  kg: number;
  kgByCategory: Record<string, number>;
  kmFromPrevious: number;
}

export interface PlannedRoute {
  vehicleId: string;
  plate: string;
  depotId: string;
  capacityKg: number;
  stops: PlannedStop[];
  km: number;
  /** Travel plus service, depot to depot. */
  durationMinutes: number;
  departAtMs: number;
  returnAtMs: number;
  loadKg: number;
  kgByCategory: Record<string, number>;
}

const MINUTE_MS = 60_000;

export function routeOutput(
  limits: RoutingLimits,
  route: Route,
  vehicle: { id: string; plate: string; capacityKg: number; depot: { id: string } },
  demands: readonly StopDemand[],
  depotCount: number,
  departAtMs: number,
): PlannedRoute {
  const m = limits.matrix;
  const stops: PlannedStop[] = [];
  const kgByCategory: Record<string, number> = {};
  let clock = departAtMs;
  let at = route.depot;
  for (const [k, node] of route.stops.entries()) {
    const d = demands[node - depotCount]!;
    clock += m.minutes(at, node) * MINUTE_MS;
    stops.push({
      sequence: k + 1,
      boxId: d.boxId,
      position: d.position,
      reason: d.reason,
      etaMs: Math.round(clock),
      dueAtMs: d.dueAtMs,
      kg: d.kg,
      kgByCategory: { ...d.kgByCategory },
      kmFromPrevious: m.km(at, node),
    });
    for (const [category, kg] of Object.entries(d.kgByCategory)) kgByCategory[category] = (kgByCategory[category] ?? 0) + kg;
    clock += limits.serviceMinutes * MINUTE_MS;
    at = node;
  }
  const minutes = durationMinutes(limits, route);
  return {
    vehicleId: vehicle.id,
    plate: vehicle.plate,
    depotId: vehicle.depot.id,
    capacityKg: vehicle.capacityKg,
    stops,
    km: routeKm(m, route),
    durationMinutes: minutes,
    departAtMs,
    returnAtMs: Math.round(departAtMs + minutes * MINUTE_MS),
    loadKg: route.loadKg,
    kgByCategory,
  };
}

export interface PlanTotals {
  stops: number;
  dueStops: number;
  topUpStops: number;
  /** Stops whose ETA is past their due instant (the forecast interval's low bound). */
  stopsAfterDue: number;
  km: number;
  kg: number;
}

export function planTotals(routes: readonly PlannedRoute[]): PlanTotals {
  const stops = routes.flatMap((r) => r.stops);
  return {
    stops: stops.length,
    dueStops: stops.filter((s) => s.reason === 'due').length,
    topUpStops: stops.filter((s) => s.reason === 'top_up').length,
    stopsAfterDue: stops.filter((s) => s.dueAtMs !== null && s.etaMs > s.dueAtMs).length,
    km: routes.reduce((km, r) => km + r.km, 0),
    kg: routes.reduce((kg, r) => kg + r.loadKg, 0),
  };
}

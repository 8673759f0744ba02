/**
 * The shift planner's pure core (issue 13): which boxes a shift visits and in what order each
 * vehicle serves them. Plain data in, plain data out, every instant passed in (epoch ms).
 *
 * The heuristic, in order:
 * 1. selectStops: due boxes must be visited, well-filled ones may be topped up, the rest wait;
 * 2. each due stop goes to its nearest depot that has vehicles; Clarke–Wright savings builds that
 *    depot's trips within vehicle kg and shift time; trips beyond the depot's vehicles, and stops
 *    no vehicle can take, are inserted where they add least km in any route (any depot), which
 *    may open an idle vehicle's route;
 * 3. 2-opt inside every route, or-opt of runs of 1–3 stops between routes, 2-opt again; stops
 *    left over are tried once more;
 * 4. top-ups are added where they cost at most maxTopUpDetourKm of detour and still fit;
 * 5. each route is driven the way round that reaches the earliest due boxes sooner (same km).
 * Due times are not time windows: a box due within the shift may be reached after it
 * (totals.stopsAfterDue counts them); the search minimises km.
 * Libraries checked (December 2026): no maintained VRP solver for Node: node_or_tools (mapbox,
 * native or-tools bindings) is archived and builds only for old Node versions; jkyberneees/vrp
 * calls itself educational ("evaluate before use"); highs and glpk.js solve LP/MIP, which would
 * need a VRP formulation far too slow for 600 stops in 2 s. OSRM/VROOM can replace the
 * DistanceModel port (and VROOM this whole search) where a road network is available.
 */
import { DistanceMatrix, haversineDistance, type DistanceModel, type LatLon } from './distance.ts';
import { planTotals, routeOutput, type PlanTotals, type PlannedRoute } from './plan-output.ts';
import { orOptBetweenRoutes, twoOpt } from './route-improve.ts';
import { orientForDueTimes } from './route-orient.ts';
import { savingsRoutes } from './route-savings.ts';
import { bestReplacement, cheapestInsertion, durationMinutes, EPSILON, insert, replace, newRoute, setStops, type Route, type RoutingLimits } from './routes.ts';
import { selectStops, type CandidateBox, type SkipReason, type StopDemand } from './stops.ts';

export interface Depot {
  /** A transfer station. */
  id: string;
  position: LatLon;
}

export interface Vehicle {
  id: string;
  plate: string;
  capacityKg: number;
  depot: Depot;
}

export interface ShiftWindow {
  /** District date of the shift, YYYY-MM-DD. */
  date: string;
  startMs: number;
  endMs: number;
}

export interface ShiftPlanInput {
  shift: ShiftWindow;
  vehicles: readonly Vehicle[];
  boxes: readonly CandidateBox[];
  /** When these boxes could next be visited if this shift skips them (e.g. the next shift's start). */
  nextVisitAtMs: number;
  serviceMinutes: number;
  skipBelow?: number;
  topUpFrom?: number;
  /** A top-up stop is added only if it lengthens its route by at most this. Default 0.5 km. */
  maxTopUpDetourKm?: number;
  distance?: DistanceModel;
}

export type UnassignedReason = 'capacity' | 'time';

export interface UnassignedStop {
  boxId: string;
  reason: UnassignedReason;
  kg: number;
  dueAtMs: number | null;
}

export interface ShiftPlan {
  shift: ShiftWindow;
  routes: PlannedRoute[];
  /** Due boxes no vehicle could take, and why. */
  unassigned: UnassignedStop[];
  skipped: { boxId: string; reason: SkipReason; fillingLevel: number }[];
  totals: PlanTotals & { vehiclesUsed: number };
}

export const DEFAULT_MAX_TOP_UP_DETOUR_KM = 0.5;

export function planShift(input: ShiftPlanInput): ShiftPlan {
  if (!(input.shift.endMs > input.shift.startMs)) throw new RangeError('the shift must end after it starts');
  if (!(input.serviceMinutes >= 0)) throw new RangeError('serviceMinutes must be zero or more');
  const selection = selectStops(input.boxes, {
    nextVisitAtMs: input.nextVisitAtMs,
    ...(input.skipBelow === undefined ? {} : { skipBelow: input.skipBelow }),
    ...(input.topUpFrom === undefined ? {} : { topUpFrom: input.topUpFrom }),
  });
  const depots = uniqueDepots(input.vehicles);
  const demands = [...selection.mustVisit, ...selection.optional];
  const nodeOf = (k: number) => depots.length + k;
  const matrix = new DistanceMatrix([...depots.map((d) => d.position), ...demands.map((d) => d.position)], input.distance ?? haversineDistance());
  const limits: RoutingLimits = {
    matrix,
    demandKg: [...depots.map(() => 0), ...demands.map((d) => d.kg)],
    serviceMinutes: input.serviceMinutes,
    shiftMinutes: (input.shift.endMs - input.shift.startMs) / 60_000,
  };
  const depotIndex = new Map(depots.map((d, i) => [d.id, i]));
  const routes = input.vehicles.map((v, i) => newRoute(i, depotIndex.get(v.depot.id)!, v.capacityKg));

  const must = selection.mustVisit.map((_, k) => nodeOf(k));
  const pending = buildSavingsRoutes(limits, routes, must, depots.length);
  const unassigned = insertOrReport(limits, routes, pending, demands, depots.length);
  improve(limits, routes);
  const stillUnassigned = insertOrReport(limits, routes, unassigned.map((u) => u.node), demands, depots.length);
  addTopUps(limits, routes, selection.optional.map((_, k) => nodeOf(selection.mustVisit.length + k)), input.maxTopUpDetourKm ?? DEFAULT_MAX_TOP_UP_DETOUR_KM);

  const dueOf = (node: number) => demands[node - depots.length]?.dueAtMs ?? null;
  for (const r of routes) orientForDueTimes(limits, r, input.shift.startMs, dueOf);
  const planned = routes.map((r) => routeOutput(limits, r, input.vehicles[r.vehicle]!, demands, depots.length, input.shift.startMs));
  const used = planned.filter((r) => r.stops.length > 0);
  return {
    shift: input.shift,
    routes: planned,
    unassigned: stillUnassigned
      .map((u) => {
        const d = demands[u.node - depots.length]!;
        return { boxId: d.boxId, reason: u.reason, kg: d.kg, dueAtMs: d.dueAtMs };
      })
      .sort((a, b) => (a.dueAtMs ?? Infinity) - (b.dueAtMs ?? Infinity) || (a.boxId < b.boxId ? -1 : 1)),
    skipped: selection.skipped,
    totals: { ...planTotals(used), vehiclesUsed: used.length },
  };
}

function uniqueDepots(vehicles: readonly Vehicle[]): Depot[] {
  const byId = new Map<string, Depot>();
  for (const v of vehicles) {
    const known = byId.get(v.depot.id);
    if (known === undefined) byId.set(v.depot.id, v.depot);
    else if (known.position.lat !== v.depot.position.lat || known.position.lon !== v.depot.position.lon) {
      throw new RangeError(`depot ${v.depot.id} is given at two positions`);
    }
  }
  return [...byId.values()];
}

/**
 * Savings routes per depot, handed to that depot's vehicles (largest trip to largest vehicle);
 * returns the stops of trips no vehicle there can take.
 */
function buildSavingsRoutes(limits: RoutingLimits, routes: Route[], stops: readonly number[], depotCount: number): number[] {
  const m = limits.matrix;
  const pending: number[] = [];
  const byDepot: number[][] = Array.from({ length: depotCount }, () => []);
  for (const s of stops) {
    let nearest = 0;
    for (let d = 1; d < depotCount; d++) if (m.km(d, s) < m.km(nearest, s) - EPSILON) nearest = d;
    byDepot[nearest]!.push(s);
  }
  for (let depot = 0; depot < depotCount; depot++) {
    const fleet = routes.filter((r) => r.depot === depot).sort((a, b) => b.capacityKg - a.capacityKg || a.vehicle - b.vehicle);
    const here = byDepot[depot]!;
    if (fleet.length === 0 || here.length === 0) {
      pending.push(...here);
      continue;
    }
    const load = (seq: number[]) => seq.reduce((kg, s) => kg + limits.demandKg[s]!, 0);
    const trips = savingsRoutes(limits, depot, here, fleet[0]!.capacityKg).sort((a, b) => load(b) - load(a) || a[0]! - b[0]!);
    trips.forEach((trip, k) => {
      const route = fleet[k];
      if (route === undefined || load(trip) > route.capacityKg + EPSILON) return pending.push(...trip);
      setStops(limits, route, trip);
      // a lone stop's out-and-back trip is never checked by the savings: it may not fit the shift
      if (durationMinutes(limits, route) > limits.shiftMinutes + EPSILON) {
        setStops(limits, route, []);
        pending.push(...trip);
      }
    });
  }
  return pending;
}

interface Leftover {
  node: number;
  reason: UnassignedReason;
}

/**
 * Each stop (earliest due first) where it adds least km in any route. A stop that fits nowhere
 * takes the place of a stop due later, if one can give way: when the fleet cannot serve every
 * due box, the latest due are the ones left, with the reason.
 */
function insertOrReport(limits: RoutingLimits, routes: Route[], stops: readonly number[], demands: readonly StopDemand[], depotCount: number): Leftover[] {
  const dueAt = (s: number) => demands[s - depotCount]!.dueAtMs ?? Infinity;
  const ordered = [...stops].sort((a, b) => dueAt(a) - dueAt(b) || a - b);
  const leftovers: Leftover[] = [];
  for (const stop of ordered) {
    const at = cheapestInsertion(limits, routes, stop);
    if (at !== null) {
      insert(limits, at, stop);
      continue;
    }
    const swap = bestReplacement(limits, routes, stop, (t) => (dueAt(t) > dueAt(stop) ? dueAt(t) : null));
    if (swap === null) {
      leftovers.push({ node: stop, reason: whyNot(limits, routes, stop) });
      continue;
    }
    replace(limits, swap, stop);
    leftovers.push({ node: swap.ejected, reason: whyNot(limits, routes, swap.ejected) });
  }
  return leftovers;
}

/** capacity: no vehicle has the kg left for the stop; time: some has, but not the minutes. */
function whyNot(limits: RoutingLimits, routes: readonly Route[], stop: number): UnassignedReason {
  const kg = limits.demandKg[stop]!;
  return routes.some((r) => r.loadKg + kg <= r.capacityKg + EPSILON) ? 'time' : 'capacity';
}

function improve(limits: RoutingLimits, routes: readonly Route[]): void {
  for (const r of routes) twoOpt(limits, r);
  orOptBetweenRoutes(limits, routes);
  for (const r of routes) twoOpt(limits, r);
}

/** Heaviest first (most kg taken off a later round), each only where it is nearly on the way. */
function addTopUps(limits: RoutingLimits, routes: readonly Route[], optional: readonly number[], maxDetourKm: number): void {
  const ordered = [...optional].sort((a, b) => limits.demandKg[b]! - limits.demandKg[a]! || a - b);
  const active = routes.filter((r) => r.stops.length > 0);
  let added = false;
  for (const stop of ordered) {
    const at = cheapestInsertion(limits, active, stop);
    if (at === null || at.addedKm > maxDetourKm + EPSILON) continue;
    insert(limits, at, stop);
    added = true;
  }
  if (added) for (const r of active) twoOpt(limits, r);
}

/**
 * A route as the search sees it: a vehicle leaves its depot (a transfer station), serves stops
 * in order and returns to unload. Stops and depots are node indices of one DistanceMatrix;
 * load and travel time are kept up to date so that a move's feasibility is checked in O(1).
 */
import type { DistanceMatrix } from './distance.ts';

export interface RoutingLimits {
  matrix: DistanceMatrix;
  /** kg collected at each node (0 for depots). */
  demandKg: readonly number[];
  serviceMinutes: number;
  /** Travel plus service must fit in the shift. */
  shiftMinutes: number;
}

export interface Route {
  /** Index into the plan's vehicles. */
  vehicle: number;
  depot: number;
  capacityKg: number;
  stops: number[];
  loadKg: number;
  /** Driving minutes depot → stops → depot. */
  travelMinutes: number;
}

export const EPSILON = 1e-9;

export function newRoute(vehicle: number, depot: number, capacityKg: number): Route {
  return { vehicle, depot, capacityKg, stops: [], loadKg: 0, travelMinutes: 0 };
}

/** The node before position i of the route (the depot before the first stop). */
export const nodeBefore = (r: Route, i: number): number => (i === 0 ? r.depot : r.stops[i - 1]!);
/** The node at position i, or the depot after the last stop. */
export const nodeAt = (r: Route, i: number): number => (i >= r.stops.length ? r.depot : r.stops[i]!);

export function sequenceKm(m: DistanceMatrix, depot: number, stops: readonly number[]): number {
  let km = 0;
  let at = depot;
  for (const s of stops) {
    km += m.km(at, s);
    at = s;
  }
  return stops.length === 0 ? 0 : km + m.km(at, depot);
}

export function sequenceMinutes(m: DistanceMatrix, depot: number, stops: readonly number[]): number {
  let minutes = 0;
  let at = depot;
  for (const s of stops) {
    minutes += m.minutes(at, s);
    at = s;
  }
  return stops.length === 0 ? 0 : minutes + m.minutes(at, depot);
}

export const routeKm = (m: DistanceMatrix, r: Route): number => sequenceKm(m, r.depot, r.stops);

export function durationMinutes(limits: RoutingLimits, r: Route): number {
  return r.travelMinutes + limits.serviceMinutes * r.stops.length;
}

/** Sets the stops and recomputes load and travel time. */
export function setStops(limits: RoutingLimits, r: Route, stops: number[]): void {
  r.stops = stops;
  r.loadKg = stops.reduce((kg, s) => kg + limits.demandKg[s]!, 0);
  r.travelMinutes = sequenceMinutes(limits.matrix, r.depot, stops);
}

export function fits(limits: RoutingLimits, r: Route, extraKg: number, extraTravelMinutes: number, extraStops: number): boolean {
  if (r.loadKg + extraKg > r.capacityKg + EPSILON) return false;
  const minutes = r.travelMinutes + extraTravelMinutes + limits.serviceMinutes * (r.stops.length + extraStops);
  return minutes <= limits.shiftMinutes + EPSILON;
}

export interface Insertion {
  route: Route;
  /** The stop goes before the current stop at this position. */
  position: number;
  addedKm: number;
}

/** The cheapest feasible place for a stop among the routes, by added km; null if none fits. */
export function cheapestInsertion(limits: RoutingLimits, routes: readonly Route[], stop: number): Insertion | null {
  const m = limits.matrix;
  let best: Insertion | null = null;
  for (const r of routes) {
    if (r.loadKg + limits.demandKg[stop]! > r.capacityKg + EPSILON) continue;
    for (let i = 0; i <= r.stops.length; i++) {
      const u = nodeBefore(r, i);
      const v = nodeAt(r, i);
      const addedKm = m.km(u, stop) + m.km(stop, v) - (r.stops.length === 0 ? 0 : m.km(u, v));
      if (best !== null && addedKm >= best.addedKm - EPSILON) continue;
      const addedMinutes = m.minutes(u, stop) + m.minutes(stop, v) - (r.stops.length === 0 ? 0 : m.minutes(u, v));
      if (!fits(limits, r, limits.demandKg[stop]!, addedMinutes, 1)) continue;
      best = { route: r, position: i, addedKm };
    }
  }
  return best;
}

export function insert(limits: RoutingLimits, at: Insertion, stop: number): void {
  const stops = [...at.route.stops];
  stops.splice(at.position, 0, stop);
  setStops(limits, at.route, stops);
}

export interface Replacement {
  route: Route;
  position: number;
  ejected: number;
}

/**
 * Where the stop could take another stop's place when no route has room for it: among the stops
 * `rank` allows to give way (a number; null: keeps its place), the highest ranked whose place
 * still fits load and shift time, then the one that adds least km.
 */
export function bestReplacement(
  limits: RoutingLimits,
  routes: readonly Route[],
  stop: number,
  rank: (node: number) => number | null,
): Replacement | null {
  const m = limits.matrix;
  let best: (Replacement & { rank: number; addedKm: number }) | null = null;
  for (const r of routes) {
    for (let i = 0; i < r.stops.length; i++) {
      const t = r.stops[i]!;
      const tRank = rank(t);
      if (tRank === null || (best !== null && tRank < best.rank)) continue;
      const extraKg = limits.demandKg[stop]! - limits.demandKg[t]!;
      const u = nodeBefore(r, i);
      const v = nodeAt(r, i + 1);
      const addedKm = m.km(u, stop) + m.km(stop, v) - m.km(u, t) - m.km(t, v);
      if (best !== null && tRank === best.rank && addedKm >= best.addedKm - EPSILON) continue;
      const addedMinutes = m.minutes(u, stop) + m.minutes(stop, v) - m.minutes(u, t) - m.minutes(t, v);
      if (!fits(limits, r, extraKg, addedMinutes, 0)) continue;
      best = { route: r, position: i, ejected: t, rank: tRank, addedKm };
    }
  }
  return best === null ? null : { route: best.route, position: best.position, ejected: best.ejected };
}

export function replace(limits: RoutingLimits, at: Replacement, stop: number): void {
  const stops = [...at.route.stops];
  stops[at.position] = stop;
  setStops(limits, at.route, stops);
}

/**
 * Which way round to drive a route. The search minimises km and knows nothing of when each box
 * becomes full; a closed tour costs the same both ways on a symmetric port, so the direction
 * is free to serve the earliest due boxes first. Reversed only if it adds no km (a road
 * network can be asymmetric) and it lowers the total time past the due instants.
 */
import { durationMinutes, EPSILON, routeKm, setStops, type Route, type RoutingLimits } from './routes.ts';

/** dueAt(node): epoch ms a stop's box may reach full, or null (a top-up). */
export function orientForDueTimes(limits: RoutingLimits, route: Route, departAtMs: number, dueAt: (node: number) => number | null): void {
  if (route.stops.length < 2) return;
  const forward = route.stops;
  const forwardKm = routeKm(limits.matrix, route);
  const forwardLate = minutesPastDue(limits, route.depot, forward, departAtMs, dueAt);
  if (forwardLate === 0) return;
  const reversed = [...forward].reverse();
  setStops(limits, route, reversed);
  const reversedKm = routeKm(limits.matrix, route);
  const keep =
    reversedKm <= forwardKm + EPSILON &&
    durationMinutes(limits, route) <= limits.shiftMinutes + EPSILON &&
    minutesPastDue(limits, route.depot, reversed, departAtMs, dueAt) < forwardLate;
  if (!keep) setStops(limits, route, forward);
}

export function minutesPastDue(
  limits: RoutingLimits,
  depot: number,
  stops: readonly number[],
  departAtMs: number,
  dueAt: (node: number) => number | null,
): number {
  let clock = departAtMs;
  let at = depot;
  let late = 0;
  for (const s of stops) {
    clock += limits.matrix.minutes(at, s) * 60_000;
    const due = dueAt(s);
    if (due !== null && clock > due) late += (clock - due) / 60_000;
    clock += limits.serviceMinutes * 60_000;
    at = s;
  }
  return late;
}

/**
 * Local search after construction, first improvement, until no move shortens the plan:
 * - 2-opt within a route (Croes 1958): reverse a stretch when that removes a crossing;
 * - or-opt between routes (Or 1976): move a run of 1–3 consecutive stops, either way round, to
 *   the place in another route where it adds least; a run of one is the classic relocate.
 * Moves are judged on km and kept only if load and shift time still fit. The distance port may
 * be asymmetric (a road network), so a reversed stretch's cost is recomputed, not assumed.
 */
import type { DistanceMatrix } from './distance.ts';
import { EPSILON, durationMinutes, fits, nodeAt, nodeBefore, setStops, type Route, type RoutingLimits } from './routes.ts';

const MAX_SEGMENT = 3;

/** 2-opt on one route until no reversal shortens it; returns the km saved. */
export function twoOpt(limits: RoutingLimits, route: Route, maxPasses = 50): number {
  const m = limits.matrix;
  let saved = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    const n = route.stops.length;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++) {
        const delta = reversalDelta(m, route, i, j);
        if (delta >= -EPSILON) continue;
        const before = route.stops;
        const stops = [...before.slice(0, i), ...before.slice(i, j + 1).reverse(), ...before.slice(j + 1)];
        const travelBefore = route.travelMinutes;
        setStops(limits, route, stops);
        if (durationMinutes(limits, route) > limits.shiftMinutes + EPSILON && route.travelMinutes > travelBefore) {
          setStops(limits, route, before);
          continue;
        }
        saved -= delta;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return saved;
}

/** km change of reversing stops i..j (positions), edges a→s_i and s_j→e replaced by a→s_j and s_i→e. */
function reversalDelta(m: DistanceMatrix, r: Route, i: number, j: number): number {
  const a = nodeBefore(r, i);
  const e = nodeAt(r, j + 1);
  const si = r.stops[i]!;
  const sj = r.stops[j]!;
  let inner = 0;
  for (let k = i; k < j; k++) inner += m.km(r.stops[k + 1]!, r.stops[k]!) - m.km(r.stops[k]!, r.stops[k + 1]!);
  return m.km(a, sj) + m.km(si, e) - m.km(a, si) - m.km(sj, e) + inner;
}

interface SegmentMove {
  to: Route;
  position: number;
  reversed: boolean;
  deltaKm: number;
}

/**
 * Or-opt between routes until no move shortens the plan (or maxPasses); returns the km saved.
 * Each pass applies, for each route in turn, the best move of any run out of it: the first
 * improving move found would often drag a whole run along where a single stop should go.
 */
export function orOptBetweenRoutes(limits: RoutingLimits, routes: readonly Route[], maxPasses = 30): number {
  let saved = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (const from of routes) {
      let best: { start: number; length: number; move: SegmentMove } | null = null;
      for (let start = 0; start < from.stops.length; start++) {
        for (let length = 1; length <= MAX_SEGMENT && start + length <= from.stops.length; length++) {
          const move = bestSegmentMove(limits, routes, from, start, length);
          if (move !== null && (best === null || move.deltaKm < best.move.deltaKm - EPSILON)) best = { start, length, move };
        }
      }
      if (best === null) continue;
      applyMove(limits, from, best.start, best.length, best.move);
      saved -= best.move.deltaKm;
      improved = true;
    }
    if (!improved) break;
  }
  return saved;
}

function bestSegmentMove(limits: RoutingLimits, routes: readonly Route[], from: Route, start: number, length: number): SegmentMove | null {
  const m = limits.matrix;
  const first = from.stops[start]!;
  const last = from.stops[start + length - 1]!;
  const prev = nodeBefore(from, start);
  const next = nodeAt(from, start + length);
  // Emptying the route needs no special case: prev and next are then both its depot, 0 km apart.
  const removedKm = m.km(prev, next) - m.km(prev, first) - m.km(last, next);
  let segmentKg = 0;
  for (let k = start; k < start + length; k++) segmentKg += limits.demandKg[from.stops[k]!]!;
  const inner = innerCost(m, from.stops, start, length);
  // Without the triangle inequality (a port's own quirks) the shortcut may be slower than the run.
  const removedMinutes = m.minutes(prev, next) - m.minutes(prev, first) - m.minutes(last, next) - inner.forwardMinutes;
  if (!fits(limits, from, -segmentKg, removedMinutes, -length)) return null;

  let best: SegmentMove | null = null;
  for (const to of routes) {
    if (to === from || to.stops.length === 0) continue;
    if (to.loadKg + segmentKg > to.capacityKg + EPSILON) continue;
    for (let p = 0; p <= to.stops.length; p++) {
      const u = nodeBefore(to, p);
      const v = nodeAt(to, p);
      for (const reversed of [false, true]) {
        const head = reversed ? last : first;
        const tail = reversed ? first : last;
        const innerKm = reversed ? inner.reversedKm - inner.forwardKm : 0;
        const deltaKm = removedKm + m.km(u, head) + m.km(tail, v) - m.km(u, v) + innerKm;
        if (deltaKm >= -EPSILON || (best !== null && deltaKm >= best.deltaKm)) continue;
        // the receiving route drives the run's inner legs too (the km above cancel against the removal)
        const innerMinutes = reversed ? inner.reversedMinutes : inner.forwardMinutes;
        const addedMinutes = m.minutes(u, head) + m.minutes(tail, v) - m.minutes(u, v) + innerMinutes;
        if (!fits(limits, to, segmentKg, addedMinutes, length)) continue;
        best = { to, position: p, reversed, deltaKm };
      }
    }
  }
  return best;
}

function innerCost(m: DistanceMatrix, stops: readonly number[], start: number, length: number) {
  const cost = { forwardKm: 0, reversedKm: 0, forwardMinutes: 0, reversedMinutes: 0 };
  for (let k = start; k < start + length - 1; k++) {
    const a = stops[k]!;
    const b = stops[k + 1]!;
    cost.forwardKm += m.km(a, b);
    cost.reversedKm += m.km(b, a);
    cost.forwardMinutes += m.minutes(a, b);
    cost.reversedMinutes += m.minutes(b, a);
  }
  return cost;
}

function applyMove(limits: RoutingLimits, from: Route, start: number, length: number, move: SegmentMove): void {
  const segment = from.stops.slice(start, start + length);
  if (move.reversed) segment.reverse();
  setStops(limits, from, [...from.stops.slice(0, start), ...from.stops.slice(start + length)]);
  const stops = [...move.to.stops];
  stops.splice(move.position, 0, ...segment);
  setStops(limits, move.to, stops);
}

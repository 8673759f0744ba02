/**
 * Clarke–Wright savings construction (Clarke & Wright 1964, the parallel version), for the stops
 * of one depot: every stop starts on its own out-and-back trip; trips are joined end to end in
 * order of the km a join saves, s(i,j) = d(depot,i) + d(depot,j) − d(i,j), whenever the joined
 * trip still fits the vehicle's kg and the shift. It gives routes within a few per cent of the
 * best known on classic instances in O(n² log n); the local search in route-improve.ts follows.
 */
import { EPSILON, sequenceMinutes, type RoutingLimits } from './routes.ts';

interface Saving {
  i: number;
  j: number;
  km: number;
}

interface Trip {
  stops: number[];
  loadKg: number;
}

/** Stop sequences for the depot's vehicles (as many as the savings leave; the caller fits them to vehicles). */
export function savingsRoutes(limits: RoutingLimits, depot: number, stops: readonly number[], capacityKg: number): number[][] {
  const m = limits.matrix;
  const trips: (Trip | null)[] = stops.map((s) => ({ stops: [s], loadKg: limits.demandKg[s]! }));
  const tripOf = new Map<number, number>(stops.map((s, k) => [s, k]));

  for (const { i, j } of savings(limits, depot, stops)) {
    const a = tripOf.get(i)!;
    const b = tripOf.get(j)!;
    if (a === b) continue;
    const joined = join(trips[a]!.stops, i, trips[b]!.stops, j);
    if (joined === null) continue;
    const loadKg = trips[a]!.loadKg + trips[b]!.loadKg;
    if (loadKg > capacityKg + EPSILON) continue;
    const minutes = sequenceMinutes(m, depot, joined) + limits.serviceMinutes * joined.length;
    if (minutes > limits.shiftMinutes + EPSILON) continue;
    trips[a] = { stops: joined, loadKg };
    for (const s of trips[b]!.stops) tripOf.set(s, a);
    trips[b] = null;
  }
  return trips.filter((t): t is Trip => t !== null).map((t) => t.stops);
}

/** Positive savings, largest first; ties by node index so the same input gives the same plan. */
function savings(limits: RoutingLimits, depot: number, stops: readonly number[]): Saving[] {
  const m = limits.matrix;
  const list: Saving[] = [];
  for (let x = 0; x < stops.length; x++) {
    const i = stops[x]!;
    for (let y = x + 1; y < stops.length; y++) {
      const j = stops[y]!;
      const km = m.km(depot, i) + m.km(depot, j) - m.km(i, j);
      if (km > EPSILON) list.push({ i, j, km });
    }
  }
  return list.sort((p, q) => q.km - p.km || p.i - q.i || p.j - q.j);
}

/** Joins two trips so that i and j become neighbours; null unless both are at an end of their trip. */
function join(a: readonly number[], i: number, b: readonly number[], j: number): number[] | null {
  const iLast = a[a.length - 1] === i;
  const iFirst = a[0] === i;
  const jFirst = b[0] === j;
  const jLast = b[b.length - 1] === j;
  if (iLast && jFirst) return [...a, ...b];
  if (iFirst && jLast) return [...b, ...a];
  if (iLast && jLast) return [...a, ...[...b].reverse()];
  if (iFirst && jFirst) return [...[...a].reverse(), ...b];
  return null;
}

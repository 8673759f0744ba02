/**
 * Trips: a vehicle's collections matched to the weigh-in that closed them at a transfer station.
 *
 * Per vehicle (by plate), collections and weigh-ins are walked in time order, as the simulator
 * and the stations work: a trip is the collections between two weigh-ins. Collections gather into
 * the open trip; a weigh-in within WEIGH_IN_DEADLINE_MS of the trip's last collection closes it.
 * A trip is closed without a weigh-in (a missing weigh-in) when the vehicle's next collection or
 * weigh-in comes past the deadline, or now is. When a weigh-in disagrees with the collections it
 * closes but agrees with the latest of them after a pause (the next round), the earlier ones are
 * a trip never weighed in (bestSplit): one lost ticket is one finding and does not make the next
 * trip look light. Stops of a sparse route can be hours apart, so a pause alone splits nothing.
 * A weigh-in whose plate no vehicle carries (registry or collections) is kept and flagged as an
 * unknown plate.
 */
import type { TripStatus } from '../../../shared/contracts/index.ts';
import { normalisePlate, type LedgerCollection, type LedgerTicket } from './inputs.ts';
import { SPLIT_GAP_MS, toleranceKg, TRIP_TOLERANCE, WEIGH_IN_DEADLINE_MS, withinTolerance } from './tolerance.ts';

export interface Trip {
  /** As the weigh-in ticket spells it, else the registry's plate, else the collections' vehicle id. */
  plate: string;
  collections: LedgerCollection[];
  weighIn: LedgerTicket | null;
  collectedKg: number;
  /** collected − weighed in; null without a weigh-in. */
  lossKg: number | null;
  toleranceKg: number;
  status: TripStatus;
}

/** A weigh-in of a collection trip: a load arriving at a transfer station (shipments carry a transfer note to the sorting centre). */
export const isTripWeighIn = (t: LedgerTicket): boolean =>
  t.direction === 'in' && (t.siteKind === 'transfer_station' || (t.siteKind === null && t.reference === undefined));

export const collectionKg = (c: Pick<LedgerCollection, 'kgByCategory'>): number =>
  Object.values(c.kgByCategory).reduce<number>((sum, kg) => sum + (kg ?? 0), 0);

type Step = { atMs: number; collection: LedgerCollection } | { atMs: number; weighIn: LedgerTicket };

export function matchTrips(
  collections: readonly LedgerCollection[],
  tickets: readonly LedgerTicket[],
  vehicles: readonly { id: string; plate: string }[],
  nowMs: number,
): Trip[] {
  const plateOf = new Map(vehicles.map((v) => [v.id, v.plate]));
  const byPlate = new Map<string, { plate: string; steps: Step[] }>();
  const timeline = (plate: string) => {
    const key = normalisePlate(plate);
    let line = byPlate.get(key);
    if (!line) byPlate.set(key, (line = { plate, steps: [] }));
    return line;
  };
  for (const c of collections) timeline(plateOf.get(c.vehicleId) ?? c.vehicleId).steps.push({ atMs: c.atMs, collection: c });
  const known = new Set(byPlate.keys());
  for (const v of vehicles) known.add(normalisePlate(v.plate));
  for (const t of tickets.filter(isTripWeighIn)) timeline(t.plate).steps.push({ atMs: t.atMs, weighIn: t });

  const trips: Trip[] = [];
  for (const [key, line] of byPlate) {
    // A collection and its weigh-in at the same instant: the collection first.
    line.steps.sort((a, b) => a.atMs - b.atMs || ('collection' in a ? -1 : 1) - ('collection' in b ? -1 : 1));
    let open: LedgerCollection[] = [];
    const lastAt = () => open[open.length - 1]!.atMs;
    const unweighed = () => {
      if (open.length > 0) trips.push(trip(line.plate, open, null, 'missing_weigh_in'));
      open = [];
    };
    for (const step of line.steps) {
      if ('collection' in step) {
        if (open.length > 0 && step.atMs - lastAt() > WEIGH_IN_DEADLINE_MS) unweighed();
        open.push(step.collection);
        continue;
      }
      if (open.length > 0 && step.atMs - lastAt() > WEIGH_IN_DEADLINE_MS) unweighed();
      const unknown = known.has(key) ? undefined : 'unknown_plate';
      const whole = trip(step.weighIn.plate, open, step.weighIn, unknown);
      const split = whole.status === 'mismatch' ? bestSplit(line.plate, open, step.weighIn) : null;
      trips.push(...(split ?? [whole]));
      open = [];
    }
    if (open.length > 0) trips.push(trip(line.plate, open, null, nowMs - lastAt() > WEIGH_IN_DEADLINE_MS ? 'missing_weigh_in' : 'open'));
  }
  return trips.sort((a, b) => tripAtMs(a) - tripAtMs(b) || a.plate.localeCompare(b.plate));
}

/**
 * The collections a weigh-in closes do not agree with it: if the latest of them, after a pause
 * of more than SPLIT_GAP_MS, agree, the earlier ones were a trip of their own that was never
 * weighed in (a lost ticket), not part of a light load. The split that agrees best wins.
 */
function bestSplit(plate: string, open: readonly LedgerCollection[], weighIn: LedgerTicket): Trip[] | null {
  let best: Trip[] | null = null;
  for (let i = 1; i < open.length; i++) {
    if (open[i]!.atMs - open[i - 1]!.atMs <= SPLIT_GAP_MS) continue;
    const closed = trip(weighIn.plate, open.slice(i), weighIn);
    if (closed.status !== 'within') continue;
    if (best === null || Math.abs(closed.lossKg!) < Math.abs(best[1]!.lossKg!)) best = [trip(plate, open.slice(0, i), null, 'missing_weigh_in'), closed];
  }
  return best;
}

/** When a trip ended: its weigh-in, else its last collection. */
export function tripAtMs(trip: Trip): number {
  return trip.weighIn?.atMs ?? trip.collections[trip.collections.length - 1]?.atMs ?? 0;
}

function trip(plate: string, collections: LedgerCollection[], weighIn: LedgerTicket | null, status?: TripStatus): Trip {
  const collectedKg = collections.reduce((sum, c) => sum + collectionKg(c), 0);
  const tolerance = toleranceKg(collectedKg, TRIP_TOLERANCE);
  const lossKg = weighIn === null ? null : collectedKg - weighIn.netKg;
  return {
    plate,
    collections,
    weighIn,
    collectedKg,
    lossKg,
    toleranceKg: tolerance,
    status: status ?? (lossKg !== null && withinTolerance(lossKg, tolerance) ? 'within' : 'mismatch'),
  };
}

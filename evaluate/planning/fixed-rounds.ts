/**
 * The district's fixed rounds as the simulator drives them (simulators/core/collection.ts:
 * the same routes twice a day, boxes in round order), measured with the planner's distance
 * port so both policies' km come from one definition. A round starts and ends at a transfer
 * station: the one that makes its closed tour shortest (the kindest choice for today's rounds).
 */
import type { Device, TransferStation } from '../../shared/contracts/index.ts';
import type { DistanceModel, LatLon } from '../../services/planning/core/distance.ts';
import { planRoutes } from '../../simulators/core/collection.ts';

export interface FixedRound {
  collectorId: string;
  depotId: string;
  /** Boxes in the order the round reaches them. */
  boxIds: string[];
  /** Depot, every box in order, back to the depot. */
  km: number;
  /** Driving minutes of that tour (service at the boxes not included). */
  driveMinutes: number;
  /** The same boxes from the same depot in the best order 2-opt finds: how much of a saving is only the order. */
  reorderedKm: number;
}

/** km and driving minutes of depot → points in order → depot. */
export function tourOf(depot: LatLon, points: readonly LatLon[], distance: DistanceModel): { km: number; minutes: number } {
  let km = 0;
  let minutes = 0;
  let at = depot;
  for (const p of [...points, depot]) {
    km += distance.km(at, p);
    minutes += distance.minutes(at, p);
    at = p;
  }
  return { km, minutes };
}

export function fixedRounds(
  boxes: readonly Device[],
  seed: string,
  boxesPerRoute: number,
  stations: readonly TransferStation[],
  distance: DistanceModel,
): FixedRound[] {
  if (stations.length === 0) throw new RangeError('fixed rounds need at least one transfer station');
  const stops = planRoutes(boxes, seed, boxesPerRoute);
  const byRound = new Map<string, { box: Device; position: number }[]>();
  for (const box of boxes) {
    const stop = stops.get(box.id);
    if (stop === undefined) continue;
    const members = byRound.get(stop.collectorId) ?? [];
    members.push({ box, position: stop.position });
    byRound.set(stop.collectorId, members);
  }
  return [...byRound.entries()].map(([collectorId, members]) => {
    const ordered = members.sort((a, b) => a.position - b.position).map((m) => m.box);
    const points = ordered.map((b) => ({ lat: b.lat, lon: b.lon }));
    let best: FixedRound | undefined;
    for (const s of stations) {
      const tour = tourOf(s.position, points, distance);
      if (best === undefined || tour.km < best.km) {
        best = { collectorId, depotId: s.id, boxIds: ordered.map((b) => b.id), km: tour.km, driveMinutes: tour.minutes, reorderedKm: 0 };
      }
    }
    best!.reorderedKm = twoOptKm(stations.find((s) => s.id === best!.depotId)!.position, points, distance);
    return best!;
  });
}

/** km of depot → points → depot after 2-opt from the given order (reverse a stretch while it shortens the tour). */
export function twoOptKm(depot: LatLon, points: readonly LatLon[], distance: DistanceModel): number {
  const tour = [depot, ...points, depot];
  const d = (i: number, j: number) => distance.km(tour[i]!, tour[j]!);
  for (let improved = true; improved; ) {
    improved = false;
    for (let i = 1; i < tour.length - 2; i++) {
      for (let j = i + 1; j < tour.length - 1; j++) {
        if (d(i - 1, j) + d(i, j + 1) < d(i - 1, i) + d(j, j + 1) - 1e-9) {
          tour.splice(i, j - i + 1, ...tour.slice(i, j + 1).reverse());
          improved = true;
        }
      }
    }
  }
  return tourOf(depot, tour.slice(1, -1), distance).km;
}

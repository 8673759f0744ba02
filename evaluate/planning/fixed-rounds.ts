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
        best = { collectorId, depotId: s.id, boxIds: ordered.map((b) => b.id), km: tour.km, driveMinutes: tour.minutes };
      }
    }
    return best!;
  });
}

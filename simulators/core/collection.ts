/**
 * Collection rounds: collectors with a vehicle each work a route of neighbouring boxes twice a
 * day (08:00–11:00 and 14:00–17:00 local), reaching each box at about the same time every round.
 */
import { SUBDISTRICTS, type Device } from '../../shared/contracts/index.ts';
import { forkRandom, intBetween, normal, type Random } from '../../shared/random.ts';
import { HOUR_MS, localDay, localDayStart, DAY_MS } from '../../shared/units.ts';

export interface RouteStop {
  collectorId: string;
  vehicleId: string;
  /** Where in the round the box comes, 0 (first) .. 1 (last). */
  position: number;
}

export const ROUND_WINDOWS: readonly (readonly [number, number])[] = [
  [8, 11],
  [14, 17],
];

/** Plate letters Chinese plates use (no I or O). */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Changzhou plates start 苏D. */
export function plate(r: Random): string {
  const letter = PLATE_LETTERS[intBetween(r, 0, PLATE_LETTERS.length - 1)];
  return `苏D·${letter}${String(intBetween(r, 0, 9999)).padStart(4, '0')}`;
}

/** Splits boxes into routes of about boxesPerRoute, subdistrict by subdistrict, community by community. */
export function planRoutes(boxes: readonly Device[], seed: string, boxesPerRoute: number): Map<string, RouteStop> {
  const r = forkRandom(seed, 'collection-routes');
  const order = (d: Device): number => SUBDISTRICTS.indexOf(d.subdistrict);
  const sorted = [...boxes].sort(
    (a, b) => order(a) - order(b) || a.community.localeCompare(b.community) || a.id.localeCompare(b.id),
  );
  const stops = new Map<string, RouteStop>();
  let routeNumber = 0;
  for (const subdistrict of SUBDISTRICTS) {
    const here = sorted.filter((d) => d.subdistrict === subdistrict);
    const routes = Math.max(1, Math.round(here.length / boxesPerRoute));
    for (let k = 0; k < routes && here.length > 0; k++) {
      const members = here.slice(Math.floor((k * here.length) / routes), Math.floor(((k + 1) * here.length) / routes));
      routeNumber++;
      const collectorId = `collector-${String(routeNumber).padStart(2, '0')}`;
      const vehicleId = plate(r);
      members.forEach((box, i) => stops.set(box.id, { collectorId, vehicleId, position: (i + 0.5) / members.length }));
    }
  }
  return stops;
}

/** The planned (unjittered) instant of the stop's next visit strictly after afterMs. */
export function nextPlannedVisit(stop: RouteStop, afterMs: number, utcOffsetMinutes: number): number {
  const today = localDayStart(localDay(afterMs, utcOffsetMinutes), utcOffsetMinutes);
  for (let day = today; day <= today + 2 * DAY_MS; day += DAY_MS) {
    for (const [from, to] of ROUND_WINDOWS) {
      const planned = Math.round(day + (from + (to - from) * stop.position) * HOUR_MS);
      if (planned > afterMs) return planned;
    }
  }
  throw new Error('no collection window within two days'); // unreachable with two windows a day
}

/** Traffic and earlier stops move a visit by a few minutes either way. */
export const visitJitterMs = (r: Random): number => Math.round(normal(r, 0, 6 * 60_000));

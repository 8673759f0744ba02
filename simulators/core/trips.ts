/**
 * Collection trips (issue 14): what a vehicle empties out of the boxes rides with it until it
 * unloads at its transfer station, where the load is weighed in. A trip is a vehicle's
 * collections between two weigh-ins, which is how the ledger pairs them (by plate, the weigh-in
 * after the collections).
 *
 * When a trip ends:
 * - fixed rounds: at the end of the round's window (11:00, 17:00) plus half an hour for the
 *   stragglers (a visit runs a few minutes late now and then), then the drive to the station;
 * - plans: an hour after the vehicle's last stop (no further stop came: the route is done),
 *   then the drive to the station. The plans' routes end at the depot anyway.
 * A collection in the meantime extends the trip.
 */
import type { CollectionEvent, WasteCategory } from '../../shared/contracts/index.ts';
import { forkRandom, uniform, type Random } from '../../shared/random.ts';
import { HOUR_MS, localDay, localDayStart, localHourOfDay, toLocalIso } from '../../shared/units.ts';
import { type ChainStats, recordAnomaly, tripFate } from './anomalies.ts';
import { ROUND_WINDOWS } from './collection.ts';
import type { SimContext } from './context.ts';
import type { Weighbridge } from './weighbridge.ts';

/** After a fixed round's window closes: the last visits run late by up to ~20 min (3 sd of the jitter). */
export const ROUND_STRAGGLERS_MS = 30 * 60_000;
/** Under plans: no stop for this long means the route is done. */
export const ROUTE_DONE_AFTER_MS = HOUR_MS;

/**
 * Light loads are injected on trips of at least this much: 8 % of it (the least a light load
 * misses) is 80 kg, clear of the ledger's trip tolerance (max(2 %, 50 kg)) plus the noise.
 */
export const LIGHT_MIN_LOAD_KG = 1_000;

/** A collection truck's empty weight: an 8 t compactor body on a two-axle chassis. */
export const TRUCK_TARE_KG = [7_200, 9_800] as const;

export type Load = Map<WasteCategory, number>;

export interface TripVehicle {
  plate: string;
  /** The transfer station bridge it unloads at; null when there is none to go to. */
  bridge: Weighbridge | null;
  /** Driving time from its route (or depot) to that station. */
  driveMs: number;
}

export interface TripsOptions {
  vehicle(vehicleId: string): TripVehicle;
  /** The load that really reached the station (after any light-load anomaly), by category. */
  unloaded(bridge: Weighbridge, load: Load, atMs: number): void;
}

interface Trip {
  load: Load;
  /** Bumped by every collection: a scheduled close that no longer matches is stale. */
  generation: number;
}

export interface Trips {
  onCollection(event: Pick<CollectionEvent, 'vehicleId' | 'compartments'>, atMs: number): void;
}

const sum = (load: Load): number => [...load.values()].reduce((s, kg) => s + kg, 0);

export function startTrips(ctx: SimContext, stats: ChainStats, options: TripsOptions): Trips {
  const { scheduler, utcOffsetMinutes: offset } = ctx;
  const trips = new Map<string, Trip>();
  const fates = new Map<string, Random>();
  const tares = new Map<string, number>();

  const tareOf = (plate: string): number => {
    let tare = tares.get(plate);
    if (tare === undefined) {
      tare = Math.round(uniform(forkRandom(ctx.seed, `vehicle/${plate}/tare`), ...TRUCK_TARE_KG) / 10) * 10;
      tares.set(plate, tare);
    }
    return tare;
  };
  const fateStream = (vehicleId: string): Random => {
    let r = fates.get(vehicleId);
    if (r === undefined) fates.set(vehicleId, (r = forkRandom(ctx.seed, `vehicle/${vehicleId}/trips`)));
    return r;
  };

  /** When the trip that just collected at atMs leaves for the station. */
  const tripEndsAt = (atMs: number): number => {
    if (ctx.collectionPolicy() === 'plan') return atMs + ROUTE_DONE_AFTER_MS;
    // The round this visit belongs to: the first window not yet over (a visit runs a few minutes early or late).
    const hour = localHourOfDay(atMs, offset);
    const window = ROUND_WINDOWS.find(([, to]) => hour < to + ROUND_STRAGGLERS_MS / HOUR_MS);
    const ends = window === undefined ? atMs : localDayStart(localDay(atMs, offset), offset) + window[1] * HOUR_MS + ROUND_STRAGGLERS_MS;
    return Math.max(ends, atMs + ROUND_STRAGGLERS_MS / 2);
  };

  const weighIn = (vehicleId: string, trip: Trip, t: number): void => {
    trips.delete(vehicleId);
    const collectedKg = sum(trip.load);
    if (!(collectedKg > 0)) return;
    const vehicle = options.vehicle(vehicleId);
    stats.trips++;
    stats.tripCollectedKg += collectedKg;
    const fate = tripFate(fateStream(vehicleId), ctx);
    const { bridge } = vehicle;
    if (bridge === null) {
      stats.unweighedTrips++;
      return;
    }
    const where = { at: toLocalIso(t, offset), atMs: t, siteId: bridge.site.id, scaleId: bridge.device.id, plate: vehicle.plate, collectedKg };
    if (fate.kind === 'missing') {
      recordAnomaly(stats, { kind: 'missing', ...where });
      return;
    }
    // A light load is only injected where the ledger can tell it from the bridge's noise.
    const light = fate.kind === 'light' && collectedKg >= LIGHT_MIN_LOAD_KG;
    const arrived = light ? 1 - fate.missingShare : 1;
    if (light) recordAnomaly(stats, { kind: 'light', ...where, missingShare: fate.missingShare });
    const load: Load = new Map([...trip.load].map(([category, kg]) => [category, kg * arrived]));
    bridge.weigh({ plate: vehicle.plate, tareKg: tareOf(vehicle.plate), loadKg: collectedKg * arrived, direction: 'in' }, t);
    stats.weighIns++;
    options.unloaded(bridge, load, t);
  };

  return {
    onCollection(event, atMs) {
      const trip = trips.get(event.vehicleId) ?? { load: new Map(), generation: 0 };
      trips.set(event.vehicleId, trip);
      for (const c of event.compartments) trip.load.set(c.category, (trip.load.get(c.category) ?? 0) + c.weightKg);
      const generation = ++trip.generation;
      const arrivesAt = tripEndsAt(atMs) + options.vehicle(event.vehicleId).driveMs;
      scheduler.at(arrivesAt, (t) => {
        if (trips.get(event.vehicleId) === trip && trip.generation === generation) weighIn(event.vehicleId, trip, t);
      });
    },
  };
}

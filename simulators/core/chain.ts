/**
 * The chain after the box (issue 14, 回收点—中转站—分拣中心): vehicles' trips weighed in at
 * their transfer station (trips.ts), shipments to the sorting centre weighed out and in, and the
 * centre's daily sorting report (shipments.ts), with anomalies injected (anomalies.ts). It
 * follows the boxes' collection events as they happen (whether or not the box's connection is
 * up: the load is in the truck either way) and publishes from the scale devices of the fleet.
 *
 * Which station a vehicle unloads at: a registry vehicle (plans) at its depot; a fixed round's
 * vehicle at the station nearest its route's boxes. Either way the nearest station that has a
 * scale, and the drive there at the planner's urban speed.
 */
import type { CollectionEvent, Device, Site, Vehicle } from '../../shared/contracts/index.ts';
import { haversineDistance, type LatLon } from '../../services/planning/core/distance.ts';
import { type ChainStats, emptyChainStats, startDrifts } from './anomalies.ts';
import type { SimContext } from './context.ts';
import { startShipments } from './shipments.ts';
import { startTrips, type TripVehicle } from './trips.ts';
import { startWeighbridge, type Weighbridge } from './weighbridge.ts';

/** Queueing at the bridge and manoeuvring, on top of the drive. */
const AT_THE_BRIDGE_MS = 10 * 60_000;

export interface ChainOptions {
  sites: readonly Site[];
  /** Scale devices; each weighs at its siteId (the first one of a site is used). */
  scales: readonly Device[];
  /** Registry vehicles: the collection events under plans name them by id. */
  vehicles: readonly Vehicle[];
  /** Fixed rounds: the centre of each route's boxes, by the route's vehicle (a plate). */
  routeCentres: ReadonlyMap<string, LatLon>;
}

export interface Chain {
  /** A box was emptied into vehicle event.vehicleId at atMs; the box stands at `where`. */
  onCollection(event: Pick<CollectionEvent, 'vehicleId' | 'compartments'>, where: LatLon, atMs: number): void;
  readonly stats: Readonly<ChainStats>;
}

/** The chain, or null when the fleet has no scale at a known site (nothing to weigh with). */
export function startChain(ctx: SimContext, options: ChainOptions): Chain | null {
  const sites = new Map(options.sites.map((s) => [s.id, s]));
  const bridges = new Map<string, Weighbridge>();
  for (const scale of options.scales) {
    const site = scale.siteId === undefined ? undefined : sites.get(scale.siteId);
    if (site !== undefined && !bridges.has(site.id)) bridges.set(site.id, startWeighbridge(ctx, scale, site));
  }
  if (bridges.size === 0) return null;
  const stats = emptyChainStats();
  const stations = [...bridges.values()].filter((b) => b.site.kind === 'transfer_station');
  const centre = [...bridges.values()].find((b) => b.site.kind === 'sorting_centre') ?? null;
  const distance = haversineDistance();
  const driveMs = (from: LatLon, to: LatLon): number => Math.round(distance.minutes(from, to) * 60_000) + AT_THE_BRIDGE_MS;

  for (const station of stations) startDrifts(ctx, station, stats);
  const shipments = startShipments(ctx, stats, {
    stations,
    centre,
    driveMs: (from, to) => driveMs(from.site.position, to.site.position),
  });

  const registry = new Map(options.vehicles.map((v) => [v.id, v]));
  const vehicles = new Map<string, TripVehicle>();
  /** Resolved once per vehicle, from its depot, its route or (neither known) its first box. */
  const resolve = (vehicleId: string, where: LatLon): TripVehicle => {
    const known = registry.get(vehicleId);
    const home = (known && sites.get(known.depotId)?.position) ?? options.routeCentres.get(vehicleId) ?? where;
    let bridge: Weighbridge | null = null;
    for (const s of stations) if (bridge === null || distance.km(home, s.site.position) < distance.km(home, bridge.site.position)) bridge = s;
    const vehicle = { plate: known?.plate ?? vehicleId, bridge, driveMs: bridge === null ? 0 : driveMs(home, bridge.site.position) };
    vehicles.set(vehicleId, vehicle);
    return vehicle;
  };

  const trips = startTrips(ctx, stats, {
    vehicle: (vehicleId) => vehicles.get(vehicleId)!,
    unloaded: (bridge, load, atMs) => shipments.unloaded(bridge, load, atMs),
  });

  return {
    onCollection(event, where, atMs) {
      if (!vehicles.has(event.vehicleId)) resolve(event.vehicleId, where);
      trips.onCollection(event, atMs);
    },
    stats,
  };
}

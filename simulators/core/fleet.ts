/**
 * The simulated district fleet: every box and camera model on one scheduler, advanced by the
 * runner to the current simulated instant. Pure: time comes in, actions (messages to publish,
 * connections to cut or restore) come out, the same for the same seed and options.
 */
import type { ChannelPayload, CollectionEvent, Device, DeviceChannel, DeviceMessage, Site, Vehicle } from '../../shared/contracts/index.ts';
import { type ChainStats, emptyChainStats } from './anomalies.ts';
import { startBox } from './box.ts';
import { residentPool } from './deposits.ts';
import { startCamera } from './camera.ts';
import { type Chain, startChain } from './chain.ts';
import { type RouteStop, planRoutes } from './collection.ts';
import { type CollectedBy, type CollectionPolicy, type CoreStats, DEFAULT_TUNING, type PeriodicReport, type SimAction, type SimContext, type SimulationTuning, emptyStats } from './context.ts';
import { chooseHotspots } from './detections.ts';
import { Scheduler } from './scheduler.ts';

export interface FleetSimulationOptions {
  seed: string;
  /** Simulated instant the fleet starts at (epoch ms). */
  startMs: number;
  devices: readonly Device[];
  /** SHA-256 hex of a text: node:crypto in the adapter, so the core needs no I/O module. */
  hashResident: (residentId: string) => string;
  utcOffsetMinutes?: number;
  /** Initial report throttle in simulated ms (0: none); change with setMinReportInterval. */
  minReportIntervalMs?: number;
  tuning?: Partial<Omit<SimulationTuning, 'faults' | 'anomalies'>> & {
    faults?: Partial<SimulationTuning['faults']>;
    anomalies?: Partial<SimulationTuning['anomalies']>;
  };
  /** Default 'fixed'; change with setCollectionPolicy. */
  collectionPolicy?: CollectionPolicy;
  /**
   * The transfer stations and sorting centres (FleetCredentialsFile.sites): with the fleet's
   * scale devices, the chain after the box is simulated (chain.ts). Without, no scale publishes.
   */
  sites?: readonly Site[];
  /** Registry vehicles (FleetCredentialsFile.vehicles): plates and depots of the vehicles plans send. */
  vehicles?: readonly Vehicle[];
}

export interface FleetSimulation {
  /** Runs the fleet up to simMs and returns what happened, in time order. */
  advanceTo(simMs: number): SimAction[];
  setMinReportInterval(ms: number): void;
  /**
   * Every device reports at the next advanceTo, whatever the throttle (devices whose connection
   * is down excepted): when the live fleet takes over from a history written at one report an
   * hour, operators see every fill level at once.
   */
  reportNow(): void;
  /** From now on, fixed rounds or planned stops only (see CollectionPolicy). */
  setCollectionPolicy(policy: CollectionPolicy): void;
  readonly collectionPolicy: CollectionPolicy;
  /**
   * A vehicle serves a planned stop at atMs (not before the simulation's now): every compartment
   * holding anything is emptied and the box reports the collection naming `by`. False for a box
   * the fleet does not simulate. Works under either policy.
   */
  collect(boxId: string, atMs: number, by: CollectedBy): boolean;
  /** Devices whose connection is down right now; they come back by a 'comeBack' action. */
  readonly darkDeviceIds: readonly string[];
  readonly nowMs: number;
  readonly stats: Readonly<CoreStats>;
  /** The chain after the box: trips, shipments, sorting, and the anomalies injected (what, where). */
  readonly chain: Readonly<ChainStats>;
  readonly hotspotCameraIds: readonly string[];
  /** Boxes without compartments cannot be simulated (BoxTelemetry needs at least one). */
  readonly skippedDeviceIds: readonly string[];
}

/** Periodic readings are not kept while a device is offline; events are, as a real box buffers them. */
const STALE_WHEN_OFFLINE: ReadonlySet<DeviceChannel> = new Set(['telemetry', 'heartbeat']);

export function createFleetSimulation(options: FleetSimulationOptions): FleetSimulation {
  const tuning: SimulationTuning = {
    ...DEFAULT_TUNING,
    ...options.tuning,
    faults: { ...DEFAULT_TUNING.faults, ...options.tuning?.faults },
    anomalies: { ...DEFAULT_TUNING.anomalies, ...options.tuning?.anomalies },
  };
  const scheduler = new Scheduler(options.startMs);
  const stats = emptyStats();
  let minReportIntervalMs = options.minReportIntervalMs ?? 0;
  let out: SimAction[] = [];
  /** Devices without a connection, with the events they hold until it is back. */
  const offline = new Map<string, DeviceMessage[]>();
  const reporters: PeriodicReport[] = [];
  let collectionPolicy: CollectionPolicy = options.collectionPolicy ?? 'fixed';
  const collectionPoints = new Map<string, (nowMs: number, by: CollectedBy) => void>();
  const boxPlaces = new Map<string, Device>();
  /** Boxes per community: a community's residents are shared over its boxes (residentPool). */
  const boxesInCommunity = new Map<string, number>();
  let chain: Chain | null = null;

  const ctx: SimContext = {
    scheduler,
    seed: options.seed,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 480,
    tuning,
    stats,
    emit<C extends DeviceChannel>(deviceId: string, channel: C, payload: ChannelPayload<C>) {
      // The load is in the truck whether or not the box's report gets through now.
      if (channel === 'event/collection') chain?.onCollection(payload as CollectionEvent, boxPlaces.get(deviceId)!, scheduler.nowMs);
      const message = { deviceId, channel, payload } as DeviceMessage;
      const held = offline.get(deviceId);
      if (held === undefined) out.push({ type: 'publish', atMs: scheduler.nowMs, ...message });
      else if (!STALE_WHEN_OFFLINE.has(channel)) held.push(message);
    },
    goDark(deviceId) {
      if (offline.has(deviceId)) return;
      stats.darkPeriods++;
      offline.set(deviceId, []);
      out.push({ type: 'goDark', atMs: scheduler.nowMs, deviceId });
    },
    comeBack(deviceId) {
      const held = offline.get(deviceId);
      if (held === undefined) return;
      offline.delete(deviceId);
      out.push({ type: 'comeBack', atMs: scheduler.nowMs, deviceId });
      for (const message of held) out.push({ type: 'publish', atMs: scheduler.nowMs, ...message });
    },
    minReportIntervalMs: () => minReportIntervalMs,
    hashResident: options.hashResident,
    residentPool: (box) => residentPool(box.community, boxesInCommunity.get(box.community) ?? 1, tuning.takingPart),
    addReporter: (reporter) => void reporters.push(reporter),
    collectionPolicy: () => collectionPolicy,
    addCollectionPoint: (boxId, serve) => void collectionPoints.set(boxId, serve),
  };

  const skipped: string[] = [];
  const boxes = options.devices.filter((d) => d.kind === 'box' && (d.compartments.length > 0 || !skipped.push(d.id)));
  for (const box of boxes) boxesInCommunity.set(box.community, (boxesInCommunity.get(box.community) ?? 0) + 1);
  const cameras = options.devices.filter((d) => d.kind === 'camera');
  const routes = planRoutes(boxes, options.seed, tuning.boxesPerRoute);
  const hotspots = chooseHotspots(cameras, options.seed, tuning.hotspotCount);
  const hotspotSet = new Set(hotspots);
  for (const box of boxes) startBox(ctx, box, routes.get(box.id)!);
  for (const camera of cameras) startCamera(ctx, camera, hotspotSet.has(camera.id));
  for (const box of boxes) boxPlaces.set(box.id, box);
  // Other kinds (scales) start here; any kind the fleet does not know is left alone.
  chain = startChain(ctx, {
    sites: options.sites ?? [],
    scales: options.devices.filter((d) => d.kind === 'scale'),
    vehicles: options.vehicles ?? [],
    routeCentres: routeCentres(boxes, routes),
  });

  return {
    advanceTo(simMs) {
      out = [];
      scheduler.runUntil(simMs);
      const actions = out;
      out = [];
      return actions;
    },
    setMinReportInterval(ms) {
      minReportIntervalMs = Math.max(0, ms);
    },
    reportNow() {
      // As scheduled tasks, so the reports come out of advanceTo with every other action.
      for (const reporter of reporters) {
        scheduler.at(scheduler.nowMs, (t) => {
          reporter.reset();
          reporter.request(t);
        });
      }
    },
    setCollectionPolicy(policy) {
      collectionPolicy = policy;
    },
    get collectionPolicy() {
      return collectionPolicy;
    },
    collect(boxId, atMs, by) {
      const serve = collectionPoints.get(boxId);
      if (serve === undefined) return false;
      scheduler.at(Math.max(atMs, scheduler.nowMs), (t) => serve(t, by));
      return true;
    },
    get darkDeviceIds() {
      return [...offline.keys()];
    },
    get nowMs() {
      return scheduler.nowMs;
    },
    stats,
    chain: chain?.stats ?? emptyChainStats(),
    hotspotCameraIds: hotspots,
    skippedDeviceIds: skipped,
  };
}

/** The centre of each fixed route's boxes, by the route's vehicle. */
function routeCentres(boxes: readonly Device[], routes: ReadonlyMap<string, RouteStop>): Map<string, { lat: number; lon: number }> {
  const sums = new Map<string, { lat: number; lon: number; n: number }>();
  for (const box of boxes) {
    const vehicleId = routes.get(box.id)!.vehicleId;
    const sum = sums.get(vehicleId) ?? { lat: 0, lon: 0, n: 0 };
    sums.set(vehicleId, { lat: sum.lat + box.lat, lon: sum.lon + box.lon, n: sum.n + 1 });
  }
  return new Map([...sums].map(([id, s]) => [id, { lat: s.lat / s.n, lon: s.lon / s.n }]));
}

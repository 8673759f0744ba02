/**
 * The simulated district fleet: every box and camera model on one scheduler, advanced by the
 * runner to the current simulated instant. Pure: time comes in, actions (messages to publish,
 * connections to cut or restore) come out, the same for the same seed and options.
 */
import type { ChannelPayload, Device, DeviceChannel, DeviceMessage } from '../../shared/contracts/index.ts';
import { startBox } from './box.ts';
import { startCamera } from './camera.ts';
import { planRoutes } from './collection.ts';
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
  tuning?: Partial<Omit<SimulationTuning, 'faults'>> & { faults?: Partial<SimulationTuning['faults']> };
  /** Default 'fixed'; change with setCollectionPolicy. */
  collectionPolicy?: CollectionPolicy;
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

  const ctx: SimContext = {
    scheduler,
    seed: options.seed,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 480,
    tuning,
    stats,
    emit<C extends DeviceChannel>(deviceId: string, channel: C, payload: ChannelPayload<C>) {
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
    addReporter: (reporter) => void reporters.push(reporter),
    collectionPolicy: () => collectionPolicy,
    addCollectionPoint: (boxId, serve) => void collectionPoints.set(boxId, serve),
  };

  const skipped: string[] = [];
  const boxes = options.devices.filter((d) => d.kind === 'box' && (d.compartments.length > 0 || !skipped.push(d.id)));
  const cameras = options.devices.filter((d) => d.kind === 'camera');
  const routes = planRoutes(boxes, options.seed, tuning.boxesPerRoute);
  const hotspots = chooseHotspots(cameras, options.seed, tuning.hotspotCount);
  const hotspotSet = new Set(hotspots);
  for (const box of boxes) startBox(ctx, box, routes.get(box.id)!);
  for (const camera of cameras) startCamera(ctx, camera, hotspotSet.has(camera.id));

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
    hotspotCameraIds: hotspots,
    skippedDeviceIds: skipped,
  };
}

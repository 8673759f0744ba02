/**
 * Runs the simulated fleet against a broker: one MQTT client per device, the pure fleet model
 * advanced on a real timer by the simulated clock, its actions published.
 */
import { createHash } from 'node:crypto';
import type { DeviceChannel, FleetCredentialsFile, Site } from '../../shared/contracts/index.ts';
import { toLocalIso } from '../../shared/units.ts';
import { defaultStartMs, minReportIntervalMs, readClock, type ClockAnchor, type ClockReading } from '../core/clock.ts';
import type { CollectionPolicy, SimAction } from '../core/context.ts';
import { createFleetSimulation, type FleetSimulation, type FleetSimulationOptions } from '../core/fleet.ts';
import { historyFleetOptions, simulatedMembers, type HistorySpan } from '../core/history.ts';
import { fastForward } from './fast-forward.ts';
import { MqttDevice } from './mqtt-device.ts';
import { type SimulationStats, emptyMessageCounts, formatStatusLine, statusLineGate } from './status-line.ts';
import { VehicleFleet, type VehicleMember } from './vehicle-fleet.ts';

export type FleetMember = FleetCredentialsFile['devices'][number];

export interface SimulationOptions {
  url: string;
  /** Registry records and MQTT secrets, e.g. FleetCredentialsFile.devices. */
  devices: readonly FleetMember[];
  /**
   * Who empties the boxes (default 'fixed': today's rounds). 'plan': the vehicles below log in,
   * read their plans and serve the stops (issue 13's closed loop). A history replay stays on
   * fixed rounds for its span (the platform wrote it so) and switches when it goes live.
   */
  collection?: CollectionPolicy;
  /**
   * Collection vehicles and their MQTT secrets (FleetCredentialsFile.vehicles): they log in
   * under 'plan'; their plates and depots tell where their trips are weighed in either way.
   */
  vehicles?: readonly VehicleMember[];
  /** Transfer stations and sorting centres (FleetCredentialsFile.sites): where the scales weigh (issue 14). */
  sites?: readonly Site[];
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  seed?: string;
  /** Simulated start (epoch ms); default now at speed 1, else 00:00 local of yesterday. */
  startMs?: number;
  /**
   * The platform wrote the fleet's history over this span (services/platform/wiring/demo-history.ts):
   * replay it silently with the history's exact options, so the live fleet goes on from its
   * state at untilMs (fill levels, batteries, open cases). Replaces startMs.
   */
  history?: Pick<HistorySpan, 'fromMs' | 'untilMs'>;
  /** Stop (cleanly) after this much simulated time. */
  durationMs?: number;
  /** Use only the first N boxes / cameras. */
  boxes?: number;
  cameras?: number;
  depositRate?: number;
  faultRate?: number;
  /** Multiplies the chain's anomaly rates (default 1; 0: none injected). */
  anomalyRate?: number;
  /** Multiplies the fill-sensor fault rates (default 0: none). */
  sensorFaultRate?: number;
  /** No status line. */
  quiet?: boolean;
  log?: (line: string) => void;
  statusIntervalMs?: number;
  /** How often the model is advanced, real ms. */
  tickMs?: number;
  /** Devices connecting at once. */
  connectWaveSize?: number;
  utcOffsetMinutes?: number;
}

export interface SimulationHandle {
  stats(): SimulationStats;
  /** Clean shutdown: every device says offline and disconnects. Idempotent. */
  stop(): Promise<void>;
  /** Settles once the simulation has shut down (stop() or --duration reached). */
  readonly finished: Promise<void>;
  readonly hotspotCameraIds: readonly string[];
  /** Cuts a device's connection without DISCONNECT (its will fires) until comeBack. */
  goDark(deviceId: string): void;
  comeBack(deviceId: string): void;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const COUNTED: Partial<Record<DeviceChannel, keyof SimulationStats['messages']>> = {
  telemetry: 'telemetry',
  heartbeat: 'heartbeats',
  'event/deposit': 'deposits',
  'event/collection': 'collections',
  detection: 'detections',
  'event/fault': 'faults',
};

export async function runSimulation(options: SimulationOptions): Promise<SimulationHandle> {
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`speed must be positive, got ${speed}`);
  const offset = options.utcOffsetMinutes ?? 480;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const policy = options.collection ?? 'fixed';
  const members = simulatedMembers(options.devices, options);
  const boxes = members.filter((m) => m.device.kind === 'box');
  const cameras = members.filter((m) => m.device.kind === 'camera');
  const fleet = {
    seed: options.seed ?? 'tianning',
    devices: members.map((m) => m.device),
    hashResident: sha256,
    tuning: { depositRate: options.depositRate ?? 1, faultRate: options.faultRate ?? 1, anomalyRate: options.anomalyRate ?? 1, sensorFaultRate: options.sensorFaultRate ?? 0 },
    sites: options.sites ?? [],
    vehicles: (options.vehicles ?? []).map((m) => m.vehicle),
  } satisfies Partial<FleetSimulationOptions>;
  const scales = members.filter((m) => m.device.kind === 'scale');
  let clock: ClockReading;
  let startMs: number;
  let engine: FleetSimulation;
  /** Where the live clock starts: simulated and real time anchored together. */
  let anchorAt: { simMs: number; realMs: number } | undefined;
  if (options.history) {
    const span = { ...options.history, utcOffsetMinutes: offset };
    engine = createFleetSimulation(historyFleetOptions(span, fleet));
    startMs = span.fromMs;
    await fastForward(engine, span, log);
    engine.setCollectionPolicy(policy);
    // Live from the history's end; at x1 simulated time is the real time from there on, so the
    // seconds since the platform began its history are published at the first tick.
    anchorAt = { simMs: span.untilMs, realMs: span.untilMs };
    clock = readClock({ simStartMs: span.untilMs, realStartMs: span.untilMs, speed }, Date.now());
    engine.setMinReportInterval(minReportIntervalMs(clock.effectiveSpeed));
    // The history reported once an hour: every device reports now, so fill levels show at once.
    engine.reportNow();
  } else {
    const requestedStartMs = options.startMs ?? defaultStartMs(Date.now(), speed, offset);
    // A start in the future is clamped to now: the platform refuses readings from the future.
    clock = readClock({ simStartMs: requestedStartMs, realStartMs: Date.now(), speed }, Date.now());
    startMs = clock.simMs;
    engine = createFleetSimulation({
      ...fleet,
      startMs,
      utcOffsetMinutes: offset,
      minReportIntervalMs: minReportIntervalMs(clock.effectiveSpeed),
      collectionPolicy: policy,
    });
  }
  for (const id of engine.skippedDeviceIds) log(`[sim] ${id} has no compartments: not simulated`);
  const endMs = options.durationMs === undefined ? Infinity : engine.nowMs + options.durationMs;

  const messages = emptyMessageCounts();
  const chain = { weighTickets: 0, sortingReports: 0 };
  let depositedKg = 0;
  let publishErrors = 0;
  let connectionErrors = 0;
  const devices = new Map<string, MqttDevice>();
  for (const { device, secret } of members) {
    devices.set(device.id, new MqttDevice({
      url: options.url,
      deviceId: device.id,
      secret,
      simNow: () => engine.nowMs,
      utcOffsetMinutes: offset,
      onPublished: (_channel, error) => {
        if (error) publishErrors++;
      },
      onError: (deviceId, error) => {
        // Refused credentials repeat on every retry: say it for the first few only.
        if (++connectionErrors <= 5) log(`[sim] ${deviceId}: ${error.message}`);
      },
    }));
  }

  const vehicles = policy === 'plan' ? new VehicleFleet({ url: options.url, members: options.vehicles ?? [], seed: fleet.seed, engine, log }) : undefined;
  if (policy === 'plan' && !options.vehicles?.length) log('[sim] collection by plan, but the credentials have no vehicles: no box will be emptied');

  const stats = (): SimulationStats => {
    const all = [...devices.values()];
    return {
      simTime: toLocalIso(engine.nowMs, offset),
      simMs: engine.nowMs,
      startMs,
      speed: clock.effectiveSpeed,
      caughtUp: clock.caughtUp,
      running,
      devices: {
        total: all.length,
        boxes: boxes.length,
        cameras: cameras.length,
        connected: all.filter((d) => d.connected).length,
        dark: all.filter((d) => d.dark).length,
      },
      messages: { ...messages },
      depositedKg: Math.round(depositedKg * 100) / 100,
      publishErrors,
      connectionErrors,
      ...(vehicles && { vehicles: vehicles.stats() }),
      ...(scales.length > 0 && { chain: { ...chain, anomalies: { ...engine.chain.anomalies } } }),
    };
  };

  const dispatch = (actions: SimAction[]): void => {
    for (const action of actions) {
      const device = devices.get(action.deviceId);
      if (!device) continue;
      if (action.type === 'goDark') device.goDark();
      else if (action.type === 'comeBack') device.comeBack();
      else if (device.publish(action)) {
        const kind = COUNTED[action.channel];
        if (kind) messages[kind]++;
        if (action.channel === 'event/deposit') depositedKg += action.payload.weightKg;
        else if (action.channel === 'event/weigh') chain.weighTickets++;
        else if (action.channel === 'event/sorting') chain.sortingReports++;
      }
    }
  };

  // A device whose connection was down when the history ended stays down until it comes back.
  for (const id of engine.darkDeviceIds) devices.get(id)?.goDark();
  // Connect in waves: all at once would make the broker verify hundreds of secrets in one go.
  const wave = Math.max(1, options.connectWaveSize ?? 50);
  const all = [...devices.values()];
  const toConnect = all.filter((d) => !d.dark);
  for (let i = 0; i < toConnect.length; i += wave) await Promise.all(toConnect.slice(i, i + wave).map((d) => d.start()));
  const connected = all.filter((d) => d.connected).length;
  log(`[sim] ${connected}/${all.length} devices connected to ${options.url}; simulated time starts ${toLocalIso(engine.nowMs, offset)} at x${speed}`);
  if (vehicles) {
    await vehicles.start();
    const v = vehicles.stats();
    log(`[sim] collection by plan: ${v.connected}/${v.total} vehicles connected, following their plans`);
  }

  const anchor: ClockAnchor = {
    simStartMs: anchorAt?.simMs ?? engine.nowMs,
    realStartMs: anchorAt?.realMs ?? Date.now(),
    speed,
  };
  let running = true;
  let saidCaughtUp = false;
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  const tick = (): void => {
    clock = readClock(anchor, Date.now());
    if (clock.caughtUp && speed > 1 && !saidCaughtUp) {
      saidCaughtUp = true;
      log(`[sim] simulated time has caught up with the real clock: continuing at real time (x1)`);
    }
    engine.setMinReportInterval(minReportIntervalMs(clock.effectiveSpeed));
    // Never step back (the real clock may be adjusted) and never past the requested duration.
    const target = Math.min(Math.max(clock.simMs, engine.nowMs), endMs);
    // Crews reaching a stop by then empty the box at that instant, within this advance.
    vehicles?.dispatchUntil(target);
    dispatch(engine.advanceTo(target));
    if (target >= endMs) {
      log(`[sim] duration reached at ${toLocalIso(target, offset)}`);
      void stop();
    }
  };
  const ticker = setInterval(tick, options.tickMs ?? 250);
  const worthPrinting = statusLineGate();
  const printStatus = (): void => {
    const s = stats();
    if (worthPrinting(s)) log(formatStatusLine(s, offset));
  };
  const statusTimer = options.quiet ? undefined : setInterval(printStatus, options.statusIntervalMs ?? 5_000);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      running = false;
      clearInterval(ticker);
      if (statusTimer) clearInterval(statusTimer);
      await Promise.all([...all.map((d) => d.shutdown()), vehicles?.stop()]);
      if (!options.quiet) log(formatStatusLine(stats(), offset));
      resolveFinished();
    })();
    return stopping;
  };

  const device = (id: string): MqttDevice => {
    const found = devices.get(id);
    if (!found) throw new Error(`no simulated device ${id}`);
    return found;
  };
  return {
    stats,
    stop,
    finished,
    hotspotCameraIds: engine.hotspotCameraIds,
    goDark: (id) => device(id).goDark(),
    comeBack: (id) => device(id).comeBack(),
  };
}

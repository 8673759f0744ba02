/**
 * Runs the simulated fleet against a broker: one MQTT client per device, the pure fleet model
 * advanced on a real timer by the simulated clock, its actions published.
 */
import { createHash } from 'node:crypto';
import type { DeviceChannel, FleetCredentialsFile } from '../../shared/contracts/index.ts';
import { toLocalIso } from '../../shared/units.ts';
import { defaultStartMs, minReportIntervalMs, readClock, type ClockAnchor, type ClockReading } from '../core/clock.ts';
import type { SimAction } from '../core/context.ts';
import { createFleetSimulation } from '../core/fleet.ts';
import { MqttDevice } from './mqtt-device.ts';
import { type SimulationStats, emptyMessageCounts, formatStatusLine, statusLineGate } from './status-line.ts';

export type FleetMember = FleetCredentialsFile['devices'][number];

export interface SimulationOptions {
  url: string;
  /** Registry records and MQTT secrets, e.g. FleetCredentialsFile.devices. */
  devices: readonly FleetMember[];
  /** Simulated seconds per real second (default 1). */
  speed?: number;
  seed?: string;
  /** Simulated start (epoch ms); default now at speed 1, else 00:00 local of yesterday. */
  startMs?: number;
  /** Stop (cleanly) after this much simulated time. */
  durationMs?: number;
  /** Use only the first N boxes / cameras. */
  boxes?: number;
  cameras?: number;
  depositRate?: number;
  faultRate?: number;
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
  const boxes = options.devices.filter((d) => d.device.kind === 'box').slice(0, options.boxes ?? Infinity);
  const cameras = options.devices.filter((d) => d.device.kind === 'camera').slice(0, options.cameras ?? Infinity);
  const members = [...boxes, ...cameras];
  const requestedStartMs = options.startMs ?? defaultStartMs(Date.now(), speed, offset);
  // A start in the future is clamped to now: the platform refuses readings from the future.
  let clock: ClockReading = readClock({ simStartMs: requestedStartMs, realStartMs: Date.now(), speed }, Date.now());
  const startMs = clock.simMs;
  const engine = createFleetSimulation({
    seed: options.seed ?? 'tianning',
    startMs,
    devices: members.map((m) => m.device),
    hashResident: sha256,
    utcOffsetMinutes: offset,
    minReportIntervalMs: minReportIntervalMs(clock.effectiveSpeed),
    tuning: { depositRate: options.depositRate ?? 1, faultRate: options.faultRate ?? 1 },
  });
  for (const id of engine.skippedDeviceIds) log(`[sim] ${id} has no compartments: not simulated`);
  const endMs = options.durationMs === undefined ? Infinity : engine.nowMs + options.durationMs;

  const messages = emptyMessageCounts();
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
      }
    }
  };

  // Connect in waves: all at once would make the broker verify hundreds of secrets in one go.
  const wave = Math.max(1, options.connectWaveSize ?? 50);
  const all = [...devices.values()];
  for (let i = 0; i < all.length; i += wave) await Promise.all(all.slice(i, i + wave).map((d) => d.start()));
  const connected = all.filter((d) => d.connected).length;
  log(`[sim] ${connected}/${all.length} devices connected to ${options.url}; simulated time starts ${toLocalIso(engine.nowMs, offset)} at x${speed}`);

  const anchor: ClockAnchor = { simStartMs: engine.nowMs, realStartMs: Date.now(), speed };
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
      await Promise.all(all.map((d) => d.shutdown()));
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

/** A real AlertEngine on a temp SQLite file, with scripted rules and an in-memory fleet. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { emptyDeviceState, type AlertEvent, type Device, type DeviceMessage, type DeviceState } from '../../../shared/contracts/index.ts';
import { AlertEngine, type AlertEngineOptions } from '../../../services/alerts/alert-engine.ts';
import type { AlertCommand, AlertRules, AlertView, SweepDevice } from '../../../services/alerts/core/ports.ts';
import type { SilentDevice } from '../../../services/ingest/core/ports.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { BOX, BOX_2, CAMERA, T0, iso } from '../../unit/alerts-lifecycle/fixtures.ts';

export const logger = pino({ level: 'silent' });

/** Rules whose answers the test sets; every call is recorded with what the view said at the time. */
export class ScriptedRules implements AlertRules {
  onMessageScript: (input: { device: Device; at: number }, view: AlertView) => AlertCommand[] = () => [];
  onConnectionScript: (input: { device: Device; connected: boolean; at: number }, view: AlertView) => AlertCommand[] = () => [];
  onSweepScript: (input: { at: number; devices: SweepDevice[] }, view: AlertView) => AlertCommand[] = () => [];
  silentScript: (input: { at: number; devices: SweepDevice[] }) => SilentDevice[] = () => [];
  readonly sweeps: { at: number; devices: SweepDevice[] }[] = [];
  readonly connections: { deviceId: string; connected: boolean }[] = [];

  onMessage(input: { message: DeviceMessage; device: Device; at: number }, view: AlertView): AlertCommand[] {
    return this.onMessageScript(input, view);
  }
  onConnection(input: { device: Device; connected: boolean; at: number }, view: AlertView): AlertCommand[] {
    this.connections.push({ deviceId: input.device.id, connected: input.connected });
    return this.onConnectionScript(input, view);
  }
  onSweep(input: { at: number; devices: SweepDevice[] }, view: AlertView): AlertCommand[] {
    this.sweeps.push(input);
    return this.onSweepScript(input, view);
  }
  silentDevices(input: { at: number; devices: SweepDevice[] }): SilentDevice[] {
    return this.silentScript(input);
  }
}

/** Rules that issue exactly the commands queued before each message. */
export function queued(rules: ScriptedRules): (commands: AlertCommand[]) => void {
  let next: AlertCommand[] = [];
  rules.onMessageScript = () => {
    const out = next;
    next = [];
    return out;
  };
  return (commands) => {
    next = commands;
  };
}

export const telemetryOf = (device: Device): DeviceMessage =>
  ({ deviceId: device.id, channel: 'telemetry', payload: { ts: iso(T0) } }) as unknown as DeviceMessage;

export const stateSeen = (at: number, online = true): DeviceState => ({ ...emptyDeviceState(), online, lastSeen: iso(at) });

export async function metricValue(metrics: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await metrics.getSingleMetric(name)!.get();
  const match = metric.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

export interface EngineHandle {
  engine: AlertEngine;
  rules: ScriptedRules;
  metrics: Registry;
  events: AlertEvent[];
  db: SqliteDatabase;
}

/** One temp directory per test; engines opened on its file are stopped and closed by cleanup(). */
export function alertsHarness() {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-alerts-'));
  const file = join(dir, 'alerts.db');
  const devices = new Map<string, Device>([BOX, BOX_2, CAMERA].map((d) => [d.id, d]));
  const states = new Map<string, DeviceState>();
  const clock = { now: T0 };
  const opened: EngineHandle[] = [];

  const open = (overrides: Partial<AlertEngineOptions> = {}): EngineHandle => {
    const db = openDatabase(file);
    const rules = new ScriptedRules();
    const metrics = new Registry();
    const engine = new AlertEngine({
      db,
      rules,
      registry: { get: (id) => devices.get(id), list: () => [...devices.values()] },
      deviceState: { get: (id) => states.get(id), all: () => states },
      now: () => clock.now,
      sweepSeconds: 15,
      logger,
      metrics,
      ...overrides,
    });
    const events: AlertEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const handle = { engine, rules, metrics, events, db };
    opened.push(handle);
    return handle;
  };

  /** Stops the engine and closes its connection, as a clean platform shutdown does. */
  const close = (handle: EngineHandle): void => {
    handle.engine.stop();
    if (handle.db.open) handle.db.close();
  };

  const cleanup = (): void => {
    for (const handle of opened.splice(0)) close(handle);
    rmSync(dir, { recursive: true, force: true });
  };

  return { file, devices, states, clock, open, close, cleanup };
}

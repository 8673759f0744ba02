/** Devices, messages and a scenario harness for the alert rule tests. Time is plain numbers. */
import type {
  BoxTelemetry,
  CameraDetection,
  Device,
  DeviceMessage,
  DetectionType,
  FaultType,
  WasteCategory,
} from '../../../shared/contracts/index.ts';
import type { AlertCommand, SweepDevice } from '../../../services/alerts/core/ports.ts';
import type { SilentDevice } from '../../../services/ingest/core/ports.ts';
import { createAlertRules } from '../../../services/alerts/core/rules.ts';
import { thresholdsResolver, type AlertThresholdsFile } from '../../../services/alerts/core/thresholds.ts';
import { FakeAlertView } from './fake-view.ts';

export const MIN = 60_000;
/** 2026-11-26 10:00 in Changzhou. */
export const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const iso = (ms: number): string => new Date(ms).toISOString();

export const BOX: Device = {
  id: 'box-0001',
  kind: 'box',
  name: '红梅新村 1号回收箱',
  lat: 31.79,
  lon: 119.98,
  subdistrict: 'hongmei',
  community: '红梅新村',
  address: '3 Hongmei Road',
  compartments: [
    { category: 'paper', capacityKg: 150 },
    { category: 'plastic', capacityKg: 60 },
  ],
  cameraPointType: null,
  installedOn: '2026-03-01',
  gridCell: 'HM-07',
  responsiblePerson: 'Zhang Wei',
};

export const CAMERA: Device = {
  ...BOX,
  id: 'cam-001',
  kind: 'camera',
  name: 'Yanling Road market camera',
  compartments: [],
  cameraPointType: 'market',
};

export function box(id: string, overrides: Partial<Device> = {}): Device {
  return { ...BOX, id, name: `${overrides.community ?? BOX.community} ${id}`, ...overrides };
}

type Reading = { category: WasteCategory; fillingLevel: number; overflow?: boolean };

export interface TelemetryOptions {
  compartments?: Reading[];
  temperatureC?: number;
  batteryPercent?: number;
  lid?: BoxTelemetry['lid'];
  status?: BoxTelemetry['status'];
}

export function telemetry(device: Device, at: number, o: TelemetryOptions = {}): DeviceMessage {
  const compartments = (o.compartments ?? [{ category: 'paper', fillingLevel: 0.4 }]).map((c) => ({ weightKg: 10, ...c }));
  const power = o.batteryPercent === undefined ? { source: 'mains' as const } : { source: 'battery' as const, batteryPercent: o.batteryPercent };
  return {
    deviceId: device.id,
    channel: 'telemetry',
    payload: {
      ts: iso(at),
      compartments,
      temperatureC: o.temperatureC ?? 21,
      power,
      lid: o.lid ?? 'closed',
      status: o.status ?? 'ok',
      signal: { rssiDbm: -70 },
    },
  };
}

export const fill = (category: WasteCategory, fillingLevel: number, overflow?: boolean): TelemetryOptions => ({
  compartments: [{ category, fillingLevel, ...(overflow !== undefined && { overflow }) }],
});

export function collection(device: Device, at: number, categories: WasteCategory[], weightKg = 40): DeviceMessage {
  return {
    deviceId: device.id,
    channel: 'event/collection',
    payload: { ts: iso(at), eventId: `c-${at}`, collectorId: 'collector-12', vehicleId: 'SU-D-12345', compartments: categories.map((category) => ({ category, weightKg })) },
  };
}

export function fault(device: Device, at: number, type: FaultType, active: boolean, detail?: string): DeviceMessage {
  return {
    deviceId: device.id,
    channel: 'event/fault',
    payload: { ts: iso(at), eventId: `f-${type}-${at}`, fault: type, active, ...(detail !== undefined && { detail }) },
  };
}

export function heartbeat(device: Device, at: number, streamOk = true): DeviceMessage {
  return { deviceId: device.id, channel: 'heartbeat', payload: { ts: iso(at), streamOk, frameRate: streamOk ? 25 : 0, uptimeS: 3600 } };
}

export interface DetectionOptions {
  type?: DetectionType;
  confidence?: number;
  phase?: CameraDetection['phase'];
  eventId?: string;
}

export function detection(device: Device, at: number, o: DetectionOptions = {}): DeviceMessage {
  return {
    deviceId: device.id,
    channel: 'detection',
    payload: {
      ts: iso(at),
      eventId: o.eventId ?? `d-${at}`,
      phase: o.phase ?? 'start',
      type: o.type ?? 'illegal_dumping',
      confidence: o.confidence ?? 0.9,
      zone: 'north-gate',
      snapshotRef: `snap/${at}.jpg`,
    },
  };
}

/** The last will ({state:'offline'} without ts) or the birth message. */
export function status(device: Device, state: 'online' | 'offline', at: number): DeviceMessage {
  return { deviceId: device.id, channel: 'status', payload: state === 'online' ? { state, ts: iso(at) } : { state } };
}

/**
 * Rules + fake view + what the platform would know of each device (lastSeen from every valid
 * message, as the ingest does; online from connections and status).
 */
export function scenario(options: { file?: AlertThresholdsFile; fleet?: Device[] } = {}) {
  const view = new FakeAlertView();
  const rules = createAlertRules({ thresholdsFor: thresholdsResolver(options.file) });
  const fleet = options.fleet ?? [BOX, CAMERA];
  const lastSeen = new Map<string, number>();
  const online = new Map<string, boolean>();
  const deviceOf = (id: string): Device => {
    const d = fleet.find((x) => x.id === id);
    if (!d) throw new Error(`not in the fleet: ${id}`);
    return d;
  };
  const sweepInput = (devices: Device[]): SweepDevice[] =>
    devices.map((device) => ({ device, lastSeenMs: lastSeen.get(device.id) ?? null, online: online.get(device.id) ?? false }));
  return {
    view,
    fleet,
    send(message: DeviceMessage, at: number): AlertCommand[] {
      lastSeen.set(message.deviceId, at);
      online.set(message.deviceId, !(message.channel === 'status' && message.payload.state === 'offline'));
      return view.apply(rules.onMessage({ message, device: deviceOf(message.deviceId), at }, view));
    },
    connection(device: Device, connected: boolean, at: number): AlertCommand[] {
      online.set(device.id, connected);
      return view.apply(rules.onConnection({ device, connected, at }, view));
    },
    sweep(at: number, devices: Device[] = fleet): AlertCommand[] {
      return view.apply(rules.onSweep({ at, devices: sweepInput(devices) }, view));
    },
    /** The devices the inactivity check finds silent at `at` (what the engine asks after a sweep). */
    silent(at: number, devices: Device[] = fleet): SilentDevice[] {
      return rules.silentDevices({ at, devices: sweepInput(devices) });
    },
    /** Pretend the platform last heard from the device at `at` (e.g. before a restart). */
    heardAt(device: Device, at: number): void {
      lastSeen.set(device.id, at);
    },
  };
}

export type Scenario = ReturnType<typeof scenario>;

/** The ops of commands, e.g. ['raise:bin_full:box-0001:paper']. */
export const ops = (commands: AlertCommand[]): string[] =>
  commands.map((c) => (c.op === 'inhibit' ? `inhibit:${c.byKey}<-${c.keys.join(',')}` : `${c.op}:${c.key}`));

/** Devices and payloads shared by the ingest tests. */
import type { Device, DeviceChannel } from '../../../shared/contracts/index.ts';
import { TEST_BOX } from '../../support/devices.ts';
import { toLocalIso } from '../../../shared/units.ts';

export const OFFSET_MIN = 480;
/** 2026-11-26 10:00 in Changzhou. */
export const NOW = Date.parse('2026-11-26T10:00:00+08:00');
export const iso = (epochMs: number): string => toLocalIso(epochMs, OFFSET_MIN);

export const BOX: Device = TEST_BOX;

/** Another community's box, with a glass compartment BOX does not have. */
export const BOX_2: Device = {
  ...BOX,
  id: 'box-0002',
  subdistrict: 'lanling',
  community: 'lanling-south',
  compartments: [...BOX.compartments, { category: 'glass', capacityKg: 200 }],
};

export const CAMERA: Device = {
  ...BOX,
  id: 'cam-0001',
  kind: 'camera',
  name: 'Yanling Road market',
  compartments: [],
  cameraPointType: 'market',
};

export const lookup = (devices: Device[]) => {
  const byId = new Map(devices.map((d) => [d.id, d]));
  return (id: string): Device | undefined => byId.get(id);
};

export const topic = (device: Device | string, channel: DeviceChannel | string): string =>
  `binpulse/v1/${typeof device === 'string' ? device : device.id}/${channel}`;

export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

export function telemetry(ts = NOW, overrides: Record<string, unknown> = {}) {
  return {
    ts: iso(ts),
    compartments: [
      { category: 'paper', fillingLevel: 0.4, weightKg: 30.5 },
      { category: 'plastic', fillingLevel: 0.85, weightKg: 9.25, overflow: false },
    ],
    temperatureC: 21.5,
    power: { source: 'battery', batteryPercent: 76 },
    lid: 'closed',
    status: 'ok',
    signal: { rssiDbm: -71, network: 'nbiot' },
    ...overrides,
  };
}

export function deposit(eventId: string, ts = NOW, weightKg = 2.5, category = 'paper') {
  return { ts: iso(ts), eventId, category, weightKg, residentHash: 'a'.repeat(64), points: 25 };
}

export function collection(eventId: string, ts = NOW) {
  return {
    ts: iso(ts),
    eventId,
    collectorId: 'collector-12',
    vehicleId: 'SU-D-12345',
    compartments: [
      { category: 'paper', weightKg: 88 },
      { category: 'plastic', weightKg: 21 },
    ],
  };
}

export function fault(eventId: string, faultType: string, active: boolean, ts = NOW) {
  return { ts: iso(ts), eventId, fault: faultType, active };
}

export function heartbeat(ts = NOW) {
  return { ts: iso(ts), streamOk: true, frameRate: 25, uptimeS: 86_400 };
}

export function detection(eventId: string, phase: 'start' | 'update' | 'end', ts = NOW) {
  return {
    ts: iso(ts),
    eventId,
    phase,
    type: 'illegal_dumping',
    confidence: 0.92,
    zone: 'north-gate',
    snapshotRef: 'snap/2026/11/26/abc.jpg',
  };
}


/** One valid payload per channel: the README's reference, and fixtures for tests. */
import type { ChannelPayload, DeviceChannel } from './topics.ts';

export const EXAMPLE_PAYLOADS: { [C in DeviceChannel]: ChannelPayload<C> } = {
  telemetry: {
    ts: '2026-11-26T08:10:00+08:00',
    compartments: [
      { category: 'paper', fillingLevel: 0.42, weightKg: 63.1 },
      { category: 'plastic', fillingLevel: 0.91, weightKg: 54.6 },
      { category: 'metal', fillingLevel: 0.12, weightKg: 9.6 },
      { category: 'glass', fillingLevel: 0.3, weightKg: 36 },
      { category: 'textile', fillingLevel: 0.55, weightKg: 55 },
    ],
    temperatureC: 14.5,
    power: { source: 'solar', batteryPercent: 87 },
    lid: 'closed',
    status: 'ok',
    signal: { rssiDbm: -79, network: '4g' },
  },
  'event/deposit': {
    ts: '2026-11-26T08:09:41+08:00',
    eventId: 'box-0001-d-1842',
    category: 'paper',
    weightKg: 3.4,
    residentHash: '9f2b5c0e4d8a1f3b7c6e5d4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c',
    points: 3,
  },
  'event/collection': {
    ts: '2026-11-26T09:30:00+08:00',
    eventId: 'box-0001-c-77',
    collectorId: 'collector-07',
    vehicleId: '苏D·A1234',
    compartments: [
      { category: 'plastic', weightKg: 54.6 },
      { category: 'textile', weightKg: 55 },
    ],
  },
  'event/weigh': {
    ts: '2026-11-26T11:42:10+08:00',
    eventId: 'scale-ts-01-t-20261126-0042',
    ticketId: 'TS01-20261126-0042',
    plate: '苏D·H9878',
    direction: 'in',
    grossKg: 19_260,
    tareKg: 11_400,
    netKg: 7_860,
  },
  'event/sorting': {
    ts: '2026-11-27T00:00:00+08:00',
    eventId: 'scale-sc-01-s-20261126',
    periodStart: '2026-11-26T00:00:00+08:00',
    recoveredKg: { paper: 21_400, plastic: 9_800, metal: 3_100, glass: 11_900, textile: 6_200 },
    residueKg: 4_100,
  },
  'event/fault': {
    ts: '2026-11-26T10:02:00+08:00',
    eventId: 'box-0001-f-3',
    fault: 'lid_stuck',
    active: true,
    detail: 'lid open for 12 min',
  },
  heartbeat: { ts: '2026-11-26T08:10:00+08:00', streamOk: true, frameRate: 25, uptimeS: 86_400 },
  detection: {
    ts: '2026-11-26T23:14:03+08:00',
    eventId: 'cam-012-e-51',
    phase: 'start',
    type: 'illegal_dumping',
    confidence: 0.93,
    zone: 'zone-1',
    snapshotRef: 'snap://cam-012/2026-11-26T23:14:03/cam-012-e-51.jpg',
  },
  status: { state: 'online', ts: '2026-11-26T08:00:00+08:00', firmware: '2.4.1' },
};

/** A small district for the chain after the box: boxes, one transfer station, one sorting centre, a scale at each. */
import { DEVICE_CHANNELS, type ChannelPayload, type Device, type DeviceChannel, type Site, type Vehicle } from '../../../shared/contracts/index.ts';
import { localDayStart } from '../../../shared/units.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation, type FleetSimulationOptions } from '../../../simulators/core/fleet.ts';
import { sha256, testBoxes } from './fleet-fixture.ts';

export const START = localDayStart('2026-11-23', 480);

export const SITES: Site[] = [
  {
    id: 'ts-01',
    kind: 'transfer_station',
    name: '青果巷垃圾转运站',
    position: { lat: 31.8, lon: 119.99 },
    subdistrict: 'tianning',
    address: '1 Test Road',
    categories: ['paper', 'plastic', 'metal', 'glass', 'textile'],
  },
  {
    id: 'sc-01',
    kind: 'sorting_centre',
    name: '天宁区再生资源分拣中心',
    position: { lat: 31.84, lon: 120.03 },
    subdistrict: 'zhenglu',
    address: '2 Test Road',
    categories: ['paper', 'plastic', 'metal', 'glass', 'textile'],
  },
];

const scale = (id: string, siteId: string): Device => ({
  id,
  kind: 'scale',
  name: `${id} weighbridge`,
  lat: 31.8,
  lon: 119.99,
  subdistrict: 'tianning',
  community: 'site',
  address: '1 Test Road',
  compartments: [],
  cameraPointType: null,
  installedOn: '2024-05-01',
  gridCell: 'grid-site',
  responsiblePerson: 'Test Person',
  siteId,
});

export const SCALES: Device[] = [scale('scale-ts-01', 'ts-01'), scale('scale-sc-01', 'sc-01')];

export const VEHICLES: Vehicle[] = [{ id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' }];

export const NO_ANOMALIES = { anomalyRate: 0 };

export const districtSimulation = (overrides: Partial<FleetSimulationOptions> = {}) =>
  createFleetSimulation({
    seed: 'tianning',
    startMs: START,
    devices: [...testBoxes(60), ...SCALES],
    hashResident: sha256,
    sites: SITES,
    vehicles: VEHICLES,
    tuning: NO_ANOMALIES,
    ...overrides,
  });

export interface Published<T> {
  deviceId: string;
  atMs: number;
  payload: T;
}

/** The actions' payloads on a channel, validated by the contract's schema. */
export function published<C extends DeviceChannel>(actions: readonly SimAction[], channel: C): Published<ChannelPayload<C>>[] {
  return actions.flatMap((a) =>
    a.type === 'publish' && a.channel === channel
      ? [{ deviceId: a.deviceId, atMs: a.atMs, payload: DEVICE_CHANNELS[channel].schema.parse(a.payload) as never }]
      : [],
  );
}

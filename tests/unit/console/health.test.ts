import { describe, expect, it } from 'vitest';
import {
  facetCounts,
  filterDevices,
  formatHealthFilter,
  healthCounts,
  parseHealthFilter,
  signalQuality,
} from '../../../services/console/core/health.ts';
import { box, camera } from './fixtures.ts';

const fleet = [
  box('box-1', { paper: 0.2 }),
  box('box-2', { paper: 0.2 }, {}, { online: false }),
  box('box-3', { paper: 0.2 }, { subdistrict: 'zhenglu', community: '郑陆花园' }, { batteryPercent: 12, powerSource: 'battery', rssiDbm: -115 }),
  box('box-4', { paper: 0.2 }, {}, { activeFaults: ['tilt'], rssiDbm: -92 }),
  camera('cam-1'),
  camera('cam-2', { streamOk: false }),
  camera('cam-3', { online: false }),
  // Offline: its stream was down when last heard from, which is no fault to count now.
  camera('cam-4', { online: false, streamOk: false }),
];
const ids = (list: { id: string }[]) => list.map((d) => d.id).sort();

describe('device health filters', () => {
  it('filters by kind, subdistrict and status', () => {
    expect(ids(filterDevices(fleet, { kind: 'camera' }))).toEqual(['cam-1', 'cam-2', 'cam-3', 'cam-4']);
    expect(ids(filterDevices(fleet, { subdistrict: 'zhenglu' }))).toEqual(['box-3']);
    expect(ids(filterDevices(fleet, { status: 'offline' }))).toEqual(['box-2', 'cam-3', 'cam-4']);
    expect(ids(filterDevices(fleet, { kind: 'box', status: 'online' }))).toEqual(['box-1', 'box-3', 'box-4']);
  });

  it('counts an online camera with its stream down as faulty, a battery below 20 % as low, a signal below −100 dBm as weak', () => {
    expect(ids(filterDevices(fleet, { faults: true }))).toEqual(['box-4', 'cam-2']);
    expect(ids(filterDevices(fleet, { lowBattery: true }))).toEqual(['box-3']);
    expect(ids(filterDevices(fleet, { weakSignal: true }))).toEqual(['box-3']);
  });

  it('searches id, name, community and responsible person', () => {
    expect(ids(filterDevices(fleet, { text: '郑陆' }))).toEqual(['box-3']);
    expect(ids(filterDevices(fleet, { text: 'CAM-2' }))).toEqual(['cam-2']);
    expect(filterDevices(fleet, { text: '李明' })).toHaveLength(4);
  });

  it('puts offline devices first, then faulty, then low battery', () => {
    expect(filterDevices(fleet, {}).map((d) => d.id)).toEqual(['box-2', 'cam-3', 'cam-4', 'box-4', 'cam-2', 'box-3', 'box-1', 'cam-1']);
  });

  it('counts what the KPI cards show', () => {
    expect(healthCounts(fleet)).toEqual({
      total: 8,
      online: 5,
      offline: 3,
      withFaults: 2,
      lowBattery: 1,
      weakSignal: 1,
      offlineBy: [{ cause: 'unknown', count: 3 }],
      boxes: { total: 4, online: 3 },
      cameras: { total: 4, online: 2, streamDown: 1 },
      scales: { total: 0, online: 0 },
    });
  });

  it('counts weighbridges as their own kind, never as cameras, and filters them by kind=scale', () => {
    const scale = camera('scale-ts-01', { streamOk: null, frameRate: null, uptimeS: null }, { kind: 'scale', cameraPointType: null, siteId: 'ts-01' });
    const offlineScale = camera('scale-sc-01', { online: false, streamOk: null }, { kind: 'scale', cameraPointType: null, siteId: 'sc-01' });
    const withScales = [...fleet, scale, offlineScale];
    expect(healthCounts(withScales)).toMatchObject({ cameras: { total: 4, online: 2, streamDown: 1 }, scales: { total: 2, online: 1 }, withFaults: 2 });
    expect(facetCounts(withScales, {}).kind).toEqual({ all: 10, box: 4, camera: 4, scale: 2 });
    expect(ids(filterDevices(withScales, parseHealthFilter('kind=scale')))).toEqual(['scale-sc-01', 'scale-ts-01']);
  });

  it('counts each option given the other filters', () => {
    expect(facetCounts(fleet, {})).toEqual({ kind: { all: 8, box: 4, camera: 4, scale: 0 }, status: { all: 8, online: 5, offline: 3 }, faults: 2, lowBattery: 1, weakSignal: 1 });
    // Cameras chosen: the status options count cameras; the kind options still count every kind.
    expect(facetCounts(fleet, { kind: 'camera' })).toEqual({ kind: { all: 8, box: 4, camera: 4, scale: 0 }, status: { all: 4, online: 2, offline: 2 }, faults: 1, lowBattery: 0, weakSignal: 0 });
    expect(facetCounts(fleet, { status: 'offline' }).kind).toEqual({ all: 3, box: 1, camera: 2, scale: 0 });
    // Weak signal chosen: the other options count the weak-signal devices only.
    expect(facetCounts(fleet, { weakSignal: true })).toMatchObject({ kind: { all: 1, box: 1, camera: 0, scale: 0 }, lowBattery: 1, weakSignal: 1 });
  });

  it('round-trips the filter through the URL and drops what it does not know', () => {
    const filter = { kind: 'camera', subdistrict: 'hongmei', status: 'offline', faults: true, lowBattery: true, weakSignal: true, text: '红梅' } as const;
    expect(parseHealthFilter(formatHealthFilter(filter))).toEqual(filter);
    expect(parseHealthFilter('kind=bus&subdistrict=atlantis&status=maybe&faults=yes')).toEqual({});
    expect(formatHealthFilter({})).toBe('');
  });
});

describe('signal quality', () => {
  it.each([
    [-60, 'good'],
    [-85, 'good'],
    [-86, 'fair'],
    [-100, 'fair'],
    [-101, 'poor'],
    [-115, 'poor'],
    [-140, 'poor'],
    [null, 'none'],
  ] as const)('%s dBm is %s', (rssi, quality) => {
    expect(signalQuality(rssi)).toBe(quality);
  });

  it('counts weak signal from the last report, offline or not, and never for a device without a reading', () => {
    const devices = [
      box('b-good', {}, {}, { rssiDbm: -70 }),
      box('b-fair', {}, {}, { rssiDbm: -100 }),
      box('b-poor', {}, {}, { rssiDbm: -101 }),
      box('b-poor-offline', {}, {}, { rssiDbm: -120, online: false }),
      box('b-none', {}, {}, { rssiDbm: null }),
      camera('c-none'),
    ];
    expect(healthCounts(devices).weakSignal).toBe(2);
    expect(ids(filterDevices(devices, { weakSignal: true }))).toEqual(['b-poor', 'b-poor-offline']);
  });
});

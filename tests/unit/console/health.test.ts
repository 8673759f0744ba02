import { describe, expect, it } from 'vitest';
import {
  facetCounts,
  filterDevices,
  formatHealthFilter,
  formatUptime,
  healthCounts,
  parseHealthFilter,
  signalQuality,
} from '../../../services/console/core/health.ts';
import { box, camera } from './fixtures.ts';

const fleet = [
  box('box-1', { paper: 0.2 }),
  box('box-2', { paper: 0.2 }, {}, { online: false }),
  box('box-3', { paper: 0.2 }, { subdistrict: 'zhenglu', community: '郑陆花园' }, { batteryPercent: 12, powerSource: 'battery' }),
  box('box-4', { paper: 0.2 }, {}, { activeFaults: ['tilt'] }),
  camera('cam-1'),
  camera('cam-2', { streamOk: false }),
  camera('cam-3', { online: false }),
];
const ids = (list: { id: string }[]) => list.map((d) => d.id).sort();

describe('device health filters', () => {
  it('filters by kind, subdistrict and status', () => {
    expect(ids(filterDevices(fleet, { kind: 'camera' }))).toEqual(['cam-1', 'cam-2', 'cam-3']);
    expect(ids(filterDevices(fleet, { subdistrict: 'zhenglu' }))).toEqual(['box-3']);
    expect(ids(filterDevices(fleet, { status: 'offline' }))).toEqual(['box-2', 'cam-3']);
    expect(ids(filterDevices(fleet, { kind: 'box', status: 'online' }))).toEqual(['box-1', 'box-3', 'box-4']);
  });

  it('counts a camera with its stream down as faulty, and a battery below 20 % as low', () => {
    expect(ids(filterDevices(fleet, { faults: true }))).toEqual(['box-4', 'cam-2']);
    expect(ids(filterDevices(fleet, { lowBattery: true }))).toEqual(['box-3']);
  });

  it('searches id, name, community and responsible person', () => {
    expect(ids(filterDevices(fleet, { text: '郑陆' }))).toEqual(['box-3']);
    expect(ids(filterDevices(fleet, { text: 'CAM-2' }))).toEqual(['cam-2']);
    expect(filterDevices(fleet, { text: '李明' })).toHaveLength(3);
  });

  it('puts offline devices first, then faulty, then low battery', () => {
    expect(filterDevices(fleet, {}).map((d) => d.id)).toEqual(['box-2', 'cam-3', 'box-4', 'cam-2', 'box-3', 'box-1', 'cam-1']);
  });

  it('counts what the KPI cards show', () => {
    expect(healthCounts(fleet)).toEqual({
      total: 7,
      online: 5,
      offline: 2,
      withFaults: 2,
      lowBattery: 1,
      boxes: { total: 4, online: 3 },
      cameras: { total: 3, online: 2, streamDown: 1 },
    });
  });

  it('counts each option given the other filters', () => {
    expect(facetCounts(fleet, {})).toEqual({ kind: { all: 7, box: 4, camera: 3 }, status: { all: 7, online: 5, offline: 2 }, faults: 2, lowBattery: 1 });
    // Cameras chosen: the status options count cameras; the kind options still count every kind.
    expect(facetCounts(fleet, { kind: 'camera' })).toEqual({ kind: { all: 7, box: 4, camera: 3 }, status: { all: 3, online: 2, offline: 1 }, faults: 1, lowBattery: 0 });
    expect(facetCounts(fleet, { status: 'offline' }).kind).toEqual({ all: 2, box: 1, camera: 1 });
  });

  it('round-trips the filter through the URL and drops what it does not know', () => {
    const filter = { kind: 'camera', subdistrict: 'hongmei', status: 'offline', faults: true, lowBattery: true, text: '红梅' } as const;
    expect(parseHealthFilter(formatHealthFilter(filter))).toEqual(filter);
    expect(parseHealthFilter('kind=bus&subdistrict=atlantis&status=maybe&faults=yes')).toEqual({});
    expect(formatHealthFilter({})).toBe('');
  });
});

describe('signal and uptime', () => {
  it.each([
    [-60, 'good'],
    [-85, 'good'],
    [-86, 'fair'],
    [-100, 'fair'],
    [-101, 'poor'],
    [null, 'unknown'],
  ] as const)('%s dBm is %s', (rssi, quality) => {
    expect(signalQuality(rssi)).toBe(quality);
  });

  it('formats a camera uptime', () => {
    expect(formatUptime(null)).toBe('–');
    expect(formatUptime(59)).toBe('0 min');
    expect(formatUptime(3_900)).toBe('1 h 05 min');
    expect(formatUptime(2 * 86_400 + 4 * 3_600)).toBe('2 d 4 h');
  });
});

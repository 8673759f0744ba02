/** Devices, commands and silences shared by the alert lifecycle tests. */
import type { Device, Silence } from '../../../shared/contracts/index.ts';
import { TEST_BOX } from '../../support/devices.ts';
import type { AlertCommand } from '../../../services/alerts/core/ports.ts';
import { alertText } from '../../../services/alerts/core/titles.ts';

/** 2026-11-26 10:00 in Changzhou. */
export const T0 = Date.parse('2026-11-26T10:00:00+08:00');
export const MIN = 60_000;
export const iso = (ms: number): string => new Date(ms).toISOString();

export const BOX: Device = TEST_BOX;

export const BOX_2: Device = { ...BOX, id: 'box-0002', subdistrict: 'lanling', community: 'lanling-south', gridCell: 'LL-02', responsiblePerson: 'Li Na' };

export const CAMERA: Device = {
  ...BOX,
  id: 'cam-0001',
  kind: 'camera',
  name: 'Yanling Road market',
  compartments: [],
  cameraPointType: 'market',
};

export type Raise = Extract<AlertCommand, { op: 'raise' }>;

export function binFull(at: number, overrides: Partial<Raise> = {}, device: Device = BOX): Raise {
  return {
    op: 'raise',
    key: `bin_full:${device.id}:paper`,
    type: 'bin_full',
    severity: 'warning',
    ...alertText('bin_full.level', { place: device.name, category: 'paper', percent: 92 }),
    subject: { device, compartment: 'paper' },
    evidence: { fillingLevel: 0.92 },
    at,
    ...overrides,
  };
}

export function offline(at: number, device: Device = BOX): Raise {
  return {
    op: 'raise',
    key: `device_offline:${device.id}`,
    type: 'device_offline',
    severity: 'warning',
    ...alertText('device_offline.went_offline', { place: device.name }),
    subject: { device },
    evidence: {},
    at,
  };
}

export function areaOutage(at: number): Raise {
  return {
    op: 'raise',
    key: 'area_outage:community:hongmei-xincun',
    type: 'area_outage',
    severity: 'critical',
    ...alertText('area_outage.community', { community: 'hongmei-xincun', offline: 5, total: 6 }),
    subject: { area: { level: 'community', name: 'hongmei-xincun', subdistrict: 'hongmei' } },
    evidence: { offlineDevices: 5, areaDevices: 6 },
    at,
  };
}

export function silence(matcher: Silence['matcher'], overrides: Partial<Silence> = {}): Silence {
  return {
    id: 'si-1',
    matcher,
    startsAt: iso(T0 - 60 * MIN),
    endsAt: iso(T0 + 60 * MIN),
    createdBy: 'ops',
    reason: 'maintenance',
    createdAt: iso(T0 - 60 * MIN),
    ...overrides,
  };
}

/**
 * The engineers' device-health view: filters, counts and what counts as "low battery" or a
 * weak signal. The filter round-trips through the URL hash, so a filtered view can be
 * bookmarked or sent to a colleague.
 */
import type { DeviceKind, DeviceWithState, Subdistrict } from '../../../shared/contracts/index.ts';
import { SUBDISTRICTS } from './vocabulary.ts';

/** The low_battery alert fires below 15 % and clears above 20 %: list what will need a visit soon. */
export const LOW_BATTERY_PERCENT = 20;

export interface HealthFilter {
  kind?: DeviceKind;
  subdistrict?: Subdistrict;
  status?: 'online' | 'offline';
  faults?: boolean;
  lowBattery?: boolean;
  /** Matches id, name, community, responsible person (case-insensitive). */
  text?: string;
}

export const isLowBattery = (device: DeviceWithState): boolean =>
  device.state.batteryPercent !== null && device.state.batteryPercent < LOW_BATTERY_PERCENT;

/** A fault the device reports, or a camera whose stream is down. */
export const hasFaults = (device: DeviceWithState): boolean =>
  device.state.activeFaults.length > 0 || (device.kind === 'camera' && device.state.streamOk === false);

export type SignalQuality = 'good' | 'fair' | 'poor' | 'unknown';

/** Cellular and NB-IoT rules of thumb: above −85 dBm solid, below −100 dBm messages get lost. */
export function signalQuality(rssiDbm: number | null): SignalQuality {
  if (rssiDbm === null) return 'unknown';
  if (rssiDbm >= -85) return 'good';
  if (rssiDbm >= -100) return 'fair';
  return 'poor';
}

export function matchesHealthFilter(device: DeviceWithState, filter: HealthFilter): boolean {
  if (filter.kind !== undefined && device.kind !== filter.kind) return false;
  if (filter.subdistrict !== undefined && device.subdistrict !== filter.subdistrict) return false;
  if (filter.status === 'online' && !device.state.online) return false;
  if (filter.status === 'offline' && device.state.online) return false;
  if (filter.faults && !hasFaults(device)) return false;
  if (filter.lowBattery && !isLowBattery(device)) return false;
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    const haystack = [device.id, device.name, device.community, device.responsiblePerson, device.gridCell].join(' ').toLowerCase();
    if (!haystack.includes(text)) return false;
  }
  return true;
}

/**
 * The filtered devices, most urgent first: offline, then with faults, then low battery, then
 * by id. Engineers start from the top.
 */
export function filterDevices(devices: readonly DeviceWithState[], filter: HealthFilter): DeviceWithState[] {
  const urgency = (d: DeviceWithState) => (d.state.online ? 0 : 4) + (hasFaults(d) ? 2 : 0) + (isLowBattery(d) ? 1 : 0);
  return devices.filter((d) => matchesHealthFilter(d, filter)).sort((a, b) => urgency(b) - urgency(a) || a.id.localeCompare(b.id));
}

export interface HealthCounts {
  total: number;
  online: number;
  offline: number;
  withFaults: number;
  lowBattery: number;
  boxes: { total: number; online: number };
  cameras: { total: number; online: number; streamDown: number };
}

export function healthCounts(devices: readonly DeviceWithState[]): HealthCounts {
  const counts: HealthCounts = {
    total: 0,
    online: 0,
    offline: 0,
    withFaults: 0,
    lowBattery: 0,
    boxes: { total: 0, online: 0 },
    cameras: { total: 0, online: 0, streamDown: 0 },
  };
  for (const d of devices) {
    counts.total += 1;
    if (d.state.online) counts.online += 1;
    else counts.offline += 1;
    if (hasFaults(d)) counts.withFaults += 1;
    if (isLowBattery(d)) counts.lowBattery += 1;
    const kind = d.kind === 'box' ? counts.boxes : counts.cameras;
    kind.total += 1;
    if (d.state.online) kind.online += 1;
    if (d.kind === 'camera' && d.state.streamOk === false) counts.cameras.streamDown += 1;
  }
  return counts;
}

/**
 * The counts beside each filter option: how many devices that option would show, given the
 * other filters (faceted, as in a shop's search), so "Offline 3" means three after choosing it.
 */
export function facetCounts(devices: readonly DeviceWithState[], filter: HealthFilter) {
  const without = (key: keyof HealthFilter) => devices.filter((d) => matchesHealthFilter(d, { ...filter, [key]: undefined }));
  const byKind = without('kind');
  const byStatus = without('status');
  return {
    kind: { all: byKind.length, box: byKind.filter((d) => d.kind === 'box').length, camera: byKind.filter((d) => d.kind === 'camera').length },
    status: { all: byStatus.length, online: byStatus.filter((d) => d.state.online).length, offline: byStatus.filter((d) => !d.state.online).length },
    faults: without('faults').filter(hasFaults).length,
    lowBattery: without('lowBattery').filter(isLowBattery).length,
  };
}

/** `kind=camera&status=offline&faults=1` ⇄ HealthFilter; unknown or bad values are dropped. */
export function parseHealthFilter(query: string): HealthFilter {
  const params = new URLSearchParams(query);
  const filter: HealthFilter = {};
  const kind = params.get('kind');
  if (kind === 'box' || kind === 'camera') filter.kind = kind;
  const subdistrict = params.get('subdistrict');
  if (subdistrict !== null && (SUBDISTRICTS as readonly string[]).includes(subdistrict)) filter.subdistrict = subdistrict as Subdistrict;
  const status = params.get('status');
  if (status === 'online' || status === 'offline') filter.status = status;
  if (params.get('faults') === '1') filter.faults = true;
  if (params.get('lowBattery') === '1') filter.lowBattery = true;
  const text = params.get('q');
  if (text) filter.text = text;
  return filter;
}

export function formatHealthFilter(filter: HealthFilter): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.subdistrict) params.set('subdistrict', filter.subdistrict);
  if (filter.status) params.set('status', filter.status);
  if (filter.faults) params.set('faults', '1');
  if (filter.lowBattery) params.set('lowBattery', '1');
  if (filter.text?.trim()) params.set('q', filter.text.trim());
  return params.toString();
}

/** "3 h 05 min", "2 d 4 h": a camera's uptime. */
export function formatUptime(uptimeS: number | null): string {
  if (uptimeS === null) return '–';
  const minutes = Math.floor(uptimeS / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (days > 0) return `${days} d ${hours % 24} h`;
  if (hours > 0) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${minutes} min`;
}

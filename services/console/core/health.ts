/**
 * The engineers' device-health view: filters, counts and what counts as "low battery" or a
 * weak signal. The filter round-trips through the URL hash, so a filtered view can be
 * bookmarked or sent to a colleague.
 */
import type { DeviceKind, DeviceWithState, Subdistrict } from '../../../shared/contracts/index.ts';
import { isStreamDown, NO_OUTAGES, offlineByCause, type AreaOutages, type OfflineCause } from './health-status.ts';
import { SUBDISTRICTS } from '../../../shared/vocabulary.ts';

/** The low_battery alert fires below 15 % and clears above 20 %: list what will need a visit soon. */
export const LOW_BATTERY_PERCENT = 20;

export interface HealthFilter {
  kind?: DeviceKind;
  subdistrict?: Subdistrict;
  status?: 'online' | 'offline';
  faults?: boolean;
  lowBattery?: boolean;
  weakSignal?: boolean;
  /** Matches id, name, community, responsible person (case-insensitive). */
  text?: string;
}

export const isLowBattery = (device: DeviceWithState): boolean =>
  device.state.batteryPercent !== null && device.state.batteryPercent < LOW_BATTERY_PERCENT;

/** A fault the device reports, or a camera whose stream is down now. */
export const hasFaults = (device: DeviceWithState): boolean => device.state.activeFaults.length > 0 || isStreamDown(device);

/** 'none': no reading (cameras report none; a box before its first telemetry). */
export type SignalQuality = 'good' | 'fair' | 'poor' | 'none';

/**
 * Buckets by RSSI, after the bands cellular-modem makers publish for AT+CSQ (−113 + 2·CSQ dBm):
 * −85 dBm and above is good; down to −100 dBm the link works, with a retry now and then; below
 * −100 dBm, deep in what those guides call marginal, messages get lost and every retransmission
 * drains a battery box: the weak signal an engineer should go and fix (antenna, placement).
 * NB-IoT boxes still connect there by repeating each message (coverage extension), at the same
 * battery cost, and the device state does not say which network a box uses: one line for all.
 */
export const SIGNAL_GOOD_FROM_DBM = -85;
export const SIGNAL_FAIR_FROM_DBM = -100;

export function signalQuality(rssiDbm: number | null): SignalQuality {
  if (rssiDbm === null) return 'none';
  if (rssiDbm >= SIGNAL_GOOD_FROM_DBM) return 'good';
  if (rssiDbm >= SIGNAL_FAIR_FROM_DBM) return 'fair';
  return 'poor';
}

/** The last reported signal is poor (also for an offline device: a weak link often explains why). */
export const hasWeakSignal = (device: DeviceWithState): boolean => signalQuality(device.state.rssiDbm) === 'poor';

export function matchesHealthFilter(device: DeviceWithState, filter: HealthFilter): boolean {
  if (filter.kind !== undefined && device.kind !== filter.kind) return false;
  if (filter.subdistrict !== undefined && device.subdistrict !== filter.subdistrict) return false;
  if (filter.status === 'online' && !device.state.online) return false;
  if (filter.status === 'offline' && device.state.online) return false;
  if (filter.faults && !hasFaults(device)) return false;
  if (filter.lowBattery && !isLowBattery(device)) return false;
  if (filter.weakSignal && !hasWeakSignal(device)) return false;
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
  weakSignal: number;
  /** Offline devices per cause, most first (the Offline KPI's split). */
  offlineBy: { cause: OfflineCause; count: number }[];
  boxes: { total: number; online: number };
  /** streamDown: online cameras whose stream is down. */
  cameras: { total: number; online: number; streamDown: number };
  /** Weighbridges (issue 14): no fill, no stream, only whether they are heard. */
  scales: { total: number; online: number };
}

export function healthCounts(devices: readonly DeviceWithState[], outages: AreaOutages = NO_OUTAGES): HealthCounts {
  const counts: HealthCounts = {
    total: 0,
    online: 0,
    offline: 0,
    withFaults: 0,
    lowBattery: 0,
    weakSignal: 0,
    offlineBy: offlineByCause(devices, outages),
    boxes: { total: 0, online: 0 },
    cameras: { total: 0, online: 0, streamDown: 0 },
    scales: { total: 0, online: 0 },
  };
  for (const d of devices) {
    counts.total += 1;
    if (d.state.online) counts.online += 1;
    else counts.offline += 1;
    if (hasFaults(d)) counts.withFaults += 1;
    if (isLowBattery(d)) counts.lowBattery += 1;
    if (hasWeakSignal(d)) counts.weakSignal += 1;
    const kind = d.kind === 'box' ? counts.boxes : d.kind === 'camera' ? counts.cameras : counts.scales;
    kind.total += 1;
    if (d.state.online) kind.online += 1;
    if (isStreamDown(d)) counts.cameras.streamDown += 1;
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
    kind: {
      all: byKind.length,
      box: byKind.filter((d) => d.kind === 'box').length,
      camera: byKind.filter((d) => d.kind === 'camera').length,
      scale: byKind.filter((d) => d.kind === 'scale').length,
    },
    status: { all: byStatus.length, online: byStatus.filter((d) => d.state.online).length, offline: byStatus.filter((d) => !d.state.online).length },
    faults: without('faults').filter(hasFaults).length,
    lowBattery: without('lowBattery').filter(isLowBattery).length,
    weakSignal: without('weakSignal').filter(hasWeakSignal).length,
  };
}

/** `kind=camera&status=offline&faults=1` ⇄ HealthFilter; unknown or bad values are dropped. */
export function parseHealthFilter(query: string): HealthFilter {
  const params = new URLSearchParams(query);
  const filter: HealthFilter = {};
  const kind = params.get('kind');
  if (kind === 'box' || kind === 'camera' || kind === 'scale') filter.kind = kind;
  const subdistrict = params.get('subdistrict');
  if (subdistrict !== null && (SUBDISTRICTS as readonly string[]).includes(subdistrict)) filter.subdistrict = subdistrict as Subdistrict;
  const status = params.get('status');
  if (status === 'online' || status === 'offline') filter.status = status;
  if (params.get('faults') === '1') filter.faults = true;
  if (params.get('lowBattery') === '1') filter.lowBattery = true;
  if (params.get('weakSignal') === '1') filter.weakSignal = true;
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
  if (filter.weakSignal) params.set('weakSignal', '1');
  if (filter.text?.trim()) params.set('q', filter.text.trim());
  return params.toString();
}

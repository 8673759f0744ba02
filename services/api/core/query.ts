/** Pure helpers behind the read routes: filtering and paging devices, district-local days. */
import type { Device, DeviceKind, DeviceState, DeviceWithState, Subdistrict } from '../../../shared/contracts/index.ts';

/** What a device that never sent anything looks like: offline, nothing known. */
export function emptyDeviceState(): DeviceState {
  return {
    online: false,
    lastSeen: null,
    statusChangedAt: null,
    compartments: [],
    maxFillingLevel: null,
    temperatureC: null,
    powerSource: null,
    batteryPercent: null,
    lid: null,
    containerStatus: null,
    rssiDbm: null,
    streamOk: null,
    frameRate: null,
    uptimeS: null,
    activeFaults: [],
    messagesReceived: 0,
  };
}

export function withState(device: Device, state: DeviceState | undefined): DeviceWithState {
  return { ...device, state: state ?? emptyDeviceState() };
}

export interface DeviceListFilter {
  kind?: DeviceKind;
  subdistrict?: Subdistrict;
  online?: boolean;
  fillAbove?: number;
  limit: number;
  offset: number;
}

export interface DeviceListResult {
  total: number;
  online: number;
  items: DeviceWithState[];
}

/**
 * Filters, sorts by id and pages. `total` and `online` count every match before paging, so a
 * client can page through and still show "n of total, m online".
 */
export function listDevices(
  devices: readonly Device[],
  states: ReadonlyMap<string, DeviceState>,
  filter: DeviceListFilter,
): DeviceListResult {
  const matching = devices
    .filter((d) => filter.kind === undefined || d.kind === filter.kind)
    .filter((d) => filter.subdistrict === undefined || d.subdistrict === filter.subdistrict)
    .map((d) => withState(d, states.get(d.id)))
    .filter((d) => filter.online === undefined || d.state.online === filter.online)
    .filter(
      (d) =>
        filter.fillAbove === undefined ||
        (d.state.maxFillingLevel !== null && d.state.maxFillingLevel >= filter.fillAbove),
    )
    // Plain code-unit order: stable across locales, the same order SQLite's default gives.
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    total: matching.length,
    online: matching.filter((d) => d.state.online).length,
    items: matching.slice(filter.offset, filter.offset + filter.limit),
  };
}

/** The district-local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(epochMs: number, utcOffsetMinutes: number): string {
  return new Date(epochMs + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

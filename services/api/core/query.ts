/** Pure helpers behind the read routes: filtering and paging devices, */
import {
  emptyDeviceState,
  type Device,
  type DeviceKind,
  type DeviceState,
  type DeviceWithState,
  type Subdistrict,
} from '../../../shared/contracts/index.ts';

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

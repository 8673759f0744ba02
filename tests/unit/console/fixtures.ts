/** Devices with state, as GET /api/v1/devices returns them, for the console's view logic. */
import { emptyDeviceState, type CompartmentReading, type DeviceState, type DeviceWithState, type WasteCategory } from '../../../shared/contracts/index.ts';

export function box(id: string, levels: Partial<Record<WasteCategory, number>>, overrides: Partial<DeviceWithState> = {}, state: Partial<DeviceState> = {}): DeviceWithState {
  const compartments: CompartmentReading[] = Object.entries(levels).map(([category, fillingLevel]) => ({
    category: category as WasteCategory,
    fillingLevel: fillingLevel!,
    weightKg: fillingLevel! * 100,
  }));
  return {
    id,
    kind: 'box',
    name: `新天地花苑 ${id}`,
    lat: 31.8,
    lon: 119.98,
    subdistrict: 'hongmei',
    community: '新天地花苑',
    address: '常州市天宁区红梅路 1 号',
    compartments: compartments.map((c) => ({ category: c.category, capacityKg: 100 })),
    cameraPointType: null,
    installedOn: '2025-01-01',
    gridCell: 'TN-HM-01',
    responsiblePerson: '王芳',
    ...overrides,
    state: {
      ...emptyDeviceState(),
      online: true,
      lastSeen: '2026-11-27T04:00:00.000Z',
      compartments,
      maxFillingLevel: compartments.length ? Math.max(...compartments.map((c) => c.fillingLevel)) : null,
      ...state,
    },
  };
}

export function camera(id: string, state: Partial<DeviceState> = {}, overrides: Partial<DeviceWithState> = {}): DeviceWithState {
  return {
    id,
    kind: 'camera',
    name: `劳动路 ${id}`,
    lat: 31.79,
    lon: 119.97,
    subdistrict: 'tianning',
    community: '劳动路',
    address: '常州市天宁区劳动路',
    compartments: [],
    cameraPointType: 'road',
    installedOn: '2024-06-01',
    gridCell: 'TN-TN-02',
    responsiblePerson: '李明',
    ...overrides,
    state: { ...emptyDeviceState(), online: true, lastSeen: '2026-11-27T04:00:00.000Z', streamOk: true, frameRate: 25, uptimeS: 3600, ...state },
  };
}

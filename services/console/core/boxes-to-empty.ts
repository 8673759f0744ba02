/**
 * The operators' work list: boxes with a compartment at or above the threshold, fullest first.
 * One row per box (a crew empties the box, not one compartment), naming its fullest
 * compartment and any others that are also due.
 */
import type { DeviceWithState, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { TO_EMPTY_THRESHOLD } from './fill-scale.ts';

export interface BoxToEmpty {
  id: string;
  name: string;
  community: string;
  /** The name already says the community ("红梅雅苑 3号回收箱" in 红梅雅苑): a list need not repeat it. */
  communityInName: boolean;
  subdistrict: Subdistrict;
  address: string;
  responsiblePerson: string;
  gridCell: string;
  /** The fullest compartment. */
  category: WasteCategory;
  fillingLevel: number;
  overflow: boolean;
  /** Further compartments at or above the threshold, fullest first. */
  alsoDue: { category: WasteCategory; fillingLevel: number }[];
  online: boolean;
  lastSeen: string | null;
}

export function boxesToEmpty(devices: readonly DeviceWithState[], threshold = TO_EMPTY_THRESHOLD): BoxToEmpty[] {
  const rows: BoxToEmpty[] = [];
  for (const device of devices) {
    if (device.kind !== 'box') continue;
    const due = device.state.compartments
      .filter((c) => c.fillingLevel >= threshold)
      // An overflowing compartment is fuller than any other at 1.0.
      .sort((a, b) => b.fillingLevel - a.fillingLevel || Number(b.overflow ?? false) - Number(a.overflow ?? false));
    const [fullest, ...rest] = due;
    if (fullest === undefined) continue;
    rows.push({
      id: device.id,
      name: device.name,
      community: device.community,
      communityInName: device.community !== '' && device.name.includes(device.community),
      subdistrict: device.subdistrict,
      address: device.address,
      responsiblePerson: device.responsiblePerson,
      gridCell: device.gridCell,
      category: fullest.category,
      fillingLevel: fullest.fillingLevel,
      overflow: fullest.overflow ?? false,
      alsoDue: rest.map((c) => ({ category: c.category, fillingLevel: c.fillingLevel })),
      online: device.state.online,
      lastSeen: device.state.lastSeen,
    });
  }
  // Fullest first; overflow before a plain 100 %; more due compartments first; then by id, so
  // the order is stable between refreshes.
  return rows.sort(
    (a, b) =>
      b.fillingLevel - a.fillingLevel ||
      Number(b.overflow) - Number(a.overflow) ||
      b.alsoDue.length - a.alsoDue.length ||
      a.id.localeCompare(b.id),
  );
}

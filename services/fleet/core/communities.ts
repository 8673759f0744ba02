/**
 * Residential communities (小区) and their registered households: the denominator of the
 * participation rate (issue 14). A community is named by its devices (Device.community); the
 * registry adds what devices do not know, how many households live there.
 */
import { Community, type Device, POINTS_PILOT_COMMUNITY } from '../../../shared/contracts/index.ts';

export interface CommunityRegistry {
  /** Creates or updates the community; throws FleetError INVALID_COMMUNITY for a bad one. */
  setCommunity(community: Community): Community;
  getCommunity(name: string): Community | undefined;
  /** By subdistrict, then name. */
  listCommunities(): Community[];
  /** All or nothing: the demo's communities at provisioning. */
  setCommunities(communities: readonly Community[]): void;
}

/** The district's registered residents over its 605 boxes (../shared/context). */
export const DISTRICT_RESIDENTS = 300_000;
export const DISTRICT_BOXES = 605;
/** People per household: Changzhou's urban average is about 2.6 (7th census, Jiangsu). */
export const PERSONS_PER_HOUSEHOLD = 2.6;
/** The pilot's registered households (../shared/context: ~800). */
export const PILOT_HOUSEHOLDS = 800;

/** ~191 households per box: the district's residents as households, shared by box. */
export const HOUSEHOLDS_PER_BOX = DISTRICT_RESIDENTS / PERSONS_PER_HOUSEHOLD / DISTRICT_BOXES;

/** 32-bit FNV-1a of a name: a stable per-community variation without a random stream. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/**
 * A demo community's registered households: its share of the district's households by box
 * count, ±15 % so communities differ (boxes went in roughly by population, not exactly); the
 * pilot has its real ~800.
 */
export function demoHouseholds(name: string, boxes: number): number {
  if (name === POINTS_PILOT_COMMUNITY) return PILOT_HOUSEHOLDS;
  const spread = 0.85 + ((nameHash(name) % 1000) / 1000) * 0.3;
  return Math.round(boxes * HOUSEHOLDS_PER_BOX * spread);
}

/** The demo registry's communities: every community the boxes name, in the boxes' order. */
export function demoCommunities(devices: readonly Device[]): Community[] {
  const boxes = new Map<string, { subdistrict: Device['subdistrict']; count: number }>();
  for (const d of devices) {
    if (d.kind !== 'box') continue;
    const seen = boxes.get(d.community);
    if (seen) seen.count++;
    else boxes.set(d.community, { subdistrict: d.subdistrict, count: 1 });
  }
  return [...boxes].map(([name, { subdistrict, count }]) => ({ name, subdistrict, households: demoHouseholds(name, count) }));
}

export type CommunityCheck = { ok: true; value: Community } | { ok: false; error: string };

export function checkCommunity(input: unknown): CommunityCheck {
  const parsed = Community.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'community'}: ${i.message}`).join('; ') };
}

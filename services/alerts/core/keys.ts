/**
 * Alert keys: one open alert per key, so the key says what counts as "the same problem".
 * The lifecycle, the API and the tests all see these strings; keep them stable.
 */
import type { DetectionType, Severity, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';

export type IntegrityAlertType = 'tilted' | 'moved' | 'vandalized';
export type AreaLevel = 'community' | 'subdistrict';

export const alertKey = {
  binFull: (deviceId: string, category: WasteCategory) => `bin_full:${deviceId}:${category}`,
  deviceOffline: (deviceId: string) => `device_offline:${deviceId}`,
  illegalDumping: (deviceId: string) => `illegal_dumping:${deviceId}`,
  cityAppearance: (deviceId: string, detectionType: DetectionType) => `city_appearance:${deviceId}:${detectionType}`,
  fireRisk: (deviceId: string) => `fire_risk:${deviceId}`,
  lidOpen: (deviceId: string) => `lid_open:${deviceId}`,
  integrity: (type: IntegrityAlertType, deviceId: string) => `${type}:${deviceId}`,
  lowBattery: (deviceId: string) => `low_battery:${deviceId}`,
  sensorFault: (deviceId: string) => `sensor_fault:${deviceId}`,
  areaOutage: (level: AreaLevel, name: string | Subdistrict) => `area_outage:${level}:${name}`,
  journalNearCap: (consumer: string) => `journal_near_cap:${consumer}`,
  /** Per box, not per plan: a box missed again while its alert is open is the same problem, counted. */
  collectionMissed: (deviceId: string) => `collection_missed:${deviceId}`,
  /** ledger_mismatch (issue 14): a trip (plate + first collection), a scale reading heavy, a day's shipments. */
  ledgerTrip: (tripId: string) => `ledger_mismatch:trip:${tripId}`,
  ledgerScale: (scaleId: string) => `ledger_mismatch:scale:${scaleId}`,
  ledgerShipments: (day: string) => `ledger_mismatch:shipped_received:${day}`,
  sensorSuspect: (deviceId: string, category: WasteCategory) => `sensor_suspect:${deviceId}:${category}`,
} as const;

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The more severe of two; an absent one counts as below info. */
export function maxSeverity(a: Severity, b: Severity | undefined): Severity {
  return b !== undefined && RANK[b] > RANK[a] ? b : a;
}

/** True when `next` is more severe than `current` (or nothing is open). */
export function escalates(next: Severity, current: Severity | undefined): boolean {
  return current === undefined || RANK[next] > RANK[current];
}

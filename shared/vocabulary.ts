/**
 * The platform's fixed lists (categories, subdistricts, device kinds, alert types, dead-letter
 * reasons...) as plain `as const` arrays, with no dependency at all (issue 16). The zod
 * contracts (shared/contracts/*) build their enums from these and re-export them; the console
 * imports them from here, so a list does not bundle zod (~450 kB) into the browser. Types stay
 * in the contracts (`import type` costs the bundle nothing).
 */

// Devices and the district

export const DEVICE_KINDS = ['box', 'camera', 'scale'] as const;

export const WASTE_CATEGORIES = ['paper', 'plastic', 'metal', 'glass', 'textile', 'other'] as const;

/** FIWARE WasteContainer.status values. */
export const CONTAINER_STATUSES = ['ok', 'lidOpen', 'dropped', 'moved', 'vandalized', 'burning'] as const;

export const SUBDISTRICTS = ['tianning', 'hongmei', 'lanling', 'chashan', 'qinglong', 'diaozhuang', 'zhenglu'] as const;

/** Display names as the district writes them. */
export const SUBDISTRICT_NAMES: Record<(typeof SUBDISTRICTS)[number], { zh: string; en: string }> = {
  tianning: { zh: '天宁街道', en: 'Tianning' },
  hongmei: { zh: '红梅街道', en: 'Hongmei' },
  lanling: { zh: '兰陵街道', en: 'Lanling' },
  chashan: { zh: '茶山街道', en: 'Chashan' },
  qinglong: { zh: '青龙街道', en: 'Qinglong' },
  diaozhuang: { zh: '雕庄街道', en: 'Diaozhuang' },
  zhenglu: { zh: '郑陆镇', en: 'Zhenglu' },
};

// What boxes and cameras report

export const POWER_SOURCES = ['mains', 'battery', 'solar'] as const;

export const FAULT_TYPES = [
  'tamper',
  'tilt',
  'moved',
  'vandalized',
  'lid_stuck',
  'sensor_fault',
  'power_loss',
  'overheat',
  'low_battery',
  'stream_lost',
] as const;

export const DETECTION_TYPES = [
  'illegal_dumping',
  'street_vending',
  'outside_store_operation',
  'disorderly_parking',
  'overflowing_bin',
] as const;

// Fleet, sites and weighing

/** Where a camera point comes from in the district's plan: 36 existing, 16 road and 2 market demonstration points. */
export const CAMERA_POINT_TYPES = ['existing', 'road', 'market'] as const;

export const SITE_KINDS = ['transfer_station', 'sorting_centre'] as const;

export const WEIGH_DIRECTIONS = ['in', 'out'] as const;

// Alerts

export const ALERT_TYPES = [
  'bin_full',
  'device_offline',
  'illegal_dumping',
  'fire_risk',
  'lid_open',
  'tilted',
  'moved',
  'vandalized',
  'low_battery',
  'sensor_fault',
  'city_appearance',
  'area_outage',
  'journal_near_cap',
  /** A planned stop not served by the end of its shift while a compartment is full (issue 13). */
  'collection_missed',
  /** A leg of the mass balance (collected → weighed in → shipped → received) lost more than its tolerance (issue 14). */
  'ledger_mismatch',
  /** A box's fill sensor disagrees with the kg deposited (stuck, jumping, drifting), or a camera saw it overflow (issue 14). */
  'sensor_suspect',
] as const;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;

/** active → acknowledged → resolved; active → resolved. A resolved alert never reopens: a new one is raised. */
export const ALERT_STATUSES = ['active', 'acknowledged', 'resolved'] as const;

// The API

export const DEAD_LETTER_REASONS = [
  'invalid_json',
  'schema_violation',
  'unknown_topic',
  'unknown_device',
  'kind_mismatch',
  'timestamp_out_of_range',
  // A box names a compartment the registry does not give it, or one twice in a message (issue 15).
  'unknown_compartment',
  'repeated_compartment',
] as const;

export const API_ROLES = ['operator', 'engineer', 'manager', 'admin'] as const;

/**
 * Why a device is offline, from what the broker saw: its connection died without DISCONNECT and
 * the broker published its last will (a device without a will lost its connection all the same);
 * it stayed silent past its keep-alive; it said goodbye (DISCONNECT, or an offline status of its
 * own, which carries a timestamp where the will has none); or the platform heard nothing from it
 * within the device's inactivity timeout (its connection may still be open).
 */
export const OFFLINE_REASONS = ['last_will', 'keepalive_timeout', 'clean_disconnect', 'silent'] as const;

export const DEMO_HISTORY_STATES = ['none', 'writing', 'done', 'failed'] as const;

// Planning

export const RELIABILITY_RATINGS = ['good', 'fair', 'poor'] as const;

export const RELIABILITY_REASONS = [
  'no_history',
  'short_history',
  'limited_history',
  'noisy_readings',
  'irregular_use',
  'recently_emptied',
  'no_recent_data',
  /** After a restart, the box's history is still being read back from the store. */
  'loading_history',
] as const;

/**
 * Proof of service (issue 13): a planned stop is
 *   done    — the box reported a collection within the shift, by its ETA + the lateness allowance;
 *   late    — collected within the shift, but after that;
 *   missed  — the shift ended and no collection came;
 *   pending — the shift is still running and no collection came yet.
 * A collection during the shift at a box no route of the plan visits is `unplanned`.
 */
export const STOP_STATUSES = ['done', 'late', 'missed', 'pending'] as const;

// The ledger

/** The stages, in the order the material flows. */
export const LEDGER_STAGES = ['deposited', 'collected', 'weighedIn', 'shipped', 'received', 'recovered', 'residue'] as const;

/**
 * A leg between two stages. Legs where stock waits (boxes, station floors) have no tolerance
 * (null): their difference is stock, not loss.
 */
export const LEDGER_LEGS = ['deposited_collected', 'collected_weighed_in', 'weighed_in_shipped', 'shipped_received', 'received_sorted'] as const;

export const TRIP_STATUSES = ['within', 'mismatch', 'missing_weigh_in', 'unknown_plate', 'open'] as const;

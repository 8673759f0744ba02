/**
 * What the console calls things. The UI is in English with the district's own (Chinese) place
 * names; every label lives here so a Chinese locale is one more table, not a hunt through views.
 */
import type { AlertType, ApiRole, DeadLetterReason, FaultType, Severity, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { SUBDISTRICT_NAMES } from './vocabulary.ts';

export const CATEGORY_LABELS: Record<WasteCategory, string> = {
  paper: 'Paper',
  plastic: 'Plastic',
  metal: 'Metal',
  glass: 'Glass',
  textile: 'Textile',
  other: 'Other',
};

/** One colour per category, the same in every chart, legend and table chip. */
export const CATEGORY_COLOURS: Record<WasteCategory, string> = {
  paper: '#3a7bd5',
  plastic: '#f2a541',
  metal: '#7b8794',
  glass: '#2bb3a3',
  textile: '#b5589b',
  other: '#a3b18a',
};

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

export const ALERT_TYPE_LABELS: Record<AlertType, string> = {
  bin_full: 'Box full',
  device_offline: 'Offline',
  illegal_dumping: 'Illegal dumping',
  fire_risk: 'Fire risk',
  lid_open: 'Lid open',
  tilted: 'Tilted',
  moved: 'Moved',
  vandalized: 'Vandalized',
  low_battery: 'Low battery',
  sensor_fault: 'Sensor fault',
  city_appearance: 'City appearance',
  area_outage: 'Area outage',
  journal_near_cap: 'Ingest backlog',
};

export const ROLE_LABELS: Record<ApiRole, string> = {
  operator: 'Recycling operator',
  engineer: 'Device engineer',
  manager: 'Manager',
  admin: 'Administrator',
};

export const FAULT_LABELS: Record<FaultType, string> = {
  tamper: 'Tamper',
  tilt: 'Tilt',
  moved: 'Moved',
  vandalized: 'Vandalized',
  lid_stuck: 'Lid stuck',
  sensor_fault: 'Sensor fault',
  power_loss: 'Power loss',
  overheat: 'Overheat',
  low_battery: 'Low battery',
  stream_lost: 'Stream lost',
};

export const DEAD_LETTER_LABELS: Record<DeadLetterReason, string> = {
  invalid_json: 'Invalid JSON',
  schema_violation: 'Schema violation',
  unknown_topic: 'Unknown topic',
  unknown_device: 'Unknown device',
  kind_mismatch: 'Wrong device kind',
  timestamp_out_of_range: 'Timestamp out of range',
};

export const CAMERA_POINT_LABELS: Record<'existing' | 'road' | 'market', string> = {
  existing: 'Camera point',
  road: 'Road demonstration point',
  market: 'Market demonstration point',
};

/** "红梅街道" as the district writes it; the English name for a subtitle. */
export function subdistrictName(subdistrict: Subdistrict): string {
  return SUBDISTRICT_NAMES[subdistrict].zh;
}

export function subdistrictEnglish(subdistrict: Subdistrict): string {
  return SUBDISTRICT_NAMES[subdistrict].en;
}

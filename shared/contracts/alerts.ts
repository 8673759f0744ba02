/**
 * Alerts: what the alert engine raises, and what the API, the SSE stream, the retained MQTT
 * topics and the webhook carry. One definition for all four.
 */
import { z } from 'zod';
import { ALERT_TYPES, SEVERITIES, ALERT_STATUSES } from '../vocabulary.ts';
import { DeviceId, DeviceKind, Subdistrict, WasteCategory } from './common.ts';

export { ALERT_TYPES, SEVERITIES, ALERT_STATUSES };

export const AlertType = z.enum(ALERT_TYPES);
export type AlertType = z.infer<typeof AlertType>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

const Instant = z.string().describe('ISO 8601 instant (UTC)');

/** Facts behind an alert, as far as its rule knows them. */
export const AlertEvidence = z.object({
  fillingLevel: z.number().optional(),
  overflow: z.boolean().optional(),
  temperatureC: z.number().optional(),
  temperatureRiseC: z.number().optional(),
  batteryPercent: z.number().optional(),
  confidence: z.number().optional(),
  zone: z.string().optional(),
  snapshotRef: z.string().optional(),
  detectionType: z.string().optional(),
  /** device_offline: connection changes counted while the alert was open (flapping). */
  transitions: z.int().optional(),
  /** area_outage: devices offline / devices in the area. */
  offlineDevices: z.int().optional(),
  areaDevices: z.int().optional(),
  lastSeen: Instant.optional(),
  fault: z.string().optional(),
  status: z.string().optional(),
  /** journal_near_cap: unconsumed journal backlog and its cap, in bytes. */
  backlogBytes: z.number().optional(),
  maxBytes: z.number().optional(),
  /** sensor_suspect (issue 14): stuck | jump | drift | camera, the kg weighed since the compartment was emptied, the level they mean, readings since emptied. */
  suspicion: z.string().optional(),
  kgSinceEmptied: z.number().optional(),
  expectedLevel: z.number().optional(),
  kgAtFull: z.number().optional(),
  readings: z.int().optional(),
  cameraId: z.string().optional(),
  /** ledger_mismatch (issue 14): the trip or day, both sides of the leg in kg, their difference (positive: lost) and the tolerance. */
  plate: z.string().optional(),
  ticketId: z.string().optional(),
  scaleId: z.string().optional(),
  day: z.string().optional(),
  leg: z.string().optional(),
  fromKg: z.number().optional(),
  toKg: z.number().optional(),
  lossKg: z.number().optional(),
  toleranceKg: z.number().optional(),
  collections: z.int().optional(),
  references: z.array(z.string()).optional(),
});
export type AlertEvidence = z.infer<typeof AlertEvidence>;

/**
 * The alert's title as a message code and its parameters, beside the English `title`, so the
 * console can say it in the user's language. Parameters are codes (category, detection type,
 * fault, subdistrict…), numbers, or proper names (device, community): never translated text.
 */
export const AlertMessage = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type AlertMessage = z.infer<typeof AlertMessage>;

export const Alert = z.object({
  id: z.string(),
  /** One open alert per key (e.g. bin_full:box-0001:paper); later occurrences update it. */
  key: z.string(),
  type: AlertType,
  severity: Severity,
  status: AlertStatus,
  title: z.string(),
  message: AlertMessage,
  deviceId: DeviceId.nullable(),
  deviceKind: DeviceKind.nullable(),
  compartment: WasteCategory.nullable(),
  /** area_outage: 'community' or 'subdistrict' and its name. */
  area: z.object({ level: z.enum(['community', 'subdistrict']), name: z.string() }).nullable(),
  subdistrict: Subdistrict.nullable(),
  community: z.string().nullable(),
  gridCell: z.string().nullable(),
  responsiblePerson: z.string().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  raisedAt: Instant,
  updatedAt: Instant,
  /** How many times the condition was seen while the alert was open (1 when raised). */
  count: z.int(),
  lastSeenAt: Instant,
  acknowledgedAt: Instant.nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgeNote: z.string().nullable(),
  resolvedAt: Instant.nullable(),
  /** 'auto' when the condition cleared, otherwise who resolved it. */
  resolvedBy: z.string().nullable(),
  resolution: z.string().nullable(),
  /** Raised while a silence matched: recorded and shown, not notified. */
  muted: z.boolean(),
  silenceId: z.string().nullable(),
  /** Held back by an area outage alert (its id): recorded, not notified. */
  inhibitedBy: z.string().nullable(),
  /** illegal_dumping at a camera point with many dumping alerts in 7 days. */
  hotspot: z.boolean(),
  evidence: AlertEvidence,
});
export type Alert = z.infer<typeof Alert>;

export const AlertTransition = z.object({
  alertId: z.string(),
  at: Instant,
  from: AlertStatus.nullable(),
  to: AlertStatus,
  by: z.string(),
  note: z.string().nullable(),
});
export type AlertTransition = z.infer<typeof AlertTransition>;

/** What a silence mutes: every given field must match (at least one is required). */
export const SilenceMatcher = z
  .strictObject({
    deviceId: DeviceId.optional(),
    kind: DeviceKind.optional(),
    subdistrict: Subdistrict.optional(),
    type: AlertType.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'name at least one of deviceId, kind, subdistrict, type');
export type SilenceMatcher = z.infer<typeof SilenceMatcher>;

export const Silence = z.object({
  id: z.string(),
  matcher: SilenceMatcher,
  startsAt: Instant,
  endsAt: Instant,
  createdBy: z.string(),
  reason: z.string(),
  createdAt: Instant,
});
export type Silence = z.infer<typeof Silence>;

export const NewSilence = z.strictObject({
  matcher: SilenceMatcher,
  startsAt: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().min(1).max(200),
});

/** One change to an alert, as the SSE stream and the webhook deliver it. */
export const AlertEvent = z.object({
  event: z.enum(['raised', 'updated', 'acknowledged', 'resolved']),
  alert: Alert,
});
export type AlertEvent = z.infer<typeof AlertEvent>;

/**
 * Retained MQTT topic of an open alert; cleared (empty retained payload) when resolved.
 * Outside binpulse/v1/<deviceId>/…, so it can never be taken for a device's topic.
 */
export const ALERT_TOPIC_ROOT = 'binpulse/alerts/v1';
export const alertTopic = (alert: Pick<Alert, 'type' | 'id'>): string => `${ALERT_TOPIC_ROOT}/${alert.type}/${alert.id}`;

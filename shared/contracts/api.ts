/** Shapes the HTTP API returns; the response schemas are the allow-list of what leaves the server. */
import { z } from 'zod';
import { DEAD_LETTER_REASONS, API_ROLES, OFFLINE_REASONS, DEMO_HISTORY_STATES } from '../vocabulary.ts';
import { CompartmentReading, FaultType, POWER_SOURCES } from './box.ts';
import { ContainerStatus, DeviceKind, Subdistrict, WasteCategory } from './common.ts';
import { Device } from './fleet.ts';

export { DEAD_LETTER_REASONS, API_ROLES, OFFLINE_REASONS, DEMO_HISTORY_STATES };

export const DeadLetterReason = z.enum(DEAD_LETTER_REASONS);
export type DeadLetterReason = z.infer<typeof DeadLetterReason>;

export const ApiRole = z.enum(API_ROLES);
export type ApiRole = z.infer<typeof ApiRole>;

const Instant = z.string().describe('ISO 8601 instant (UTC)');

export const OfflineReason = z.enum(OFFLINE_REASONS);
export type OfflineReason = z.infer<typeof OfflineReason>;

/** The latest known state of one device, kept by the ingest pipeline. */
export const DeviceState = z.object({
  online: z.boolean(),
  /** When any valid message from the device last arrived. */
  lastSeen: Instant.nullable(),
  /** When online/offline last changed. */
  statusChangedAt: Instant.nullable(),
  /**
   * Why it is offline (statusChangedAt says since when); the first reason of an outage stands.
   * Null while online, when never heard from, and when the platform itself ended the connection
   * (a restart or shutdown) and has learnt nothing since.
   */
  offlineReason: OfflineReason.nullable(),
  /**
   * The device's own time (ts) of the newest reading this state holds (telemetry, heartbeat,
   * status); a reading stamped before it goes to history only (issue 15). Null: none yet.
   */
  readingAt: Instant.nullable(),
  compartments: z.array(CompartmentReading),
  /** The fullest compartment's fillingLevel, for sorting and filtering. */
  maxFillingLevel: z.number().nullable(),
  temperatureC: z.number().nullable(),
  powerSource: z.enum(POWER_SOURCES).nullable(),
  batteryPercent: z.number().nullable(),
  lid: z.enum(['closed', 'open']).nullable(),
  containerStatus: ContainerStatus.nullable(),
  rssiDbm: z.number().nullable(),
  streamOk: z.boolean().nullable(),
  frameRate: z.number().nullable(),
  uptimeS: z.number().nullable(),
  activeFaults: z.array(FaultType),
  messagesReceived: z.int(),
});
export type DeviceState = z.infer<typeof DeviceState>;

/** The state of a device never heard from. */
export function emptyDeviceState(): DeviceState {
  return {
    online: false,
    lastSeen: null,
    statusChangedAt: null,
    offlineReason: null,
    readingAt: null,
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

export const DeviceWithState = Device.extend({ state: DeviceState });
export type DeviceWithState = z.infer<typeof DeviceWithState>;

export const DeviceListQuery = z.object({
  kind: DeviceKind.optional(),
  subdistrict: Subdistrict.optional(),
  online: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Only boxes with some compartment at or above this fillingLevel. */
  fillAbove: z.coerce.number().min(0).max(1).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});

export const DeviceList = z.object({
  total: z.int(),
  online: z.int(),
  items: z.array(DeviceWithState),
});

/** One point of a device's recent series; fields present depend on the device kind. */
export const SeriesPoint = z.object({
  ts: Instant,
  metric: z.string(),
  category: WasteCategory.nullable(),
  value: z.number(),
});
export type SeriesPoint = z.infer<typeof SeriesPoint>;

export const DeviceDetail = DeviceWithState.extend({ series: z.array(SeriesPoint) });

export const TonnageQuery = z.object({
  from: z.iso.date().describe('first day, district local time'),
  to: z.iso.date().describe('last day, inclusive'),
  subdistrict: Subdistrict.optional(),
});

export const TonnageRow = z.object({
  day: z.iso.date(),
  category: WasteCategory,
  subdistrict: Subdistrict,
  kg: z.number(),
  deposits: z.int(),
});
export type TonnageRow = z.infer<typeof TonnageRow>;

export const TonnageReport = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  utcOffsetMinutes: z.int(),
  rows: z.array(TonnageRow),
  totalKg: z.number(),
  totalDeposits: z.int(),
  byDay: z.array(z.object({ day: z.iso.date(), kg: z.number(), deposits: z.int() })),
});
export type TonnageReport = z.infer<typeof TonnageReport>;

export const DeadLetter = z.object({
  id: z.int(),
  receivedAt: Instant,
  topic: z.string(),
  deviceId: z.string().nullable(),
  reason: DeadLetterReason,
  detail: z.string(),
  /** The first bytes of the payload, as text. */
  payloadPreview: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const DeadLetterSummary = z.object({
  counts: z.record(DeadLetterReason, z.int()),
  total: z.int(),
  recent: z.array(DeadLetter),
});

/**
 * The demo fleet's history: written once, when the demo fleet is created with the simulator on
 * (DEMO_HISTORY_DAYS complete district days, then today up to `until`), through the time-series
 * store; the live fleet goes on from `until`.
 */
export const DemoHistoryStatus = z.object({
  state: z.enum(DEMO_HISTORY_STATES).describe('none: no history is being or was written since the platform started; failed: see the log'),
  fromDay: z.iso.date().nullable().describe('first day, district local time'),
  toDay: z.iso.date().nullable().describe('last complete day; today up to `until` comes on top'),
  until: Instant.nullable().describe('where the history ends and the live fleet goes on'),
  daysWritten: z.int().describe('complete days stored so far; tonnage of these days is final'),
  daysTotal: z.int(),
});
export type DemoHistoryStatus = z.infer<typeof DemoHistoryStatus>;

export const NO_DEMO_HISTORY: DemoHistoryStatus = { state: 'none', fromDay: null, toDay: null, until: null, daysWritten: 0, daysTotal: 0 };

/** The fleet's headline numbers, for every role's dashboard. */
export const Summary = z.object({
  boxes: z.int(),
  cameras: z.int(),
  online: z.object({ box: z.int(), camera: z.int() }),
  /** Boxes whose fullest compartment is at or above 90 %: what to empty next. */
  boxesAbove90: z.int(),
  /** Deposited kg since the district-local midnight; null while the time-series store is unavailable. */
  depositedKgToday: z.number().nullable(),
  /** Dead letters since the store was created. */
  deadLetters: z.int(),
  history: DemoHistoryStatus,
});
export type Summary = z.infer<typeof Summary>;

/** GET /api/v1/me: the calling token, for clients that show only what its role may do. */
export const Me = z.object({
  id: z.string(),
  name: z.string(),
  role: ApiRole,
  permissions: z.array(z.string()).describe('What the role may do, e.g. alerts:act; see the permission in each route'),
});
export type Me = z.infer<typeof Me>;

export const ApiErrorBody = z.object({
  statusCode: z.int(),
  code: z.string(),
  error: z.string(),
  message: z.string(),
});

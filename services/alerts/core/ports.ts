/**
 * The alert service's boundaries.
 *
 *   rules (pure)  --AlertCommand[]-->  lifecycle (pure) + store  --AlertEvent-->  outputs
 *                                                                               (SSE, MQTT, webhook)
 * The API reads and acts through AlertService.
 */
import type {
  Alert,
  AlertEvent,
  AlertEvidence,
  AlertMessage,
  AlertStatus,
  AlertTransition,
  AlertType,
  Device,
  DeviceKind,
  DeviceMessage,
  Severity,
  Silence,
  SilenceMatcher,
  Subdistrict,
} from '../../../shared/contracts/index.ts';
import type { SilentDevice } from '../../ingest/core/ports.ts';

/** What an alert is about: one device, an area (area_outage), or a part of the platform itself (journal_near_cap). */
export type AlertSubject =
  | { device: Device; compartment?: Alert['compartment'] }
  | { area: { level: 'community' | 'subdistrict'; name: string; subdistrict: Subdistrict } }
  | { system: { name: string } };

/** What the pure rules decide; the lifecycle turns it into alert records. */
export type AlertCommand =
  | {
      /** Opens an alert for the key, or updates the open one (count + 1, lastSeenAt, evidence, severity). */
      op: 'raise';
      key: string;
      type: AlertType;
      severity: Severity;
      /** The English title, and the same as a message code with params (./titles.ts builds both). */
      title: string;
      message: AlertMessage;
      subject: AlertSubject;
      evidence: AlertEvidence;
      at: number;
      hotspot?: boolean;
    }
  | {
      /** Resolves the open alert for the key automatically (no-op when none is open). */
      op: 'clear';
      key: string;
      at: number;
      reason: string;
    }
  | {
      /** Marks open per-device alerts as held back by an area alert (key of the area alert). */
      op: 'inhibit';
      keys: string[];
      byKey: string;
      at: number;
    };

/**
 * What the platform itself may raise or clear (AlertEngine.applySystemCommands): about itself, or
 * about a device when a platform service finds the problem (collection_missed), never an area.
 */
export type SystemAlertCommand =
  | (Extract<AlertCommand, { op: 'raise' }> & { subject: Exclude<AlertSubject, { area: unknown }> })
  | Extract<AlertCommand, { op: 'clear' }>;

export interface AlertFilter {
  status?: AlertStatus | 'open';
  type?: AlertType;
  severity?: Severity;
  deviceId?: string;
  kind?: DeviceKind;
  subdistrict?: Subdistrict;
  muted?: boolean;
  limit: number;
  offset: number;
}

export type AlertListener = (event: AlertEvent) => void;

/** What the API and the outputs need of the alert service. */
export interface AlertService {
  list(filter: AlertFilter): { total: number; items: Alert[] };
  get(id: string): Alert | undefined;
  history(id: string): AlertTransition[];
  /** Throws AlertError('ALERT_NOT_FOUND' | 'ALERT_NOT_OPEN' | 'ALERT_ALREADY_ACKNOWLEDGED'). */
  acknowledge(id: string, by: string, note: string | null): Alert;
  /** Manual resolution with a reason. Throws AlertError('ALERT_NOT_FOUND' | 'ALERT_NOT_OPEN'). */
  resolve(id: string, by: string, reason: string): Alert;
  silences(includeExpired: boolean): Silence[];
  addSilence(silence: { matcher: SilenceMatcher; startsAt: number; endsAt: number; reason: string; createdBy: string }): Silence;
  /** Throws AlertError('SILENCE_NOT_FOUND'). */
  removeSilence(id: string): void;
  /** Every raise/update/ack/resolve, after it is stored. Returns an unsubscribe function. */
  onEvent(listener: AlertListener): () => void;
}

export class AlertError extends Error {
  override name = 'AlertError';
  constructor(
    readonly code: 'ALERT_NOT_FOUND' | 'ALERT_NOT_OPEN' | 'ALERT_ALREADY_ACKNOWLEDGED' | 'SILENCE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** What the rules may know of existing alerts (the lifecycle's store answers). */
export interface AlertView {
  /** The open (active or acknowledged) alert for a key. */
  open(key: string): Alert | undefined;
  openOfType(type: AlertType): Alert[];
  /** How many alerts of the type were raised for the device since the instant, in any status (hotspots). */
  raisedSince(type: AlertType, deviceId: string, sinceMs: number): number;
}

export interface SweepDevice {
  device: Device;
  /** Last valid message from the device (epoch ms), null when never heard from. */
  lastSeenMs: number | null;
  online: boolean;
}

/**
 * The rule families, pure: they may keep in-memory rule memory (temperature windows,
 * suspect-offline marks) but do no I/O and take the time from their input. Anything that must
 * survive a restart is in the alerts (via AlertView) or in the device's lastSeen.
 */
export interface AlertRules {
  onMessage(input: { message: DeviceMessage; device: Device; at: number }, view: AlertView): AlertCommand[];
  /** The broker saw the device's connection open or close. */
  onConnection(input: { device: Device; connected: boolean; at: number }, view: AlertView): AlertCommand[];
  /** The periodic sweep: inactivity, lid open too long, area outages. */
  onSweep(input: { at: number; devices: SweepDevice[] }, view: AlertView): AlertCommand[];
  /**
   * The devices the inactivity check finds silent (no message within their timeout; not those
   * whose offline status or will arrived), with when their timeout ran out. Call after onSweep.
   */
  silentDevices(input: { at: number; devices: SweepDevice[] }): SilentDevice[];
}

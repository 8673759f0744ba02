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
  AlertStatus,
  AlertTransition,
  AlertType,
  Device,
  DeviceKind,
  Severity,
  Silence,
  SilenceMatcher,
  Subdistrict,
} from '../../../shared/contracts/index.ts';

/** What an alert is about: one device, or an area (area_outage). */
export type AlertSubject =
  | { device: Device; compartment?: Alert['compartment'] }
  | { area: { level: 'community' | 'subdistrict'; name: string; subdistrict: Subdistrict } };

/** What the pure rules decide; the lifecycle turns it into alert records. */
export type AlertCommand =
  | {
      /** Opens an alert for the key, or updates the open one (count + 1, lastSeenAt, evidence, severity). */
      op: 'raise';
      key: string;
      type: AlertType;
      severity: Severity;
      title: string;
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

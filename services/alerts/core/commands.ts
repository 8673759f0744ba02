/**
 * Building rule commands. Two policies every rule family follows:
 *
 * - Level conditions (a reading that stays true: 92% full, battery 12%, stream down) raise when
 *   no alert is open for the key or the severity goes up. Repeated identical readings do not
 *   raise again, so `count` counts escalations and re-occurrences, not report intervals.
 *   Resolving such an alert by hand while the condition still holds brings a new alert at the
 *   next evaluation (the condition is still true); a silence is the tool for a known condition.
 * - Events (a fault reported active, a camera detection) raise every time: each one is an
 *   occurrence the lifecycle counts on the open alert.
 *
 * Severity never steps down while an alert is open: the lifecycle takes the latest raise's
 * severity, so rules send the maximum of the new and the open one.
 */
import type { AlertEvidence, AlertMessage, AlertType, Device, Severity, WasteCategory } from '../../../shared/contracts/index.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { maxSeverity } from './keys.ts';

export type RaiseCommand = Extract<AlertCommand, { op: 'raise' }>;

export interface DeviceRaise {
  key: string;
  type: AlertType;
  severity: Severity;
  /** From ./titles.ts alertText(): the English title and its message code. */
  title: string;
  message: AlertMessage;
  evidence: AlertEvidence;
  compartment?: WasteCategory;
  hotspot?: boolean;
}

/** A raise about one device; the severity is kept at least as high as the open alert's. */
export function raiseForDevice(device: Device, raise: DeviceRaise, at: number, view: AlertView): RaiseCommand {
  const open = view.open(raise.key);
  const command: RaiseCommand = {
    op: 'raise',
    key: raise.key,
    type: raise.type,
    severity: maxSeverity(raise.severity, open?.severity),
    title: raise.title,
    message: raise.message,
    subject: raise.compartment ? { device, compartment: raise.compartment } : { device },
    evidence: raise.evidence,
    at,
  };
  if (raise.hotspot !== undefined) command.hotspot = raise.hotspot;
  return command;
}

/** A clear for the key, only when an alert is open for it (keeps the command stream readable). */
export function clearIfOpen(view: AlertView, key: string, at: number, reason: string): AlertCommand[] {
  return view.open(key) ? [{ op: 'clear', key, at, reason }] : [];
}

/** "Hongmei Xincun No. 3 (hongmei-xincun)": where the problem is, as people on the ground say it. */
export function place(device: Device): string {
  return device.name.includes(device.community) ? device.name : `${device.name}, ${device.community}`;
}

export const percentText = (share: number): string => `${Math.round(share * 100)}%`;

export const minutesText = (ms: number): string => `${Math.round(ms / 60_000)} min`;

export const isoInstant = (ms: number): string => new Date(ms).toISOString();

export function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

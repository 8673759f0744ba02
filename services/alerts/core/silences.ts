/**
 * Silences, pure: which silence (if any) mutes an alert about to be raised. A muted alert is
 * still recorded and shown (muted: true, silenceId); only notification outputs skip it.
 * Silences apply at raise time: an alert opened before a silence started stays unmuted.
 */
import type { AlertType, DeviceKind, Silence, Subdistrict } from '../../../shared/contracts/index.ts';
import type { AlertCommand } from './ports.ts';

/** What a silence matcher can look at on an alert (area alerts have no device or kind). */
export interface SilenceTarget {
  type: AlertType;
  deviceId: string | null;
  kind: DeviceKind | null;
  subdistrict: Subdistrict | null;
}

/** The silence target of a raise command, before any alert record exists. */
export function raiseTarget(command: Extract<AlertCommand, { op: 'raise' }>): SilenceTarget {
  const subject = command.subject;
  if ('device' in subject) {
    return { type: command.type, deviceId: subject.device.id, kind: subject.device.kind, subdistrict: subject.device.subdistrict };
  }
  if ('area' in subject) return { type: command.type, deviceId: null, kind: null, subdistrict: subject.area.subdistrict };
  return { type: command.type, deviceId: null, kind: null, subdistrict: null };
}

/** In force at `at`: startsAt inclusive, endsAt exclusive (a silence ending at 10:00 no longer mutes at 10:00). */
export function silenceActive(silence: Pick<Silence, 'startsAt' | 'endsAt'>, at: number): boolean {
  return Date.parse(silence.startsAt) <= at && at < Date.parse(silence.endsAt);
}

/** Every given matcher field must equal the target's; a matcher naming nothing matches nothing (it would mute everything). */
export function silenceMatches(silence: Silence, target: SilenceTarget, at: number): boolean {
  if (!silenceActive(silence, at)) return false;
  const { deviceId, kind, subdistrict, type } = silence.matcher;
  if (deviceId === undefined && kind === undefined && subdistrict === undefined && type === undefined) return false;
  if (deviceId !== undefined && deviceId !== target.deviceId) return false;
  if (kind !== undefined && kind !== target.kind) return false;
  if (subdistrict !== undefined && subdistrict !== target.subdistrict) return false;
  if (type !== undefined && type !== target.type) return false;
  return true;
}

/**
 * The silence recorded on a raise when several match: the one ending last (the mute the operator
 * will see lasting longest), then the lowest id, so the choice is deterministic.
 */
export function silenceFor(silences: readonly Silence[], target: SilenceTarget, at: number): Silence | undefined {
  let best: Silence | undefined;
  for (const silence of silences) {
    if (!silenceMatches(silence, target, at)) continue;
    if (!best) {
      best = silence;
      continue;
    }
    const end = Date.parse(silence.endsAt);
    const bestEnd = Date.parse(best.endsAt);
    if (end > bestEnd || (end === bestEnd && silence.id < best.id)) best = silence;
  }
  return best;
}

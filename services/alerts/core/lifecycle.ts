/**
 * The alert lifecycle, pure: turns the rules' commands and the operators' actions into alert
 * records and audit transitions. No I/O and no clock: time comes from the command or the caller,
 * ids and silences from the context. Every status change yields a transition (the audit trail).
 *
 *   (none) --raise--> active --acknowledge--> acknowledged
 *   active | acknowledged --clear (auto) | resolve (manual)--> resolved   (final: a new raise opens a new alert)
 */
import type { Alert, AlertEvent, AlertTransition, Silence } from '../../../shared/contracts/index.ts';
import { AlertError, type AlertCommand } from './ports.ts';
import { raiseTarget, silenceFor } from './silences.ts';

type RaiseCommand = Extract<AlertCommand, { op: 'raise' }>;
type ClearCommand = Extract<AlertCommand, { op: 'clear' }>;
type InhibitCommand = Extract<AlertCommand, { op: 'inhibit' }>;

/** Who changes an alert when no operator does: the rules. Also Alert.resolvedBy of auto-resolved alerts. */
export const AUTO = 'auto';

/** One stored change: the record to write, the transitions to append, the event to emit after writing. */
export interface AlertChange {
  alert: Alert;
  transitions: AlertTransition[];
  event: AlertEvent['event'];
}

export interface LifecycleContext {
  /** The open (active or acknowledged) alert for a key. */
  open(key: string): Alert | undefined;
  /** Id of an alert raised at `at`. */
  newId(at: number): string;
  /** Silences to match a raise against (expired ones are ignored by the matcher). */
  silences: readonly Silence[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A unique id that sorts by creation time: base-36 epoch ms padded to 9 characters (good until
 * the year 5188), then caller-supplied entropy (a counter and a random token) for uniqueness.
 */
export function sortableId(prefix: string, atMs: number, entropy: string): string {
  return `${prefix}-${Math.max(0, Math.floor(atMs)).toString(36).padStart(9, '0')}-${entropy}`;
}

/** Applies one command; returns the changes to store (none when the command changes nothing). */
export function applyCommand(command: AlertCommand, ctx: LifecycleContext): AlertChange[] {
  switch (command.op) {
    case 'raise':
      return [applyRaise(command, ctx.open(command.key), ctx)];
    case 'clear': {
      const change = applyClear(command, ctx.open(command.key));
      return change ? [change] : [];
    }
    case 'inhibit':
      return applyInhibit(command, ctx.open);
  }
}

export function applyRaise(command: RaiseCommand, open: Alert | undefined, ctx: Omit<LifecycleContext, 'open'>): AlertChange {
  if (open) return { alert: updateOpen(open, command), transitions: [], event: 'updated' };
  const at = iso(command.at);
  const silence = silenceFor(ctx.silences, raiseTarget(command), command.at);
  const alert: Alert = {
    id: ctx.newId(command.at),
    key: command.key,
    type: command.type,
    severity: command.severity,
    status: 'active',
    title: command.title,
    message: command.message,
    ...subjectFields(command.subject),
    raisedAt: at,
    updatedAt: at,
    count: 1,
    lastSeenAt: at,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    muted: silence !== undefined,
    silenceId: silence?.id ?? null,
    inhibitedBy: null,
    hotspot: command.hotspot ?? false,
    evidence: { ...command.evidence },
  };
  return { alert, transitions: [transition(alert.id, command.at, null, 'active', AUTO, null)], event: 'raised' };
}

/**
 * Another occurrence while open: counted, severity and title (and its message) follow the latest occurrence, evidence
 * is merged (newer facts win, older ones stay), hotspot only ever turns on. The status is kept: an
 * acknowledged alert stays acknowledged. Times never go backwards (a late message cannot rewind lastSeenAt).
 */
function updateOpen(open: Alert, command: RaiseCommand): Alert {
  const at = Math.max(command.at, Date.parse(open.lastSeenAt));
  return {
    ...open,
    severity: command.severity,
    title: command.title,
    message: command.message,
    count: open.count + 1,
    lastSeenAt: iso(at),
    updatedAt: iso(Math.max(command.at, Date.parse(open.updatedAt))),
    hotspot: open.hotspot || (command.hotspot ?? false),
    evidence: { ...open.evidence, ...command.evidence },
  };
}

/** The condition went away: resolved by 'auto' with the rule's reason. No-op when nothing is open. */
export function applyClear(command: ClearCommand, open: Alert | undefined): AlertChange | undefined {
  if (!open) return undefined;
  return close(open, command.at, AUTO, command.reason);
}

/**
 * Marks the open alerts of the keys as held back by the open area alert of `byKey` (its id).
 * Not a status change, so no transition; alerts already inhibited by it are left alone.
 */
export function applyInhibit(command: InhibitCommand, open: (key: string) => Alert | undefined): AlertChange[] {
  const area = open(command.byKey);
  if (!area) return [];
  const changes: AlertChange[] = [];
  for (const key of new Set(command.keys)) {
    const alert = open(key);
    if (!alert || alert.id === area.id || alert.inhibitedBy === area.id) continue;
    const updatedAt = iso(Math.max(command.at, Date.parse(alert.updatedAt)));
    changes.push({ alert: { ...alert, inhibitedBy: area.id, updatedAt }, transitions: [], event: 'updated' });
  }
  return changes;
}

/** An operator takes the alert on. Only an active alert can be acknowledged. */
export function acknowledge(alert: Alert, by: string, note: string | null, at: number): AlertChange {
  if (alert.status === 'resolved') throw new AlertError('ALERT_NOT_OPEN', `alert ${alert.id} is resolved`);
  if (alert.status === 'acknowledged') {
    throw new AlertError('ALERT_ALREADY_ACKNOWLEDGED', `alert ${alert.id} was acknowledged by ${alert.acknowledgedBy ?? 'someone'}`);
  }
  const when = iso(at);
  return {
    alert: { ...alert, status: 'acknowledged', acknowledgedAt: when, acknowledgedBy: by, acknowledgeNote: note, updatedAt: when },
    transitions: [transition(alert.id, at, alert.status, 'acknowledged', by, note)],
    event: 'acknowledged',
  };
}

/** An operator closes the alert with a reason (active or acknowledged). */
export function resolveManually(alert: Alert, by: string, reason: string, at: number): AlertChange {
  if (alert.status === 'resolved') throw new AlertError('ALERT_NOT_OPEN', `alert ${alert.id} is already resolved`);
  return close(alert, at, by, reason);
}

function close(alert: Alert, atMs: number, by: string, reason: string): AlertChange {
  const at = iso(atMs);
  return {
    alert: { ...alert, status: 'resolved', resolvedAt: at, resolvedBy: by, resolution: reason, updatedAt: at },
    transitions: [transition(alert.id, atMs, alert.status, 'resolved', by, reason)],
    event: 'resolved',
  };
}

function transition(alertId: string, at: number, from: Alert['status'] | null, to: Alert['status'], by: string, note: string | null): AlertTransition {
  return { alertId, at: iso(at), from, to, by, note };
}

type SubjectFields = Pick<
  Alert,
  'deviceId' | 'deviceKind' | 'compartment' | 'area' | 'subdistrict' | 'community' | 'gridCell' | 'responsiblePerson' | 'lat' | 'lon'
>;

/**
 * Device alerts copy the registry record (the alert stays readable if the device is removed); area
 * alerts name the area; system alerts (the platform itself) have no device, area or place.
 */
function subjectFields(subject: RaiseCommand['subject']): SubjectFields {
  if ('device' in subject) {
    const d = subject.device;
    return {
      deviceId: d.id,
      deviceKind: d.kind,
      compartment: subject.compartment ?? null,
      area: null,
      subdistrict: d.subdistrict,
      community: d.community,
      gridCell: d.gridCell,
      responsiblePerson: d.responsiblePerson,
      lat: d.lat,
      lon: d.lon,
    };
  }
  if ('system' in subject) return NO_SUBJECT;
  const { level, name, subdistrict } = subject.area;
  return { ...NO_SUBJECT, area: { level, name }, subdistrict, community: level === 'community' ? name : null };
}

/** An alert about no device and no place (the platform itself); areas fill in what they know. */
const NO_SUBJECT: SubjectFields = {
  deviceId: null,
  deviceKind: null,
  compartment: null,
  area: null,
  subdistrict: null,
  community: null,
  gridCell: null,
  responsiblePerson: null,
  lat: null,
  lon: null,
};

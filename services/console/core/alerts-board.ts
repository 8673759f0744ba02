/**
 * The live alert board: the open alerts, kept current from the SSE stream (a snapshot, then
 * raised / updated / acknowledged / resolved events) and from the answers to the operator's
 * own actions. Events can arrive twice (the action's answer and the stream) or out of order
 * (a reconnect's snapshot racing an event): the newer updatedAt wins.
 */
import type { Alert, AlertEvent, AlertType, ApiRole, Severity } from '../../../shared/contracts/index.ts';
import { ALERT_TYPES, SEVERITIES } from '../../../shared/vocabulary.ts';

/** Which devices' alerts to show; 'all' includes alerts without a device. */
export type KindFilter = 'box' | 'camera' | 'all';
export const KIND_FILTERS = ['box', 'camera', 'all'] as const satisfies readonly KindFilter[];

export interface BoardFilter {
  severity?: Severity;
  status?: 'active' | 'acknowledged';
  type?: AlertType;
  kind?: KindFilter;
}

/**
 * Whether an alert passes the filter. Alerts about no single device (an area outage, the ingest
 * backlog) pass every kind: an outage takes boxes and cameras alike off the air, and an operator
 * watching boxes must not miss it.
 */
export function matchesAlert(alert: Alert, filter: BoardFilter): boolean {
  return (
    (filter.severity === undefined || alert.severity === filter.severity) &&
    (filter.status === undefined || alert.status === filter.status) &&
    (filter.type === undefined || alert.type === filter.type) &&
    (filter.kind === undefined || filter.kind === 'all' || alert.deviceKind === null || alert.deviceKind === filter.kind)
  );
}

/** How many alerts each option of a filter would show, given the other filters: the counts beside the options. */
export interface AlertFacets {
  severity: Record<Severity, number> & { all: number };
  kind: Record<KindFilter, number>;
  /** Only the types with open alerts, most first (then by code, for a stable order). */
  type: { type: AlertType; count: number }[];
  /** Alerts of every type under the other filters. */
  anyType: number;
}

export function alertFacets(alerts: Iterable<Alert>, filter: BoardFilter): AlertFacets {
  const facets: AlertFacets = { severity: { info: 0, warning: 0, critical: 0, all: 0 }, kind: { box: 0, camera: 0, all: 0 }, type: [], anyType: 0 };
  const types = new Map<AlertType, number>();
  for (const alert of alerts) {
    if (matchesAlert(alert, { ...filter, severity: undefined })) {
      facets.severity[alert.severity] += 1;
      facets.severity.all += 1;
    }
    if (matchesAlert(alert, { ...filter, kind: undefined })) {
      for (const kind of KIND_FILTERS) if (matchesAlert(alert, { kind })) facets.kind[kind] += 1;
    }
    if (matchesAlert(alert, { ...filter, type: undefined })) {
      types.set(alert.type, (types.get(alert.type) ?? 0) + 1);
      facets.anyType += 1;
    }
  }
  facets.type = [...types].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  return facets;
}

/**
 * Where a role's alert list starts. Operators empty boxes: the camera points' many city-appearance
 * sightings (info, 100+ on a busy day) would bury the box alerts they act on. Engineers and
 * managers look after everything, so they start with all of it.
 */
export function defaultAlertFilter(role: ApiRole): BoardFilter {
  return role === 'operator' ? { kind: 'box' } : { kind: 'all' };
}

export class AlertBoard {
  readonly #open = new Map<string, Alert>();
  /** Ids resolved while on the board, so a late "updated" cannot bring a resolved alert back. */
  readonly #resolved = new Set<string>();
  #version = 0;

  /** Bumped on every change: views redraw only when it moved. */
  get version(): number {
    return this.#version;
  }

  get size(): number {
    return this.#open.size;
  }

  /** Replaces the board with the stream's snapshot of open alerts. */
  snapshot(items: readonly Alert[]): void {
    this.#open.clear();
    this.#resolved.clear();
    for (const alert of items) if (alert.status !== 'resolved') this.#open.set(alert.id, alert);
    this.#version += 1;
  }

  /** Applies an event or an action's answer; returns whether the board changed. */
  apply(event: Pick<AlertEvent, 'alert'>): boolean {
    const { alert } = event;
    if (alert.status === 'resolved') {
      this.#resolved.add(alert.id);
      const removed = this.#open.delete(alert.id);
      if (removed) this.#version += 1;
      return removed;
    }
    if (this.#resolved.has(alert.id)) return false;
    const known = this.#open.get(alert.id);
    if (known && Date.parse(known.updatedAt) > Date.parse(alert.updatedAt)) return false;
    this.#open.set(alert.id, alert);
    this.#version += 1;
    return true;
  }

  get(id: string): Alert | undefined {
    return this.#open.get(id);
  }

  /** Most severe first, then active before acknowledged, then the most recent. */
  list(filter: BoardFilter = {}): Alert[] {
    return [...this.#open.values()].filter((a) => matchesAlert(a, filter)).sort(compareAlerts);
  }

  facets(filter: BoardFilter): AlertFacets {
    return alertFacets(this.#open.values(), filter);
  }

  counts(): Record<Severity, number> & { total: number; active: number } {
    const counts = { info: 0, warning: 0, critical: 0, total: 0, active: 0 };
    for (const alert of this.#open.values()) {
      counts[alert.severity] += 1;
      counts.total += 1;
      if (alert.status === 'active') counts.active += 1;
    }
    return counts;
  }
}

export function compareAlerts(a: Alert, b: Alert): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    Number(a.status === 'acknowledged') - Number(b.status === 'acknowledged') ||
    Date.parse(b.lastSeenAt) - Date.parse(a.lastSeenAt) ||
    a.id.localeCompare(b.id)
  );
}

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T => value !== null && (list as readonly string[]).includes(value);

/**
 * The alert filter from the view's URL query (alertKind, alertType, severity), so a reload or a
 * language switch keeps it; what is missing or unknown falls back to the role's default.
 */
export function parseAlertFilter(query: string, role: ApiRole): BoardFilter {
  const params = new URLSearchParams(query);
  const filter = defaultAlertFilter(role);
  const kind = params.get('alertKind');
  const type = params.get('alertType');
  const severity = params.get('severity');
  if (isOneOf(KIND_FILTERS, kind)) filter.kind = kind;
  if (isOneOf(ALERT_TYPES, type)) filter.type = type;
  if (isOneOf(SEVERITIES, severity)) filter.severity = severity;
  return filter;
}

/** The query for a filter, leaving out what the role gets anyway: "" for the default. */
export function alertFilterQuery(filter: BoardFilter, role: ApiRole): string {
  const params = new URLSearchParams();
  if (filter.kind !== undefined && filter.kind !== defaultAlertFilter(role).kind) params.set('alertKind', filter.kind);
  if (filter.type !== undefined) params.set('alertType', filter.type);
  if (filter.severity !== undefined) params.set('severity', filter.severity);
  return params.toString();
}

/**
 * The live alert board: the open alerts, kept current from the SSE stream (a snapshot, then
 * raised / updated / acknowledged / resolved events) and from the answers to the operator's
 * own actions. Events can arrive twice (the action's answer and the stream) or out of order
 * (a reconnect's snapshot racing an event): the newer updatedAt wins.
 */
import type { Alert, AlertEvent, Severity } from '../../../shared/contracts/index.ts';
import { SEVERITIES } from './vocabulary.ts';

export type BoardFilter = { severity?: Severity; status?: 'active' | 'acknowledged' };

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
    return [...this.#open.values()]
      .filter((a) => (filter.severity === undefined || a.severity === filter.severity) && (filter.status === undefined || a.status === filter.status))
      .sort(compareAlerts);
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

/**
 * The alert stream's snapshot (every open alert, newest first), kept up to date from alert
 * events instead of being rebuilt per connection (issue 15): 600 EventSources connecting at
 * once used to read, validate and serialize every open alert 600 times on the event loop,
 * holding device PUBACKs back past a second.
 *
 * Each alert is serialized once per change (through the contract schema, an allow-list); the
 * whole snapshot is joined and encoded once per change, lazily, at the next connect, and the
 * same bytes go to every client that connects until the next change.
 * Pure: no I/O; the SSE hub seeds it from the alert service and feeds it the service's events.
 */
import { Alert, type AlertEvent } from '../../../shared/contracts/index.ts';

interface Entry {
  raisedAt: string;
  id: string;
  json: string;
}

/** The store's order (ORDER BY raised_at DESC, id DESC). */
function newestFirst(a: Entry, b: Entry): number {
  if (a.raisedAt !== b.raisedAt) return a.raisedAt < b.raisedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class OpenAlertSnapshot {
  private readonly open = new Map<string, Entry>();
  private bytes: Buffer | null = null;
  /** How many times the snapshot bytes were built (for tests and the metric). */
  builds = 0;

  /** `alerts`: every open alert, as the service lists them; `maxAlerts` bounds the snapshot. */
  constructor(alerts: readonly Alert[], private readonly maxAlerts: number) {
    for (const alert of alerts) this.put(alert);
  }

  apply(event: AlertEvent): void {
    if (event.event === 'resolved' || event.alert.status === 'resolved') {
      if (this.open.delete(event.alert.id)) this.bytes = null;
      return;
    }
    this.put(event.alert);
  }

  get size(): number {
    return this.open.size;
  }

  /** `{"items": Alert[]}` as UTF-8, the data of the snapshot event; the same Buffer until the next change. */
  json(): Buffer {
    if (this.bytes === null) {
      const items = [...this.open.values()].sort(newestFirst).slice(0, this.maxAlerts);
      this.bytes = Buffer.from(`{"items":[${items.map((e) => e.json).join(',')}]}`, 'utf8');
      this.builds += 1;
    }
    return this.bytes;
  }

  private put(alert: Alert): void {
    this.open.set(alert.id, { raisedAt: alert.raisedAt, id: alert.id, json: JSON.stringify(Alert.parse(alert)) });
    this.bytes = null;
  }
}

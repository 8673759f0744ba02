/**
 * An in-memory AlertService honouring the port's contract (services/alerts/core/ports.ts), for
 * the API, SSE, MQTT and webhook tests. The real engine is tested on its own; this fake also
 * records what it was asked, and lets a test emit events and count listeners.
 */
import {
  SEVERITIES,
  type Alert,
  type AlertEvent,
  type AlertTransition,
  type Silence,
  type SilenceMatcher,
} from '../../shared/contracts/index.ts';
import { AlertError, type AlertFilter, type AlertListener, type AlertService } from '../../services/alerts/core/ports.ts';

let nextAlert = 1;

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  const n = nextAlert++;
  const raisedAt = overrides.raisedAt ?? new Date(Date.UTC(2026, 4, 10, 3, 0, n % 60)).toISOString();
  return {
    id: `alt_${String(n).padStart(4, '0')}`,
    key: `bin_full:box-0001:paper:${n}`,
    type: 'bin_full',
    severity: 'warning',
    status: 'active',
    title: 'Paper compartment 92% full',
    message: { code: 'bin_full.level', params: { place: 'Qingfeng No. 1', category: 'paper', percent: 92 } },
    deviceId: 'box-0001',
    deviceKind: 'box',
    compartment: 'paper',
    area: null,
    subdistrict: 'tianning',
    community: 'Qingfeng',
    gridCell: 'TN-01-03',
    responsiblePerson: 'Wang Fang',
    lat: 31.78,
    lon: 119.97,
    raisedAt,
    updatedAt: raisedAt,
    count: 1,
    lastSeenAt: raisedAt,
    acknowledgedAt: null,
    acknowledgedBy: null,
    acknowledgeNote: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    muted: false,
    silenceId: null,
    inhibitedBy: null,
    hotspot: false,
    evidence: { fillingLevel: 0.92 },
    ...overrides,
  };
}

export const severityRank = (s: Alert['severity']) => SEVERITIES.indexOf(s);

export class FakeAlertService implements AlertService {
  readonly alerts = new Map<string, Alert>();
  readonly transitions = new Map<string, AlertTransition[]>();
  readonly silenceList: Silence[] = [];
  readonly listCalls: AlertFilter[] = [];
  readonly silenceCalls: boolean[] = [];
  readonly added: Parameters<AlertService['addSilence']>[0][] = [];
  private readonly listeners = new Set<AlertListener>();
  private nextSilence = 1;

  constructor(
    alerts: Alert[] = [],
    private readonly now: () => number = () => Date.parse('2026-05-10T04:00:00Z'),
  ) {
    for (const a of alerts) this.alerts.set(a.id, a);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Delivers an event to every listener, as the engine does after storing it. */
  emit(event: AlertEvent['event'], alert: Alert): void {
    this.alerts.set(alert.id, alert);
    for (const listener of [...this.listeners]) listener({ event, alert });
  }

  list(filter: AlertFilter) {
    this.listCalls.push(filter);
    const matching = [...this.alerts.values()]
      .filter((a) =>
        filter.status === undefined
          ? true
          : filter.status === 'open'
            ? a.status === 'active' || a.status === 'acknowledged'
            : a.status === filter.status,
      )
      .filter((a) => filter.type === undefined || a.type === filter.type)
      .filter((a) => filter.severity === undefined || a.severity === filter.severity)
      .filter((a) => filter.deviceId === undefined || a.deviceId === filter.deviceId)
      .filter((a) => filter.kind === undefined || a.deviceKind === filter.kind)
      .filter((a) => filter.subdistrict === undefined || a.subdistrict === filter.subdistrict)
      .filter((a) => filter.muted === undefined || a.muted === filter.muted)
      .sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : a.raisedAt > b.raisedAt ? -1 : 0));
    return { total: matching.length, items: matching.slice(filter.offset, filter.offset + filter.limit) };
  }

  get(id: string) {
    return this.alerts.get(id);
  }

  history(id: string) {
    return this.transitions.get(id) ?? [];
  }

  acknowledge(id: string, by: string, note: string | null): Alert {
    const alert = this.alerts.get(id);
    if (!alert) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id}`);
    if (alert.status === 'resolved') throw new AlertError('ALERT_NOT_OPEN', `${id} is resolved`);
    if (alert.status === 'acknowledged') throw new AlertError('ALERT_ALREADY_ACKNOWLEDGED', `${id} is acknowledged`);
    const at = new Date(this.now()).toISOString();
    const updated: Alert = { ...alert, status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: by, acknowledgeNote: note, updatedAt: at };
    this.record(id, alert.status, 'acknowledged', by, note, at);
    this.emit('acknowledged', updated);
    return updated;
  }

  resolve(id: string, by: string, reason: string): Alert {
    const alert = this.alerts.get(id);
    if (!alert) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id}`);
    if (alert.status === 'resolved') throw new AlertError('ALERT_NOT_OPEN', `${id} is resolved`);
    const at = new Date(this.now()).toISOString();
    const updated: Alert = { ...alert, status: 'resolved', resolvedAt: at, resolvedBy: by, resolution: reason, updatedAt: at };
    this.record(id, alert.status, 'resolved', by, reason, at);
    this.emit('resolved', updated);
    return updated;
  }

  silences(includeExpired: boolean): Silence[] {
    this.silenceCalls.push(includeExpired);
    return this.silenceList.filter((s) => includeExpired || Date.parse(s.endsAt) > this.now());
  }

  addSilence(silence: { matcher: SilenceMatcher; startsAt: number; endsAt: number; reason: string; createdBy: string }): Silence {
    this.added.push(silence);
    const created: Silence = {
      id: `sil_${this.nextSilence++}`,
      matcher: silence.matcher,
      startsAt: new Date(silence.startsAt).toISOString(),
      endsAt: new Date(silence.endsAt).toISOString(),
      createdBy: silence.createdBy,
      reason: silence.reason,
      createdAt: new Date(this.now()).toISOString(),
    };
    this.silenceList.push(created);
    return created;
  }

  removeSilence(id: string): void {
    const index = this.silenceList.findIndex((s) => s.id === id);
    if (index < 0) throw new AlertError('SILENCE_NOT_FOUND', `no silence ${id}`);
    this.silenceList.splice(index, 1);
  }

  onEvent(listener: AlertListener): () => void {
    // A wrapper per call, so subscribing the same function twice counts (and ends) twice.
    const wrapped: AlertListener = (event) => listener(event);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  private record(alertId: string, from: Alert['status'], to: Alert['status'], by: string, note: string | null, at: string): void {
    const list = this.transitions.get(alertId) ?? [];
    list.push({ alertId, at, from, to, by, note });
    this.transitions.set(alertId, list);
  }
}

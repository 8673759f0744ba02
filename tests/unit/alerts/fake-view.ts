/**
 * An in-memory AlertView that applies rule commands the way the lifecycle does: one open alert
 * per key, a raise on an open key counts and updates it, clear resolves it ('auto'), inhibit
 * marks open alerts with the area alert's id. Enough for scenarios to read like the real thing.
 */
import type { Alert, AlertType } from '../../../shared/contracts/index.ts';
import type { AlertCommand, AlertView } from '../../../services/alerts/core/ports.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

export class FakeAlertView implements AlertView {
  /** Every alert ever opened, in order (resolved ones included). */
  readonly alerts: Alert[] = [];
  private readonly openByKey = new Map<string, Alert>();
  private seq = 0;

  open(key: string): Alert | undefined {
    return this.openByKey.get(key);
  }

  openOfType(type: AlertType): Alert[] {
    return [...this.openByKey.values()].filter((a) => a.type === type);
  }

  raisedSince(type: AlertType, deviceId: string, sinceMs: number): number {
    return this.alerts.filter((a) => a.type === type && a.deviceId === deviceId && Date.parse(a.raisedAt) >= sinceMs).length;
  }

  /** Applies the commands in order and hands them back, so a test can look at both. */
  apply(commands: AlertCommand[]): AlertCommand[] {
    for (const command of commands) this.applyOne(command);
    return commands;
  }

  /** An operator resolves the open alert of the key. */
  resolve(key: string, at: number, by = 'operator'): void {
    const alert = this.openByKey.get(key);
    if (!alert) throw new Error(`nothing open for ${key}`);
    this.close(alert, at, by, 'handled');
  }

  /** Open keys, sorted: the quickest way to assert what is going on. */
  openKeys(): string[] {
    return [...this.openByKey.keys()].sort();
  }

  /** Every alert (resolved ones too) that had the key. */
  history(key: string): Alert[] {
    return this.alerts.filter((a) => a.key === key);
  }

  private applyOne(c: AlertCommand): void {
    if (c.op === 'clear') {
      const alert = this.openByKey.get(c.key);
      if (alert) this.close(alert, c.at, 'auto', c.reason);
      return;
    }
    if (c.op === 'inhibit') {
      const area = this.openByKey.get(c.byKey);
      if (!area) return;
      for (const key of c.keys) {
        const alert = this.openByKey.get(key);
        if (alert) alert.inhibitedBy = area.id;
      }
      return;
    }
    const open = this.openByKey.get(c.key);
    if (open) {
      Object.assign(open, {
        severity: c.severity,
        title: c.title,
        message: c.message,
        count: open.count + 1,
        lastSeenAt: iso(Math.max(c.at, Date.parse(open.lastSeenAt))),
        updatedAt: iso(c.at),
        hotspot: open.hotspot || (c.hotspot ?? false),
        evidence: { ...open.evidence, ...c.evidence },
      });
      return;
    }
    const device = 'device' in c.subject ? c.subject.device : undefined;
    const area = 'area' in c.subject ? c.subject.area : undefined;
    const alert: Alert = {
      id: `alert-${++this.seq}`,
      key: c.key,
      type: c.type,
      severity: c.severity,
      status: 'active',
      title: c.title,
      message: c.message,
      deviceId: device?.id ?? null,
      deviceKind: device?.kind ?? null,
      compartment: 'device' in c.subject ? (c.subject.compartment ?? null) : null,
      area: area ? { level: area.level, name: area.name } : null,
      subdistrict: device?.subdistrict ?? area?.subdistrict ?? null,
      community: device?.community ?? (area?.level === 'community' ? area.name : null),
      gridCell: device?.gridCell ?? null,
      responsiblePerson: device?.responsiblePerson ?? null,
      lat: device?.lat ?? null,
      lon: device?.lon ?? null,
      raisedAt: iso(c.at),
      updatedAt: iso(c.at),
      count: 1,
      lastSeenAt: iso(c.at),
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgeNote: null,
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
      muted: false,
      silenceId: null,
      inhibitedBy: null,
      hotspot: c.hotspot ?? false,
      evidence: { ...c.evidence },
    };
    this.alerts.push(alert);
    this.openByKey.set(c.key, alert);
  }

  private close(alert: Alert, at: number, by: string, reason: string): void {
    Object.assign(alert, { status: 'resolved', resolvedAt: iso(at), resolvedBy: by, resolution: reason, updatedAt: iso(at) });
    this.openByKey.delete(alert.key);
  }
}

import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/contracts/index.ts';
import { Alert as AlertSchema } from '../../../shared/contracts/index.ts';
import {
  acknowledge,
  applyCommand,
  resolveManually,
  sortableId,
  type AlertChange,
  type LifecycleContext,
} from '../../../services/alerts/core/lifecycle.ts';
import { AlertError, type AlertCommand } from '../../../services/alerts/core/ports.ts';
import { alertText } from '../../../services/alerts/core/titles.ts';
import { BOX, MIN, T0, areaOutage, binFull, iso, offline, silence } from './fixtures.ts';

/** A tiny in-memory "store" so the commands can be chained like the engine does. */
function harness(silences: LifecycleContext['silences'] = []) {
  const open = new Map<string, Alert>();
  let n = 0;
  const ctx: LifecycleContext = { open: (key) => open.get(key), newId: (at) => sortableId('al', at, String(++n)), silences };
  const apply = (command: AlertCommand): AlertChange[] => {
    const changes = applyCommand(command, ctx);
    for (const { alert } of changes) {
      if (alert.status === 'resolved') open.delete(alert.key);
      else open.set(alert.key, alert);
    }
    return changes;
  };
  return { open, apply };
}

const only = (changes: AlertChange[]): AlertChange => {
  expect(changes).toHaveLength(1);
  return changes[0]!;
};

describe('raise', () => {
  it('opens an active alert with the device fields, count 1 and a null→active transition', () => {
    const { alert, transitions, event } = only(harness().apply(binFull(T0, { hotspot: true })));
    expect(event).toBe('raised');
    expect(() => AlertSchema.parse(alert)).not.toThrow();
    expect(alert).toMatchObject({
      key: 'bin_full:box-0001:paper',
      type: 'bin_full',
      severity: 'warning',
      status: 'active',
      count: 1,
      raisedAt: iso(T0),
      updatedAt: iso(T0),
      lastSeenAt: iso(T0),
      deviceId: 'box-0001',
      deviceKind: 'box',
      compartment: 'paper',
      area: null,
      subdistrict: 'hongmei',
      community: 'hongmei-xincun',
      gridCell: 'HM-07',
      responsiblePerson: 'Zhang Wei',
      lat: BOX.lat,
      lon: BOX.lon,
      muted: false,
      silenceId: null,
      inhibitedBy: null,
      hotspot: true,
      evidence: { fillingLevel: 0.92 },
    });
    expect(transitions).toEqual([{ alertId: alert.id, at: iso(T0), from: null, to: 'active', by: 'auto', note: null }]);
  });

  it('fills area fields for an area subject', () => {
    const { alert } = only(harness().apply(areaOutage(T0)));
    expect(alert).toMatchObject({
      area: { level: 'community', name: 'hongmei-xincun' },
      subdistrict: 'hongmei',
      community: 'hongmei-xincun',
      deviceId: null,
      deviceKind: null,
      lat: null,
    });
  });

  it('records the matching silence on the new alert', () => {
    const { alert } = only(harness([silence({ deviceId: 'box-0001' }, { id: 'si-7' })]).apply(binFull(T0)));
    expect(alert.muted).toBe(true);
    expect(alert.silenceId).toBe('si-7');
  });

  it('updates the open alert: count, lastSeenAt, severity, merged evidence, hotspot OR-ed', () => {
    const h = harness();
    const first = only(h.apply(binFull(T0, { hotspot: true, evidence: { fillingLevel: 0.9, overflow: false } }))).alert;
    const change = only(
      h.apply(binFull(T0 + 5 * MIN, { severity: 'critical', hotspot: false, evidence: { fillingLevel: 0.99, temperatureC: 30 } })),
    );
    expect(change.event).toBe('updated');
    expect(change.transitions).toEqual([]);
    expect(change.alert).toMatchObject({
      id: first.id,
      count: 2,
      severity: 'critical',
      status: 'active',
      raisedAt: iso(T0),
      lastSeenAt: iso(T0 + 5 * MIN),
      updatedAt: iso(T0 + 5 * MIN),
      hotspot: true,
      evidence: { fillingLevel: 0.99, overflow: false, temperatureC: 30 },
    });
  });

  it('keeps an acknowledged alert acknowledged when it occurs again', () => {
    const h = harness();
    const raised = only(h.apply(binFull(T0))).alert;
    h.open.set(raised.key, acknowledge(raised, 'ops', null, T0 + MIN).alert);
    const again = only(h.apply(binFull(T0 + 2 * MIN))).alert;
    expect(again.status).toBe('acknowledged');
    expect(again.count).toBe(2);
  });

  it('never moves lastSeenAt backwards for a late occurrence', () => {
    const h = harness();
    h.apply(binFull(T0 + 10 * MIN));
    const late = only(h.apply(binFull(T0))).alert;
    expect(late.lastSeenAt).toBe(iso(T0 + 10 * MIN));
    expect(late.count).toBe(2);
  });
});

describe('clear', () => {
  it('resolves the open alert by auto with the reason', () => {
    const h = harness();
    h.apply(binFull(T0));
    const { alert, transitions, event } = only(h.apply({ op: 'clear', key: 'bin_full:box-0001:paper', at: T0 + MIN, reason: 'emptied' }));
    expect(event).toBe('resolved');
    expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'auto', resolution: 'emptied', resolvedAt: iso(T0 + MIN) });
    expect(transitions).toEqual([{ alertId: alert.id, at: iso(T0 + MIN), from: 'active', to: 'resolved', by: 'auto', note: 'emptied' }]);
  });

  it('is a no-op when nothing is open, and a later raise opens a new alert', () => {
    const h = harness();
    expect(h.apply({ op: 'clear', key: 'bin_full:box-0001:paper', at: T0, reason: 'emptied' })).toEqual([]);
    const first = only(h.apply(binFull(T0))).alert;
    h.apply({ op: 'clear', key: first.key, at: T0 + MIN, reason: 'emptied' });
    const second = only(h.apply(binFull(T0 + 2 * MIN)));
    expect(second.event).toBe('raised');
    expect(second.alert.id).not.toBe(first.id);
    expect(second.alert.count).toBe(1);
  });
});

describe('inhibit', () => {
  it('marks the open alerts of the keys with the area alert id, once', () => {
    const h = harness();
    h.apply(offline(T0));
    const area = only(h.apply(areaOutage(T0 + MIN))).alert;
    const inhibit: AlertCommand = {
      op: 'inhibit',
      keys: ['device_offline:box-0001', 'device_offline:box-0009', area.key],
      byKey: area.key,
      at: T0 + MIN,
    };
    const change = only(h.apply(inhibit));
    expect(change.event).toBe('updated');
    expect(change.transitions).toEqual([]);
    expect(change.alert).toMatchObject({ key: 'device_offline:box-0001', inhibitedBy: area.id, status: 'active' });
    expect(h.apply(inhibit)).toEqual([]);
  });

  it('does nothing without an open area alert', () => {
    const h = harness();
    h.apply(offline(T0));
    expect(h.apply({ op: 'inhibit', keys: ['device_offline:box-0001'], byKey: 'area_outage:community:x', at: T0 })).toEqual([]);
  });
});

describe('operator actions', () => {
  const raised = () => only(harness().apply(binFull(T0))).alert;

  it('acknowledge: active → acknowledged with who, when and note', () => {
    const { alert, transitions, event } = acknowledge(raised(), 'li.na', 'truck on the way', T0 + MIN);
    expect(event).toBe('acknowledged');
    expect(alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'li.na', acknowledgedAt: iso(T0 + MIN), acknowledgeNote: 'truck on the way' });
    expect(transitions).toEqual([{ alertId: alert.id, at: iso(T0 + MIN), from: 'active', to: 'acknowledged', by: 'li.na', note: 'truck on the way' }]);
  });

  it('resolve: active or acknowledged → resolved with who and reason', () => {
    const fromActive = resolveManually(raised(), 'li.na', 'false alarm', T0 + MIN);
    expect(fromActive.alert).toMatchObject({ status: 'resolved', resolvedBy: 'li.na', resolution: 'false alarm' });
    expect(fromActive.transitions[0]).toMatchObject({ from: 'active', to: 'resolved', by: 'li.na', note: 'false alarm' });
    const acked = acknowledge(raised(), 'li.na', null, T0 + MIN).alert;
    const fromAcked = resolveManually(acked, 'wang', 'emptied by hand', T0 + 2 * MIN);
    expect(fromAcked.transitions[0]).toMatchObject({ from: 'acknowledged', to: 'resolved', by: 'wang' });
  });

  const code = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (err) {
      if (err instanceof AlertError) return err.code;
      throw err;
    }
    return undefined;
  };

  it('refuses illegal transitions with their codes', () => {
    const acked = acknowledge(raised(), 'a', null, T0 + MIN).alert;
    const resolved = resolveManually(raised(), 'a', 'done', T0 + MIN).alert;
    expect(code(() => acknowledge(acked, 'b', null, T0 + 2 * MIN))).toBe('ALERT_ALREADY_ACKNOWLEDGED');
    expect(code(() => acknowledge(resolved, 'b', null, T0 + 2 * MIN))).toBe('ALERT_NOT_OPEN');
    expect(code(() => resolveManually(resolved, 'b', 'again', T0 + 2 * MIN))).toBe('ALERT_NOT_OPEN');
  });
});

describe('sortableId', () => {
  it('sorts by time', () => {
    const ids = [T0 + 1000, T0, T0 + 1].map((t) => sortableId('al', t, 'x'));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
    expect(sortableId('al', T0, 'x')).not.toBe(sortableId('al', T0, 'y'));
  });
});

describe('system subject', () => {
  const nearCap = (at: number): AlertCommand => ({
    op: 'raise',
    key: 'journal_near_cap:timeseries',
    type: 'journal_near_cap',
    severity: 'critical',
    ...alertText('journal_near_cap.store', { percent: 83 }),
    subject: { system: { name: 'journal:timeseries' } },
    evidence: { backlogBytes: 830, maxBytes: 1000 },
    at,
  });

  it('opens an alert with no device, area or place, and a valid record', () => {
    const { alert, event } = only(harness().apply(nearCap(T0)));
    expect(event).toBe('raised');
    expect(() => AlertSchema.parse(alert)).not.toThrow();
    expect(alert).toMatchObject({
      type: 'journal_near_cap',
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
      evidence: { backlogBytes: 830, maxBytes: 1000 },
    });
  });

  it('updates the open alert on a second raise and resolves it on clear', () => {
    const h = harness();
    h.apply(nearCap(T0));
    expect(only(h.apply(nearCap(T0 + MIN))).alert.count).toBe(2);
    const cleared = only(h.apply({ op: 'clear', key: 'journal_near_cap:timeseries', at: T0 + 2 * MIN, reason: 'back below 70%' }));
    expect(cleared.alert).toMatchObject({ status: 'resolved', resolvedBy: 'auto', resolution: 'back below 70%' });
  });

  it('is muted by a silence on its type, not by one on a subdistrict', () => {
    expect(only(harness([silence({ type: 'journal_near_cap' })]).apply(nearCap(T0))).alert.muted).toBe(true);
    expect(only(harness([silence({ subdistrict: 'hongmei' })]).apply(nearCap(T0))).alert.muted).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertError } from '../../../services/alerts/core/ports.ts';
import { alertText } from '../../../services/alerts/core/titles.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { BOX, BOX_2, CAMERA, MIN, T0, binFull, iso, offline } from '../../unit/alerts-lifecycle/fixtures.ts';
import { alertsHarness, metricValue, queued, telemetryOf } from './harness.ts';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AlertError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('AlertEngine', () => {
  let h: ReturnType<typeof alertsHarness>;
  beforeEach(() => {
    h = alertsHarness();
  });
  afterEach(() => h.cleanup());

  it('stores a raise before emitting it, and counts it', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    const next = queued(rules);
    // Another connection sees the row while the listener runs: written (committed) before emitted.
    const reader = openDatabase(h.file);
    const seenByReader: unknown[] = [];
    engine.onEvent((e) => seenByReader.push(reader.prepare('SELECT status FROM alerts WHERE id = ?').pluck().get(e.alert.id)));
    next([binFull(T0)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    reader.close();

    expect(events.map((e) => e.event)).toEqual(['raised']);
    const alert = events[0]!.alert;
    expect(seenByReader).toEqual(['active']);
    expect(engine.get(alert.id)).toEqual(alert);
    expect(engine.list({ limit: 10, offset: 0 })).toEqual({ total: 1, items: [alert] });
    expect(engine.history(alert.id)).toEqual([{ alertId: alert.id, at: iso(T0), from: null, to: 'active', by: 'auto', note: null }]);
    expect(await metricValue(metrics, 'binpulse_alerts_raised_total', { type: 'bin_full', severity: 'warning' })).toBe(1);
    expect(await metricValue(metrics, 'binpulse_alerts_open', { type: 'bin_full' })).toBe(1);
  });

  it('updates the open alert on a second raise of the same key', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    const next = queued(rules);
    next([binFull(T0)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    next([binFull(T0 + MIN, { severity: 'critical', evidence: { fillingLevel: 1 } })]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);

    expect(events.map((e) => e.event)).toEqual(['raised', 'updated']);
    const { total, items } = engine.list({ limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(items[0]).toMatchObject({ id: events[0]!.alert.id, count: 2, severity: 'critical', evidence: { fillingLevel: 1 } });
    expect(await metricValue(metrics, 'binpulse_alerts_raised_total', { type: 'bin_full', severity: 'warning' })).toBe(1);
    expect(await metricValue(metrics, 'binpulse_alerts_raised_total', { type: 'bin_full', severity: 'critical' })).toBe(0);
  });

  it('acknowledge then auto clear: resolved with the full audit trail', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    const next = queued(rules);
    next([binFull(T0)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    const id = events[0]!.alert.id;
    h.clock.now = T0 + MIN;
    expect(engine.acknowledge(id, 'li.na', 'crew dispatched')).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'li.na' });
    next([{ op: 'clear', key: 'bin_full:box-0001:paper', at: T0 + 2 * MIN, reason: 'emptied' }]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0 + 2 * MIN);

    expect(events.map((e) => e.event)).toEqual(['raised', 'acknowledged', 'resolved']);
    expect(engine.get(id)).toMatchObject({ status: 'resolved', resolvedBy: 'auto', resolution: 'emptied', acknowledgeNote: 'crew dispatched' });
    expect(engine.history(id).map((t) => [t.from, t.to, t.by])).toEqual([
      [null, 'active', 'auto'],
      ['active', 'acknowledged', 'li.na'],
      ['acknowledged', 'resolved', 'auto'],
    ]);
    expect(await metricValue(metrics, 'binpulse_alerts_open', { type: 'bin_full' })).toBe(0);
  });

  it('manual resolve, and operator errors with their codes', () => {
    const { engine, rules, events } = h.open();
    engine.start();
    queued(rules)([binFull(T0)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    const id = events[0]!.alert.id;
    expect(codeOf(() => engine.acknowledge('al-missing', 'a', null))).toBe('ALERT_NOT_FOUND');
    expect(codeOf(() => engine.resolve('al-missing', 'a', 'x'))).toBe('ALERT_NOT_FOUND');
    engine.acknowledge(id, 'a', null);
    expect(codeOf(() => engine.acknowledge(id, 'b', null))).toBe('ALERT_ALREADY_ACKNOWLEDGED');
    expect(engine.resolve(id, 'b', 'false alarm')).toMatchObject({ status: 'resolved', resolvedBy: 'b', resolution: 'false alarm' });
    expect(codeOf(() => engine.resolve(id, 'b', 'again'))).toBe('ALERT_NOT_OPEN');
    expect(codeOf(() => engine.acknowledge(id, 'b', null))).toBe('ALERT_NOT_OPEN');
    expect(events.map((e) => e.event)).toEqual(['raised', 'acknowledged', 'resolved']);
    expect(engine.history(id)).toHaveLength(3);
  });

  it('silences mute new matching alerts, which are still stored and emitted', () => {
    const { engine, rules, events } = h.open();
    engine.start();
    const next = queued(rules);
    const s = engine.addSilence({ matcher: { subdistrict: 'hongmei', type: 'device_offline' }, startsAt: T0, endsAt: T0 + 60 * MIN, reason: 'works', createdBy: 'ops' });
    next([offline(T0 + MIN, BOX), offline(T0 + MIN, BOX_2), binFull(T0 + MIN)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    // After the silence ends, a new alert is not muted.
    next([offline(T0 + 61 * MIN, CAMERA)]);
    engine.handleMessage(telemetryOf(CAMERA), CAMERA, T0 + 61 * MIN);

    const muted = events.filter((e) => e.alert.muted).map((e) => [e.alert.key, e.alert.silenceId]);
    expect(muted).toEqual([['device_offline:box-0001', s.id]]);
    expect(events).toHaveLength(4);
    expect(engine.list({ muted: true, limit: 10, offset: 0 }).total).toBe(1);
    expect(engine.list({ muted: false, limit: 10, offset: 0 }).total).toBe(3);
  });

  it('lists, expires and removes silences', () => {
    const { engine } = h.open();
    const s1 = engine.addSilence({ matcher: { deviceId: 'box-0001' }, startsAt: T0 - 60 * MIN, endsAt: T0 - MIN, reason: 'past', createdBy: 'ops' });
    const s2 = engine.addSilence({ matcher: { kind: 'camera' }, startsAt: T0, endsAt: T0 + MIN, reason: 'now', createdBy: 'ops' });
    expect(s2).toMatchObject({ matcher: { kind: 'camera' }, startsAt: iso(T0), endsAt: iso(T0 + MIN), createdBy: 'ops', createdAt: iso(T0) });
    expect(engine.silences(false).map((s) => s.id)).toEqual([s2.id]);
    expect(engine.silences(true).map((s) => s.id)).toEqual([s1.id, s2.id]);
    engine.removeSilence(s2.id);
    expect(engine.silences(true).map((s) => s.id)).toEqual([s1.id]);
    expect(codeOf(() => engine.removeSilence(s2.id))).toBe('SILENCE_NOT_FOUND');
    expect(() => engine.addSilence({ matcher: {}, startsAt: T0, endsAt: T0 + MIN, reason: 'x', createdBy: 'ops' })).toThrow();
    expect(() => engine.addSilence({ matcher: { kind: 'box' }, startsAt: T0, endsAt: T0, reason: 'x', createdBy: 'ops' })).toThrow(RangeError);
  });

  it('lists by status, type, severity, device, kind, subdistrict and muted, with paging', () => {
    const { engine, rules, events } = h.open();
    engine.start();
    const next = queued(rules);
    engine.addSilence({ matcher: { deviceId: CAMERA.id }, startsAt: T0, endsAt: T0 + 60 * MIN, reason: 'x', createdBy: 'ops' });
    next([
      binFull(T0 + 1, {}, BOX),
      binFull(T0 + 2, { severity: 'critical' }, BOX_2),
      offline(T0 + 3, BOX),
      offline(T0 + 4, CAMERA),
    ]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    const [boxFull, box2Full, boxOff, camOff] = events.map((e) => e.alert.id);
    engine.acknowledge(boxFull!, 'a', null);
    engine.resolve(box2Full!, 'a', 'done');
    const ids = (f: Partial<Parameters<typeof engine.list>[0]>) => engine.list({ limit: 50, offset: 0, ...f }).items.map((a) => a.id);

    expect(ids({})).toEqual([camOff, boxOff, box2Full, boxFull]); // newest raised first
    expect(ids({ status: 'open' })).toEqual([camOff, boxOff, boxFull]);
    expect(ids({ status: 'active' })).toEqual([camOff, boxOff]);
    expect(ids({ status: 'acknowledged' })).toEqual([boxFull]);
    expect(ids({ status: 'resolved' })).toEqual([box2Full]);
    expect(ids({ type: 'device_offline' })).toEqual([camOff, boxOff]);
    expect(ids({ severity: 'critical' })).toEqual([box2Full]);
    expect(ids({ deviceId: 'box-0001' })).toEqual([boxOff, boxFull]);
    expect(ids({ kind: 'camera' })).toEqual([camOff]);
    expect(ids({ subdistrict: 'lanling' })).toEqual([box2Full]);
    expect(ids({ muted: true })).toEqual([camOff]);
    expect(ids({ status: 'open', type: 'device_offline', muted: false })).toEqual([boxOff]);
    expect(engine.list({ limit: 2, offset: 1 })).toMatchObject({ total: 4, items: [{ id: boxOff }, { id: box2Full }] });
    expect(engine.list({ limit: 2, offset: 4 })).toEqual({ total: 4, items: [] });
  });

  it('contains a throwing rule: logged, counted, and the next message is handled', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    rules.onMessageScript = () => {
      throw new Error('rule bug');
    };
    expect(() => engine.handleMessage(telemetryOf(BOX), BOX, T0)).not.toThrow();
    rules.onConnectionScript = () => {
      throw new Error('rule bug');
    };
    expect(() => engine.handleConnection(BOX.id, false, T0)).not.toThrow();
    expect(await metricValue(metrics, 'binpulse_alerts_rule_errors_total', { trigger: 'message' })).toBe(1);
    expect(await metricValue(metrics, 'binpulse_alerts_rule_errors_total', { trigger: 'connection' })).toBe(1);
    queued(rules)([binFull(T0 + MIN)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    expect(events.map((e) => e.event)).toEqual(['raised']);
  });

  it('a failing command does not drop the others of the same evaluation', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    queued(rules)([binFull(Number.NaN), offline(T0)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    expect(events.map((e) => e.alert.key)).toEqual(['device_offline:box-0001']);
    expect(await metricValue(metrics, 'binpulse_alerts_command_errors_total')).toBe(1);
  });

  it('contains a throwing listener: the alert is stored and the other listeners still get it', async () => {
    const { engine, rules, events, metrics } = h.open();
    engine.start();
    engine.onEvent(() => {
      throw new Error('webhook down');
    });
    const late: string[] = [];
    const unsubscribe = engine.onEvent((e) => late.push(e.event));
    queued(rules)([binFull(T0)]);
    expect(() => engine.handleMessage(telemetryOf(BOX), BOX, T0)).not.toThrow();
    expect(events).toHaveLength(1);
    expect(late).toEqual(['raised']);
    expect(engine.list({ limit: 10, offset: 0 }).total).toBe(1);
    expect(await metricValue(metrics, 'binpulse_alerts_listener_errors_total')).toBe(1);
    unsubscribe();
    engine.acknowledge(events[0]!.alert.id, 'a', null);
    expect(late).toEqual(['raised']);
    expect(events).toHaveLength(2);
  });

  it('passes connection changes of registered devices to the rules, ignores unknown ones', () => {
    const { engine, rules, events } = h.open();
    engine.start();
    rules.onConnectionScript = ({ device, connected, at }) => (connected ? [] : [offline(at, device)]);
    engine.handleConnection('box-9999', false, T0);
    engine.handleConnection(BOX.id, false, T0);
    engine.handleConnection(BOX.id, true, T0 + MIN);
    expect(rules.connections).toEqual([
      { deviceId: 'box-0001', connected: false },
      { deviceId: 'box-0001', connected: true },
    ]);
    expect(events.map((e) => e.alert.key)).toEqual(['device_offline:box-0001']);
  });

  it('after each sweep, hands the silent devices the rules name to its listeners; a failure is contained', async () => {
    const { engine, rules, metrics } = h.open();
    engine.start();
    const heard: string[][] = [];
    engine.onSilentDevices((devices) => heard.push(devices.map((d) => `${d.deviceId}@${d.sinceMs}`)));
    rules.silentScript = ({ devices }) => devices.filter((d) => d.device.id === BOX.id).map((d) => ({ deviceId: d.device.id, sinceMs: T0 }));
    engine.sweep(T0 + 20 * MIN);
    expect(heard).toEqual([[`box-0001@${T0}`]]);
    // Nobody silent: listeners are not called.
    rules.silentScript = () => [];
    engine.sweep(T0 + 21 * MIN);
    expect(heard).toHaveLength(1);
    rules.silentScript = () => {
      throw new Error('rule bug');
    };
    expect(() => engine.sweep(T0 + 22 * MIN)).not.toThrow();
    expect(await metricValue(metrics, 'binpulse_alerts_rule_errors_total', { trigger: 'sweep' })).toBe(1);
  });

  it('inhibit marks device alerts with the area alert id and emits the update', () => {
    const { engine, rules, events } = h.open();
    engine.start();
    const next = queued(rules);
    next([offline(T0, BOX)]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0);
    const area = {
      op: 'raise' as const,
      key: 'area_outage:subdistrict:hongmei',
      type: 'area_outage' as const,
      severity: 'critical' as const,
      ...alertText('area_outage.subdistrict', { subdistrict: 'hongmei', offline: 1, total: 1 }),
      subject: { area: { level: 'subdistrict' as const, name: 'hongmei', subdistrict: 'hongmei' as const } },
      evidence: { offlineDevices: 1, areaDevices: 1 },
      at: T0 + MIN,
    };
    next([area, { op: 'inhibit', keys: ['device_offline:box-0001'], byKey: area.key, at: T0 + MIN }]);
    engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    const areaId = events[1]!.alert.id;
    expect(events.map((e) => [e.event, e.alert.key])).toEqual([
      ['raised', 'device_offline:box-0001'],
      ['raised', 'area_outage:subdistrict:hongmei'],
      ['updated', 'device_offline:box-0001'],
    ]);
    expect(engine.get(events[0]!.alert.id)?.inhibitedBy).toBe(areaId);
  });
});

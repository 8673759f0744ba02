import cron from 'node-cron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Alert as AlertSchema } from '../../../shared/contracts/index.ts';
import { sweepCron } from '../../../services/alerts/alert-engine.ts';
import { BOX, BOX_2, CAMERA, MIN, T0, binFull, offline } from '../../unit/alerts-lifecycle/fixtures.ts';
import { alertsHarness, metricValue, queued, stateSeen, telemetryOf, type EngineHandle } from './harness.ts';

/** Open rows for a key, straight from the table. */
const openRows = (handle: EngineHandle, key: string) =>
  handle.db.prepare("SELECT COUNT(*) FROM alerts WHERE key = ? AND status != 'resolved'").pluck().get(key) as number;

describe('AlertEngine across restarts', () => {
  let h: ReturnType<typeof alertsHarness>;
  beforeEach(() => {
    h = alertsHarness();
  });
  afterEach(() => h.cleanup());

  it('reopened on the same file: the same open alerts, and a raise updates instead of duplicating', async () => {
    const first = h.open();
    first.engine.start();
    const next = queued(first.rules);
    next([binFull(T0), offline(T0, BOX_2), offline(T0, CAMERA)]);
    first.engine.handleMessage(telemetryOf(BOX), BOX, T0);
    first.engine.acknowledge(first.events[1]!.alert.id, 'ops', null);
    first.engine.resolve(first.events[2]!.alert.id, 'ops', 'fixed');
    const openBefore = first.engine.list({ status: 'open', limit: 10, offset: 0 }).items;
    h.close(first);

    const second = h.open();
    const seenAtStart: (string | undefined)[] = [];
    second.rules.onSweepScript = (_input, view) => {
      seenAtStart.push(view.open('bin_full:box-0001:paper')?.id, view.open('device_offline:box-0002')?.status);
      return [];
    };
    second.engine.start();
    expect(seenAtStart).toEqual([openBefore.find((a) => a.type === 'bin_full')!.id, 'acknowledged']);
    expect(second.engine.list({ status: 'open', limit: 10, offset: 0 }).items).toEqual(openBefore);
    expect(await metricValue(second.metrics, 'binpulse_alerts_open', { type: 'device_offline' })).toBe(1);

    queued(second.rules)([binFull(T0 + MIN), offline(T0 + MIN, BOX_2), offline(T0 + MIN, CAMERA)]);
    second.engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    expect(second.events.map((e) => [e.event, e.alert.key, e.alert.count, e.alert.status])).toEqual([
      ['updated', 'bin_full:box-0001:paper', 2, 'active'],
      ['updated', 'device_offline:box-0002', 2, 'acknowledged'],
      // The camera's alert was resolved before the restart: a new one is raised.
      ['raised', 'device_offline:cam-0001', 1, 'active'],
    ]);
    expect(second.engine.list({ limit: 10, offset: 0 }).total).toBe(4);
  });

  it('alerts stored before titles had message codes come back with a legacy message, valid for every output', () => {
    const first = h.open();
    first.engine.start();
    queued(first.rules)([binFull(T0), offline(T0, BOX_2)]);
    first.engine.handleMessage(telemetryOf(BOX), BOX, T0);
    const [full, off] = first.events.map((e) => e.alert);
    // As an older version wrote them: no message in the record.
    first.db.exec("UPDATE alerts SET record = json_remove(record, '$.message')");
    first.engine.resolve(off!.id, 'ops', 'fixed before the upgrade');
    first.db.exec("UPDATE alerts SET record = json_remove(record, '$.message')");
    h.close(first);

    const second = h.open();
    second.engine.start();
    const legacy = (title: string) => ({ code: 'legacy', params: { title } });
    expect(second.engine.get(full!.id)).toEqual({ ...full, message: legacy(full!.title) });
    expect(second.engine.get(off!.id)?.message).toEqual(legacy(off!.title));
    expect(() => AlertSchema.parse(second.engine.get(off!.id))).not.toThrow();
    // A new occurrence brings the rule's own message again.
    queued(second.rules)([binFull(T0 + MIN)]);
    second.engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    expect(second.engine.get(full!.id)?.message).toEqual(binFull(T0).message);
  });

  it('a second process on the same file (the first never stopped) cannot create a second open alert', () => {
    const a = h.open();
    a.engine.start();
    queued(a.rules)([binFull(T0)]);
    a.engine.handleMessage(telemetryOf(BOX), BOX, T0);

    const b = h.open();
    b.engine.start();
    queued(b.rules)([offline(T0 + MIN, BOX), binFull(T0 + MIN)]);
    b.engine.handleMessage(telemetryOf(BOX), BOX, T0 + MIN);
    expect(b.events.map((e) => [e.event, e.alert.count])).toEqual([
      ['raised', 1],
      ['updated', 2],
    ]);

    // A never saw B's offline alert: its raise hits the unique index, reloads and updates instead.
    queued(a.rules)([offline(T0 + 2 * MIN, BOX)]);
    a.engine.handleMessage(telemetryOf(BOX), BOX, T0 + 2 * MIN);
    expect(a.events.at(-1)).toMatchObject({ event: 'updated', alert: { key: 'device_offline:box-0001', count: 2 } });
    expect(openRows(a, 'device_offline:box-0001')).toBe(1);

    // B resolves the bin alert; A's next raise finds it closed and opens a new one, never reopening it.
    const binId = b.events[1]!.alert.id;
    b.engine.resolve(binId, 'ops', 'emptied');
    queued(a.rules)([binFull(T0 + 3 * MIN)]);
    a.engine.handleMessage(telemetryOf(BOX), BOX, T0 + 3 * MIN);
    expect(a.events.at(-1)).toMatchObject({ event: 'raised', alert: { key: 'bin_full:box-0001:paper', count: 1 } });
    expect(b.engine.get(binId)?.status).toBe('resolved');
    expect(openRows(a, 'bin_full:box-0001:paper')).toBe(1);

    // The index itself refuses a second open row for a key, whoever writes it.
    const sneak = () =>
      a.db
        .prepare(
          "INSERT INTO alerts (id, key, type, severity, status, muted, raised_at, record) VALUES ('x', 'bin_full:box-0001:paper', 'bin_full', 'warning', 'active', 0, 0, '{}')",
        )
        .run();
    expect(sneak).toThrow(/UNIQUE/);
  });

  it('sweeps once at start with lastSeen from the device states, so inactivity resumes after a restart', () => {
    h.states.set(BOX.id, stateSeen(T0 - 30 * MIN, false));
    h.states.set(BOX_2.id, stateSeen(T0 - MIN, true));
    const { engine, rules, events } = h.open();
    rules.onSweepScript = ({ at, devices }) =>
      devices.filter((d) => d.lastSeenMs !== null && at - d.lastSeenMs > 10 * MIN).map((d) => offline(at, d.device));
    engine.start();
    expect(rules.sweeps).toHaveLength(1);
    expect(rules.sweeps[0]!.at).toBe(T0);
    const byId = new Map(rules.sweeps[0]!.devices.map((d) => [d.device.id, d]));
    expect(byId.get(BOX.id)).toMatchObject({ lastSeenMs: T0 - 30 * MIN, online: false });
    expect(byId.get(BOX_2.id)).toMatchObject({ lastSeenMs: T0 - MIN, online: true });
    expect(byId.get(CAMERA.id)).toMatchObject({ lastSeenMs: null, online: false });
    expect(events.map((e) => e.alert.key)).toEqual(['device_offline:box-0001']);
  });

  it('sweeps on schedule until stopped; stop removes exactly the task start added', async () => {
    const { engine, rules } = h.open({ sweepSeconds: 1 });
    const tasksBefore = new Set(cron.getTasks().keys());
    engine.start();
    const added = [...cron.getTasks().keys()].filter((id) => !tasksBefore.has(id));
    expect(added).toHaveLength(1);
    await vi.waitFor(() => expect(rules.sweeps.length).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 50 });
    engine.stop();
    expect([...cron.getTasks().keys()].filter((id) => !tasksBefore.has(id))).toEqual([]);
  });

  it('turns sweepSeconds into a node-cron expression and refuses periods cron cannot express', () => {
    expect(sweepCron(15)).toBe('*/15 * * * * *');
    expect(sweepCron(1)).toBe('*/1 * * * * *');
    expect(sweepCron(120)).toBe('0 */2 * * * *');
    expect(() => sweepCron(0)).toThrow(RangeError);
    expect(() => sweepCron(90)).toThrow(RangeError);
    expect(() => sweepCron(2.5)).toThrow(RangeError);
    expect(cron.validate(sweepCron(45))).toBe(true);
  });
});

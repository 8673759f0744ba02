import { describe, expect, it } from 'vitest';
import { BOX, CAMERA, MIN, T0, ops, scenario, status, telemetry, heartbeat } from './fixtures.ts';

const KEY = 'device_offline:box-0001';
const SEC = 1000;

describe('device_offline: the last will', () => {
  it('marks the device suspect at once; a sweep raises it once the group wait (areaOutageWindowMs) is over', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(telemetry(BOX, T0 + MIN), T0 + MIN);
    expect(s.send(status(BOX, 'offline', T0 + 2 * MIN), T0 + 2 * MIN)).toEqual([]);
    expect(s.sweep(T0 + 2 * MIN + 15 * SEC)).toEqual([]);
    const commands = s.sweep(T0 + 4 * MIN);
    expect(commands).toEqual([
      {
        op: 'raise',
        key: KEY,
        type: 'device_offline',
        severity: 'warning',
        title: '红梅新村 1号回收箱 went offline',
        message: { code: 'device_offline.went_offline', params: { place: '红梅新村 1号回收箱' } },
        subject: { device: BOX },
        evidence: { status: 'offline (last will)', lastSeen: new Date(T0 + 2 * MIN).toISOString() },
        at: T0 + 4 * MIN,
      },
    ]);
    expect(s.sweep(T0 + 5 * MIN)).toEqual([]);
    expect(s.view.open(KEY)?.count).toBe(1);
  });

  it('a device back before the sweep is no longer suspect', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0 + MIN), T0 + MIN);
    s.send(status(BOX, 'online', T0 + MIN + 5 * SEC), T0 + MIN + 5 * SEC);
    expect(s.sweep(T0 + 5 * MIN)).toEqual([]);
  });

  it('reconnection clears: any valid message, or the birth message', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    s.sweep(T0 + 3 * MIN);
    expect(s.view.openKeys()).toEqual([KEY]);
    expect(s.send(status(BOX, 'online', T0 + 4 * MIN), T0 + 4 * MIN)).toEqual([
      { op: 'clear', key: KEY, at: T0 + 4 * MIN, reason: 'Device is reporting again' },
    ]);
    s.send(status(BOX, 'offline', T0 + 5 * MIN), T0 + 5 * MIN);
    s.sweep(T0 + 8 * MIN);
    expect(ops(s.send(telemetry(BOX, T0 + 9 * MIN), T0 + 9 * MIN))).toEqual([`clear:${KEY}`]);
    expect(s.view.history(KEY).map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });

  it('a connection opening alone does not clear: the first message does', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    s.sweep(T0 + 3 * MIN);
    expect(s.connection(BOX, true, T0 + 4 * MIN)).toEqual([]);
    expect(s.view.openKeys()).toEqual([KEY]);
  });
});

describe('device_offline: inactivity', () => {
  it('raises a box silent for longer than 15 minutes (exactly 15 is not longer)', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(telemetry(BOX, T0), T0);
    expect(s.sweep(T0 + 15 * MIN)).toEqual([]);
    // Found offline just after 15 min; raised once the 2-minute group wait is over.
    expect(s.sweep(T0 + 16 * MIN)).toEqual([]);
    const [raise] = s.sweep(T0 + 17 * MIN + SEC);
    expect(raise).toMatchObject({
      op: 'raise',
      key: KEY,
      title: 'No message from 红梅新村 1号回收箱 for 17 min',
      evidence: { status: 'silent', lastSeen: new Date(T0).toISOString() },
    });
  });

  it('a camera times out after 3 minutes', () => {
    const s = scenario({ fleet: [CAMERA] });
    s.sweep(T0);
    s.send(heartbeat(CAMERA, T0), T0);
    expect(s.sweep(T0 + 4 * MIN)).toEqual([]);
    expect(ops(s.sweep(T0 + 5 * MIN + SEC))).toEqual(['raise:device_offline:cam-001']);
  });

  it('a sweep clears an open alert once the device is heard from within its timeout', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    s.sweep(T0 + 3 * MIN);
    // The clear came with the message; nothing is left for the sweep to do.
    s.send(telemetry(BOX, T0 + 4 * MIN), T0 + 4 * MIN);
    expect(s.sweep(T0 + 5 * MIN)).toEqual([]);
    expect(s.view.openKeys()).toEqual([]);
  });

  it('a device never heard from is raised only after the platform has run one full timeout', () => {
    const s = scenario({ fleet: [BOX] });
    expect(s.sweep(T0)).toEqual([]);
    expect(s.sweep(T0 + 15 * MIN)).toEqual([]);
    expect(s.sweep(T0 + 16 * MIN)).toEqual([]);
    const [raise] = s.sweep(T0 + 18 * MIN);
    expect(raise).toMatchObject({ key: KEY, title: 'Never heard from 红梅新村 1号回收箱', evidence: { status: 'silent' } });
    expect(raise?.op === 'raise' && raise.evidence.lastSeen).toBeUndefined();
  });

  it('after a restart, a device last heard from long ago gets one full timeout too', () => {
    const s = scenario({ fleet: [BOX] });
    s.heardAt(BOX, T0 - 120 * MIN);
    expect(s.sweep(T0)).toEqual([]);
    expect(s.sweep(T0 + 14 * MIN)).toEqual([]);
    expect(s.sweep(T0 + 18 * MIN)).toMatchObject([{ key: KEY, evidence: { lastSeen: new Date(T0 - 120 * MIN).toISOString() } }]);
  });

  it('after a restart, an alert left open is not cleared by the grace period', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    s.sweep(T0 + 3 * MIN);
    // A new rule instance sharing the stored alerts, as after a restart.
    const restarted = scenario({ fleet: [BOX] });
    restarted.view.apply([{ ...s.view.open(KEY)!, op: 'raise', subject: { device: BOX }, at: T0 + 3 * MIN, evidence: {} }]);
    restarted.heardAt(BOX, T0);
    expect(restarted.sweep(T0 + 60 * MIN)).toEqual([]);
    expect(restarted.view.openKeys()).toEqual([KEY]);
  });

  it('resolving by hand while the device is still silent brings a new alert at the next sweep', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    s.sweep(T0 + 3 * MIN);
    s.view.resolve(KEY, T0 + 4 * MIN);
    expect(ops(s.sweep(T0 + 5 * MIN))).toEqual([`raise:${KEY}`]);
    expect(s.view.history(KEY)).toHaveLength(2);
  });
});

describe('the inactivity check for the device state (silent devices)', () => {
  it('names a device silent once its timeout is over, from when it ran out (exactly 15 min is not over)', () => {
    const s = scenario({ fleet: [BOX, CAMERA] });
    s.sweep(T0);
    s.send(telemetry(BOX, T0), T0);
    s.send(heartbeat(CAMERA, T0 + MIN), T0 + MIN);
    expect(s.silent(T0 + 15 * MIN)).toEqual([{ deviceId: CAMERA.id, sinceMs: T0 + 4 * MIN }]);
    // No group wait: the device state reads offline as soon as the timeout is over.
    expect(s.silent(T0 + 15 * MIN + SEC)).toEqual([
      { deviceId: BOX.id, sinceMs: T0 + 15 * MIN },
      { deviceId: CAMERA.id, sinceMs: T0 + 4 * MIN },
    ]);
  });

  it('leaves out a device whose offline status (its will or goodbye) arrived: the broker gave its reason', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.send(status(BOX, 'offline', T0), T0);
    expect(s.silent(T0 + 60 * MIN)).toEqual([]);
  });

  it('gives a device never heard from, or last heard from before a restart, one full timeout from the first sweep', () => {
    const s = scenario({ fleet: [BOX] });
    s.heardAt(BOX, T0 - 120 * MIN);
    s.sweep(T0);
    expect(s.silent(T0 + 14 * MIN)).toEqual([]);
    expect(s.silent(T0 + 16 * MIN)).toEqual([{ deviceId: BOX.id, sinceMs: T0 + 15 * MIN }]);
  });
});

describe('device_offline: flapping', () => {
  /** One drop (will, close) and one comeback (connect, birth) per minute, starting at `from`. */
  function flap(s: ReturnType<typeof scenario>, from: number, times: number): void {
    for (let i = 0; i < times; i++) {
      const at = from + i * MIN;
      s.send(status(BOX, 'offline', at), at);
      s.connection(BOX, false, at + SEC);
      s.connection(BOX, true, at + 20 * SEC);
      s.send(status(BOX, 'online', at + 21 * SEC), at + 21 * SEC);
      s.sweep(at + 30 * SEC);
    }
  }

  it('many transitions within an hour yield one alert with the transition count, not clear-and-reraise', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.connection(BOX, true, T0);
    s.send(status(BOX, 'online', T0), T0);
    flap(s, T0 + MIN, 5);
    const alerts = s.view.history(KEY);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'active' });
    // 10 counted changes; flapping from the 5th (more than 4 per hour), each one after it raises.
    expect(alerts[0]?.evidence.transitions).toBe(10);
    expect(alerts[0]?.count).toBe(6);
    expect(alerts[0]?.title).toContain('flapping: 10 changes');
  });

  it('clears at a sweep once the device reports and the changes within the last hour are back under the threshold', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.connection(BOX, true, T0);
    flap(s, T0 + MIN, 5);
    for (let m = 10; m <= 60; m += 10) {
      s.send(telemetry(BOX, T0 + m * MIN), T0 + m * MIN);
      expect(s.sweep(T0 + m * MIN + SEC)).toEqual([]);
    }
    // Changes at 1..5 min (drops) and 1:20..5:20 (comebacks): by 64:30 only two are within the hour.
    expect(ops(s.sweep(T0 + 64 * MIN + 30 * SEC))).toEqual([`clear:${KEY}`]);
  });

  it('once the flapping has aged out of the hour, the next message clears too', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.connection(BOX, true, T0);
    flap(s, T0 + MIN, 5);
    expect(s.send(telemetry(BOX, T0 + 30 * MIN), T0 + 30 * MIN)).toEqual([]);
    expect(ops(s.send(telemetry(BOX, T0 + 64 * MIN), T0 + 64 * MIN))).toEqual([`clear:${KEY}`]);
  });

  it('a device that connects only to report (clean disconnects, no will) is not flapping', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    for (let i = 0; i < 20; i++) {
      const at = T0 + i * 2 * MIN;
      s.connection(BOX, true, at);
      s.send(telemetry(BOX, at + SEC), at + SEC);
      s.connection(BOX, false, at + 2 * SEC);
      s.sweep(at + MIN);
    }
    expect(s.view.alerts).toEqual([]);
  });

  it('four changes within the hour is not yet flapping: the fourth (a comeback) clears as usual', () => {
    const s = scenario({ fleet: [BOX] });
    s.sweep(T0);
    s.connection(BOX, true, T0);
    flap(s, T0 + MIN, 1);
    s.send(status(BOX, 'offline', T0 + 2 * MIN), T0 + 2 * MIN);
    expect(ops(s.sweep(T0 + 5 * MIN))).toEqual([`raise:${KEY}`]);
    expect(ops(s.connection(BOX, true, T0 + 6 * MIN))).toEqual([]);
    expect(ops(s.send(status(BOX, 'online', T0 + 6 * MIN), T0 + 6 * MIN))).toEqual([`clear:${KEY}`]);
    expect(s.view.history(KEY)).toMatchObject([{ status: 'resolved', count: 1 }]);
  });
});

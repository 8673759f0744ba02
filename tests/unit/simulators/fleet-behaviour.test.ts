/** Determinism, the report throttle and faults of the pure fleet model. */
import { describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, FaultEvent } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDayStart } from '../../../shared/units.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation, type FleetSimulationOptions } from '../../../simulators/core/fleet.ts';
import { sha256, testFleet } from './fleet-fixture.ts';

const START = localDayStart('2026-11-25', 480);

function run(overrides: Partial<FleetSimulationOptions> = {}, steps = 1, span = DAY_MS): SimAction[] {
  const sim = createFleetSimulation({ seed: 'tianning', startMs: START, devices: testFleet(40, 12), hashResident: sha256, ...overrides });
  const out: SimAction[] = [];
  for (let i = 1; i <= steps; i++) out.push(...sim.advanceTo(START + (span * i) / steps));
  return out;
}

describe('determinism', () => {
  it('the same seed and options give the same messages, however the time is stepped', () => {
    const once = run();
    expect(once.length).toBeGreaterThan(1000);
    expect(JSON.stringify(run({}, 97))).toBe(JSON.stringify(once));
  });

  it('another seed gives another day', () => {
    const deposits = (actions: SimAction[]) =>
      actions.filter((a) => a.type === 'publish' && a.channel === 'event/deposit').map((a) => JSON.stringify(a));
    expect(deposits(run({ seed: 'changzhou' }))).not.toEqual(deposits(run()));
  });

  it("a box's deposits are the same whatever else is in the fleet (--boxes N keeps the first N as they were)", () => {
    const deposits = (actions: SimAction[]) =>
      actions.flatMap((a) => (a.type === 'publish' && a.channel === 'event/deposit' && a.deviceId === 'box-0003' ? [a.payload] : []));
    const small = deposits(run({ devices: testFleet(5, 0) }));
    expect(small.length).toBeGreaterThan(10);
    expect(small).toEqual(deposits(run()));
  });
});

describe('report throttle', () => {
  const SPEED_600 = 5_000 * 600;

  it('sends at most one telemetry or heartbeat per device per minimum interval, without changing the deposits', () => {
    const fast = run({ minReportIntervalMs: SPEED_600 });
    const lastAt = new Map<string, number>();
    const tooSoon: string[] = [];
    for (const a of fast) {
      if (a.type !== 'publish' || (a.channel !== 'telemetry' && a.channel !== 'heartbeat')) continue;
      const previous = lastAt.get(a.deviceId);
      if (previous !== undefined && a.atMs - previous < SPEED_600) tooSoon.push(`${a.deviceId} at ${a.atMs}`);
      lastAt.set(a.deviceId, a.atMs);
    }
    expect(tooSoon).toEqual([]);
    const count = (actions: SimAction[], channel: string) => actions.filter((a) => a.type === 'publish' && a.channel === channel).length;
    expect(count(fast, 'telemetry')).toBeLessThan(count(run(), 'telemetry') / 3);
    expect(count(fast, 'telemetry')).toBeGreaterThan(40 * 20);
    const deposits = (actions: SimAction[]) => actions.filter((a) => a.type === 'publish' && a.channel === 'event/deposit');
    expect(deposits(fast)).toEqual(deposits(run()));
  });

  it('reports every 10 simulated minutes (boxes) and 60 s (cameras) when not throttled', () => {
    const actions = run({}, 1, 6 * HOUR_MS);
    const heartbeats = actions.filter((a) => a.type === 'publish' && a.channel === 'heartbeat' && a.deviceId === 'cam-001');
    expect(heartbeats.length).toBeGreaterThanOrEqual(359);
    const telemetry = actions.filter((a) => a.type === 'publish' && a.channel === 'telemetry' && a.deviceId === 'box-0001');
    expect(telemetry.length).toBeGreaterThanOrEqual(36);
  });
});

describe('faults', () => {
  const faulty = () => run({ tuning: { faultRate: 60 } }, 1, 2 * DAY_MS);

  it('a device going dark publishes nothing until it comes back; a box then sends what it held', () => {
    const actions = faulty();
    const darkSince = new Map<string, number>();
    const problems: string[] = [];
    let released = 0;
    let periods = 0;
    for (const a of actions) {
      if (a.type === 'goDark') {
        darkSince.set(a.deviceId, a.atMs);
        periods++;
      } else if (a.type === 'comeBack') {
        expect(a.atMs - darkSince.get(a.deviceId)!).toBeGreaterThanOrEqual(10 * 60_000);
        expect(a.atMs - darkSince.get(a.deviceId)!).toBeLessThanOrEqual(40 * 60_000);
        darkSince.delete(a.deviceId);
      } else if (darkSince.has(a.deviceId)) {
        problems.push(`${a.deviceId} published ${a.channel} while dark`);
      } else if (Date.parse(a.payload.ts ?? '') < a.atMs - 60_000) {
        released++; // held during the outage, stamped when it happened
        expect(a.channel).not.toBe('telemetry');
      }
    }
    expect(problems).toEqual([]);
    expect(periods).toBeGreaterThan(3);
    expect(released).toBeGreaterThan(0);
  });

  it('a stuck lid and an overheating box show in telemetry and as raised-then-cleared faults', () => {
    const actions = faulty();
    const publishes = actions.filter((a): a is Extract<SimAction, { type: 'publish' }> => a.type === 'publish');
    const telemetry = publishes.flatMap((a) => (a.channel === 'telemetry' ? [a.payload] : []));
    expect(telemetry.some((t) => t.lid === 'open' && t.status === 'lidOpen')).toBe(true);
    expect(telemetry.some((t) => t.status === 'burning' && t.temperatureC > 60)).toBe(true);
    const faults = publishes.flatMap((a) => (a.channel === 'event/fault' ? [{ deviceId: a.deviceId, ...FaultEvent.parse(a.payload) }] : []));
    for (const kind of ['lid_stuck', 'overheat'] as const) {
      const raised = faults.filter((f) => f.fault === kind && f.active);
      expect(raised.length).toBeGreaterThan(0);
      for (const r of raised) {
        const cleared = faults.find((f) => f.deviceId === r.deviceId && f.fault === kind && !f.active && f.ts > r.ts);
        // A fault raised late on the second day may still be going on.
        if (Date.parse(r.ts) < START + 2 * DAY_MS - 2 * HOUR_MS) expect(cleared).toBeDefined();
      }
    }
    expect(new Set(faults.map((f) => f.eventId)).size).toBe(faults.length);
    for (const a of publishes) expect(DEVICE_CHANNELS[a.channel].schema.safeParse(a.payload).success).toBe(true);
  });

  it('no faults at all with --fault-rate 0', () => {
    const actions = run({ tuning: { faultRate: 0 } }, 1, 2 * DAY_MS);
    expect(actions.filter((a) => a.type !== 'publish' || a.channel === 'event/fault')).toEqual([]);
  });
});

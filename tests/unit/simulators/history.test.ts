/** The demo history's pure core: the days it covers, its batches and chunks, and the hand-over to the live fleet. */
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, localDayStart } from '../../../shared/units.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation, type FleetSimulation } from '../../../simulators/core/fleet.ts';
import {
  chunkByDevice,
  HISTORY_REPORT_INTERVAL_MS,
  historyBatches,
  historyFleetOptions,
  historySteps,
  planHistory,
  simulatedMembers,
  type HistorySpan,
} from '../../../simulators/core/history.ts';
import { sha256, testFleet } from './fleet-fixture.ts';

const OFFSET = 480;
/** 08:12:49.5 in the district on 6 December: the platform's "now" when the history begins. */
const NOW = Date.parse('2026-12-06T08:12:49.502+08:00');
const FLEET = { seed: 'tianning', devices: testFleet(8, 3), hashResident: sha256 };

function span(days: number, nowMs = NOW): HistorySpan {
  return planHistory(nowMs, days, OFFSET)!;
}
const simOf = (s: HistorySpan, overrides: Partial<typeof FLEET> = {}): FleetSimulation =>
  createFleetSimulation(historyFleetOptions(s, { ...FLEET, ...overrides }));
const allOf = (batches: Iterable<{ actions: SimAction[] }>): SimAction[] => [...batches].flatMap((b) => b.actions);

describe('planHistory', () => {
  it('covers the complete district days before today, then today up to now', () => {
    expect(planHistory(NOW, 28, OFFSET)).toEqual({
      fromMs: localDayStart('2026-11-08', OFFSET),
      untilMs: NOW,
      fromDay: '2026-11-08',
      toDay: '2026-12-05',
      days: 28,
      utcOffsetMinutes: OFFSET,
    });
  });

  it('counts days in district time: 07:00 UTC on 5 December is already the 5th at 15:00 in Changzhou, 23:00 UTC is the 6th', () => {
    expect(planHistory(Date.parse('2026-12-05T07:00:00Z'), 1, OFFSET)).toMatchObject({ fromDay: '2026-12-04', toDay: '2026-12-04' });
    expect(planHistory(Date.parse('2026-12-05T23:00:00Z'), 1, OFFSET)).toMatchObject({ fromDay: '2026-12-05', toDay: '2026-12-05' });
  });

  it('is none for 0 days', () => {
    expect(planHistory(NOW, 0, OFFSET)).toBeNull();
  });
});

describe('historyBatches', () => {
  it('runs the fleet from the first midnight to now in hour batches, on hour boundaries, every action inside its batch', () => {
    const s = span(2);
    const batches = [...historyBatches(simOf(s), s)];
    expect(batches).toHaveLength(2 * 24 + 9);
    expect(batches[0]!.fromMs).toBe(s.fromMs);
    batches.forEach((b, i) => {
      if (i > 0) expect(b.fromMs).toBe(batches[i - 1]!.untilMs);
      if (i < batches.length - 1) expect(b.untilMs).toBe(s.fromMs + (i + 1) * HOUR_MS);
      for (const a of b.actions) {
        expect(a.atMs).toBeGreaterThanOrEqual(b.fromMs);
        expect(a.atMs).toBeLessThanOrEqual(b.untilMs);
      }
    });
    expect(batches.at(-1)!.untilMs).toBe(NOW);
  });

  it('says how many complete days are simulated, and done only at the end', () => {
    const s = span(2);
    const progress = [...historyBatches(simOf(s), s)].map((b) => b.progress);
    expect(progress[22]).toEqual({ simMs: s.fromMs + 23 * HOUR_MS, daysDone: 0, done: false });
    expect(progress[23]).toMatchObject({ daysDone: 1, done: false });
    expect(progress[47]).toMatchObject({ daysDone: 2, done: false });
    expect(progress.at(-1)).toEqual({ simMs: NOW, daysDone: 2, done: true });
    expect(progress.filter((p) => p.done)).toHaveLength(1);
  });

  it('gives the same run whatever the batch size, as one advance would', () => {
    const s = span(2);
    const hourly = allOf(historyBatches(simOf(s), s));
    expect(hourly.length).toBeGreaterThan(1000);
    expect(allOf(historyBatches(simOf(s), s, 7 * HOUR_MS))).toEqual(hourly);
    expect(simOf(s).advanceTo(NOW)).toEqual(hourly);
  });

  it('reports each device at most once per simulated hour', () => {
    const s = span(2);
    const last = new Map<string, number>();
    for (const a of allOf(historyBatches(simOf(s), s))) {
      if (a.type !== 'publish' || (a.channel !== 'telemetry' && a.channel !== 'heartbeat')) continue;
      const previous = last.get(a.deviceId);
      if (previous !== undefined) expect(a.atMs - previous).toBeGreaterThanOrEqual(HISTORY_REPORT_INTERVAL_MS);
      last.set(a.deviceId, a.atMs);
    }
    expect(last.size).toBe(11);
  });
});

describe('historySteps', () => {
  it('hands out each day (and today so far) once it is simulated, in chunks of whole devices, nothing lost or repeated', () => {
    const s = span(2);
    const steps = [...historySteps(simOf(s), s, { devicesPerChunk: 4 })];
    const handedOut = steps.flatMap((step, i) => (step.chunks === null ? [] : [i]));
    expect(handedOut).toEqual([23, 47, steps.length - 1]);
    for (const step of steps) {
      for (const chunk of step.chunks ?? []) expect(new Set(chunk.map((a) => a.deviceId)).size).toBeLessThanOrEqual(4);
      const devices = (step.chunks ?? []).flatMap((chunk) => [...new Set(chunk.map((a) => a.deviceId))]);
      expect(new Set(devices).size).toBe(devices.length); // a device's day is in one chunk
    }
    const key = (a: SimAction) => JSON.stringify(a);
    const written = steps.flatMap((step) => (step.chunks ?? []).flat());
    expect(written.map(key).sort()).toEqual(simOf(s).advanceTo(NOW).map(key).sort());
  });

  it('hands out a day at a time with longer steps too (steps divide the stretch)', () => {
    const s = span(1);
    const steps = [...historySteps(simOf(s), s, { stepMs: 6 * HOUR_MS, writeEveryMs: DAY_MS })];
    expect(steps.flatMap((step, i) => (step.chunks === null ? [] : [i]))).toEqual([3, steps.length - 1]);
  });
});

describe('chunkByDevice', () => {
  const act = (deviceId: string, atMs: number): SimAction => ({ type: 'goDark', deviceId, atMs });

  it("groups device by device, each device's own in time order, in the order devices first act", () => {
    const actions = [act('b', 1), act('a', 2), act('b', 3), act('c', 4), act('a', 5)];
    expect(chunkByDevice(actions, 2)).toEqual([[act('b', 1), act('b', 3), act('a', 2), act('a', 5)], [act('c', 4)]]);
    expect(chunkByDevice([], 2)).toEqual([]);
    expect(() => chunkByDevice(actions, 0)).toThrow(RangeError);
  });
});

describe('the hand-over to the live fleet', () => {
  it('a silent replay with the same options reaches the same state: both go on with the same messages', () => {
    const s = span(3);
    const written = simOf(s);
    for (const step of historySteps(written, s)) void step;
    const replayed = simOf(s);
    for (const batch of historyBatches(replayed, s, 6 * HOUR_MS)) void batch;
    const live = (sim: FleetSimulation) => {
      sim.setMinReportInterval(5_000);
      sim.reportNow();
      return sim.advanceTo(NOW + 2 * HOUR_MS);
    };
    const goingOn = live(replayed);
    expect(goingOn.length).toBeGreaterThan(100);
    expect(live(written)).toEqual(goingOn);
    // Other options (here: the seed) would not: the check can fail.
    const other = simOf(s, { seed: 'changzhou' });
    for (const batch of historyBatches(other, s, DAY_MS)) void batch;
    expect(live(other)).not.toEqual(goingOn);
  });

  it('reportNow makes every connected device report at once, whatever the throttle', () => {
    const s = span(1);
    const sim = simOf(s);
    for (const batch of historyBatches(sim, s)) void batch;
    sim.reportNow();
    const now = sim.advanceTo(NOW).filter((a) => a.type === 'publish');
    const reported = new Set(now.filter((a) => a.type === 'publish' && (a.channel === 'telemetry' || a.channel === 'heartbeat')).map((a) => a.deviceId));
    const connected = FLEET.devices.map((d) => d.id).filter((id) => !sim.darkDeviceIds.includes(id));
    expect([...reported].sort()).toEqual(connected.sort());
  });

  it('knows which devices are dark when the history ends, as its goDark and comeBack actions say', () => {
    const s = span(2);
    const sim = createFleetSimulation(historyFleetOptions(s, { ...FLEET, tuning: { faults: { boxSignalLoss: 3, cameraPowerLoss: 3, lidStuck: 0, overheat: 0 } } }));
    const dark = new Set<string>();
    let seenDark = 0;
    for (const batch of historyBatches(sim, s)) {
      for (const a of batch.actions) {
        if (a.type === 'goDark') dark.add(a.deviceId);
        if (a.type === 'comeBack') dark.delete(a.deviceId);
      }
      expect([...sim.darkDeviceIds].sort()).toEqual([...dark].sort());
      seenDark += dark.size;
    }
    expect(seenDark).toBeGreaterThan(0);
  });
});

describe('simulatedMembers', () => {
  it('puts boxes first, in registry order, and keeps the first N of each kind', () => {
    const members = testFleet(3, 2).reverse().map((device) => ({ device }));
    expect(simulatedMembers(members).map((m) => m.device.id)).toEqual(['box-0003', 'box-0002', 'box-0001', 'cam-002', 'cam-001']);
    expect(simulatedMembers(members, { boxes: 1, cameras: 1 }).map((m) => m.device.id)).toEqual(['box-0003', 'cam-002']);
  });
});

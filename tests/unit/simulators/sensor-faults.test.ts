/**
 * Fill-sensor faults in the simulator (issue 14): injected at the tuned rate, counted with box,
 * compartment and start, visible in the telemetry as the kind says (frozen, stepped, off by a
 * growing gain), deterministic, and the deposits are the same with or without them.
 */
import { describe, expect, it } from 'vitest';
import type { CompartmentReading } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { parseCli } from '../../../simulators/main.ts';
import { sha256, testBoxes } from './fleet-fixture.ts';

const START = Date.parse('2026-11-02T00:00:00+08:00');
const DAYS = 6;

function simulate(sensorFaultRate: number, seed = 'sensors') {
  const sim = createFleetSimulation({
    seed,
    startMs: START,
    devices: testBoxes(40),
    hashResident: sha256,
    minReportIntervalMs: 10 * 60_000,
    tuning: { sensorFaultRate, faultRate: 0 },
  });
  const actions: SimAction[] = [];
  for (let t = START + HOUR_MS; t <= START + DAYS * DAY_MS; t += HOUR_MS) actions.push(...sim.advanceTo(t));
  return { stats: sim.stats, actions };
}

/** The readings of one compartment, in time order. */
function readings(actions: SimAction[], boxId: string, category: string): { atMs: number; r: CompartmentReading }[] {
  return actions.flatMap((a) =>
    a.type === 'publish' && a.channel === 'telemetry' && a.deviceId === boxId
      ? a.payload.compartments.filter((c) => c.category === category).map((r) => ({ atMs: a.atMs, r }))
      : [],
  );
}

describe('simulated fill-sensor faults', () => {
  const faulty = simulate(100);

  it('injects every kind at the tuned rate and counts each with its box, compartment and span', () => {
    const { sensorFaults } = faulty.stats;
    for (const kind of ['stuck', 'jump', 'drift'] as const) expect(sensorFaults.filter((f) => f.kind === kind).length, kind).toBeGreaterThan(0);
    for (const f of sensorFaults) {
      expect(f.boxId).toMatch(/^box-\d{4}$/);
      expect(f.startMs).toBeGreaterThanOrEqual(START);
      expect(f.endMs).toBeGreaterThan(f.startMs);
    }
    expect(simulate(0).stats.sensorFaults).toEqual([]);
  });

  it('shows each kind in the reported level while the scale stays right', () => {
    const inside = (f: { startMs: number; endMs: number }, atMs: number) => atMs > f.startMs && atMs < f.endMs;
    const byKind = (kind: string) => faulty.stats.sensorFaults.find((f) => f.kind === kind && f.endMs < START + DAYS * DAY_MS)!;

    const stuck = byKind('stuck');
    const during = readings(faulty.actions, stuck.boxId, stuck.category).filter((x) => inside(stuck, x.atMs));
    expect(new Set(during.map((x) => x.r.fillingLevel)).size).toBe(1);
    expect(new Set(during.map((x) => x.r.weightKg)).size).toBeGreaterThan(1); // deposits still weighed

    const jump = byKind('jump');
    const capacity = (category: string) => testBoxes(1)[0]!.compartments.find((c) => c.category === category)!.capacityKg;
    const off = readings(faulty.actions, jump.boxId, jump.category)
      .filter((x) => inside(jump, x.atMs))
      .map((x) => Math.abs(x.r.fillingLevel - Math.min(1, x.r.weightKg / capacity(jump.category))));
    expect(off.length).toBeGreaterThan(0);
    expect(Math.min(...off)).toBeGreaterThan(0.2);

    const drift = byKind('drift');
    const late = readings(faulty.actions, drift.boxId, drift.category).filter((x) => inside(drift, x.atMs) && x.atMs > drift.startMs + 2 * DAY_MS && x.r.weightKg > 20);
    for (const x of late) expect(Math.abs(x.r.fillingLevel - x.r.weightKg / capacity(drift.category))).toBeGreaterThan(0.01);
  });

  it('is deterministic and leaves the deposits as they were', () => {
    const deposits = (actions: SimAction[]) => actions.filter((a) => a.type === 'publish' && a.channel === 'event/deposit');
    expect(simulate(100).stats.sensorFaults).toEqual(faulty.stats.sensorFaults);
    expect(deposits(simulate(0).actions)).toEqual(deposits(faulty.actions));
  });
});

describe('--sensor-fault-rate', () => {
  it('sets the multiplier, none by default, and refuses a negative one by name', () => {
    expect(parseCli(['--sensor-fault-rate', '2.5'], {}).sensorFaultRate).toBe(2.5);
    expect(parseCli([], {}).sensorFaultRate).toBeUndefined();
    expect(() => parseCli(['--sensor-fault-rate', '-1'], {})).toThrow(/--sensor-fault-rate/);
  });
});

/** Anomalies injected into the chain after the box (issue 14): each shows in the tickets and in the stats. */
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../shared/units.ts';
import type { InjectedAnomaly } from '../../../simulators/core/anomalies.ts';
import { LIGHT_MIN_LOAD_KG } from '../../../simulators/core/trips.ts';
import { LOAD_NOISE } from '../../../simulators/core/weighbridge.ts';
import { START, districtSimulation, published } from './chain-fixture.ts';

const DAYS = 6;
const OFTEN = { anomalies: { lightPerTrip: 0.15, missingPerTrip: 0.1, driftPerScalePerDay: 0.4 } };

const run = (tuning: object) => {
  const sim = districtSimulation({ tuning });
  const actions = sim.advanceTo(START + DAYS * DAY_MS);
  return { sim, actions, tickets: published(actions, 'event/weigh'), collections: published(actions, 'event/collection') };
};

describe('anomalies in the chain after the box', () => {
  const often = run(OFTEN);
  const calm = run({ ...OFTEN, anomalyRate: 0 });
  /** The collections a trip weighed in (or meant to) at atMs: its plate's since its previous weigh-in. */
  const collectedBefore = (a: InjectedAnomaly): number => {
    // A trip ends at its weigh-in, or where it should have been (a missing one).
    const ends = [
      ...often.tickets.filter((t) => t.payload.plate === a.plate && t.payload.direction === 'in').map((t) => t.atMs),
      ...often.sim.chain.injected.filter((m) => m.kind === 'missing' && m.plate === a.plate).map((m) => m.atMs),
    ];
    const previous = Math.max(-Infinity, ...ends.filter((t) => t < a.atMs));
    return often.collections
      .filter((c) => c.payload.vehicleId === a.plate && c.atMs > previous && c.atMs < a.atMs)
      .reduce((s, c) => s + c.payload.compartments.reduce((k, x) => k + x.weightKg, 0), 0);
  };

  it('counts every kind, with what and where', () => {
    const { anomalies, injected } = often.sim.chain;
    expect(anomalies.light).toBeGreaterThan(0);
    expect(anomalies.missing).toBeGreaterThan(0);
    expect(anomalies.drift).toBeGreaterThan(0);
    expect(injected).toHaveLength(anomalies.light + anomalies.missing + anomalies.drift);
    for (const a of injected) expect(a).toMatchObject({ siteId: 'ts-01', scaleId: 'scale-ts-01' });
  });

  it('a light load weighs in 8–20 % under what its boxes reported', () => {
    const light = often.sim.chain.injected.filter((a) => a.kind === 'light');
    for (const a of light) {
      const ticket = often.tickets.find((t) => t.atMs === a.atMs && t.payload.plate === a.plate)!;
      const collected = collectedBefore(a);
      expect(collected).toBeCloseTo(a.collectedKg!, 6);
      const expected = collected * (1 - a.missingShare!);
      // Plus what a drifting scale may add that day (at most 0.3 %/day × 10 days of a ≤ 10 t gross).
      expect(Math.abs(ticket.payload.netKg - expected)).toBeLessThanOrEqual(LOAD_NOISE * collected + 10 + 0.03 * ticket.payload.grossKg);
      expect(ticket.payload.netKg).toBeLessThan(collected);
      // Only where the ledger can tell it from the noise: 8 % of 1 t is past max(2 %, 50 kg).
      expect(collected).toBeGreaterThanOrEqual(LIGHT_MIN_LOAD_KG);
      expect(a.missingShare).toBeGreaterThanOrEqual(0.08);
      expect(a.missingShare).toBeLessThanOrEqual(0.2);
    }
  });

  it('a missing weigh-in has no ticket: its collections are never weighed', () => {
    const missing = often.sim.chain.injected.filter((a) => a.kind === 'missing');
    for (const a of missing) {
      expect(often.tickets.filter((t) => t.payload.plate === a.plate && t.atMs === a.atMs)).toEqual([]);
      expect(collectedBefore(a)).toBeCloseTo(a.collectedKg!, 6);
    }
    expect(often.sim.chain.weighIns).toBe(often.sim.chain.trips - often.sim.chain.anomalies.missing);
  });

  it("a drifting scale reads high, more so day after day, until it is recalibrated", () => {
    const [drift] = often.sim.chain.injected.filter((a) => a.kind === 'drift');
    const until = Date.parse(drift!.driftUntil!);
    // Against the same trips without anomalies: the same seed, the same collections.
    const calmIn = new Map(calm.tickets.filter((t) => t.payload.direction === 'in').map((t) => [`${t.payload.plate} ${t.atMs}`, t.payload]));
    const excess = often.tickets
      .filter((t) => t.deviceId === 'scale-ts-01' && t.payload.direction === 'in' && t.atMs > drift!.atMs && t.atMs < until)
      .flatMap((t) => {
        const same = calmIn.get(`${t.payload.plate} ${t.atMs}`);
        return same === undefined || often.sim.chain.injected.some((a) => a.kind === 'light' && a.atMs === t.atMs) ? [] : [{ atMs: t.atMs, share: (t.payload.grossKg - same.grossKg) / same.grossKg }];
      });
    expect(excess.length).toBeGreaterThan(3);
    expect(excess.at(-1)!.share).toBeGreaterThan(excess[0]!.share);
    for (const e of excess) {
      const days = (e.atMs - drift!.atMs) / DAY_MS;
      expect(e.share).toBeGreaterThan(drift!.driftPerDay! * days - 0.002);
      expect(e.share).toBeLessThan(drift!.driftPerDay! * days + 0.002);
    }
  });

  it('anomalyRate 0 turns them off and changes nothing else of the trips', () => {
    expect(calm.sim.chain.anomalies).toEqual({ light: 0, missing: 0, drift: 0 });
    expect(calm.sim.chain.injected).toEqual([]);
    expect(calm.collections).toEqual(often.collections);
    expect(calm.sim.chain.trips).toBe(often.sim.chain.trips);
    expect(calm.sim.chain.weighIns).toBe(calm.sim.chain.trips);
  });

  it('the same seed injects the same anomalies', () => {
    expect(run(OFTEN).sim.chain.injected).toEqual(often.sim.chain.injected);
  });
});

/** The chain after the box (issue 14): trips weighed in, shipments out and in, the sorting report. */
import { describe, expect, it } from 'vitest';
import type { CollectionEvent, WeighTicket } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import { emptyChainStats } from '../../../simulators/core/anomalies.ts';
import { DEFAULT_TUNING, type SimContext } from '../../../simulators/core/context.ts';
import { Scheduler } from '../../../simulators/core/scheduler.ts';
import { startTrips } from '../../../simulators/core/trips.ts';
import { LOAD_NOISE, type Weighbridge } from '../../../simulators/core/weighbridge.ts';
import { type Published, SCALES, SITES, START, VEHICLES, districtSimulation, published } from './chain-fixture.ts';

const DAYS = 4;

/** Each weigh-in with the collections of its plate since that plate's previous weigh-in: how the ledger pairs them. */
function tripsOf(collections: Published<CollectionEvent>[], weighIns: Published<WeighTicket>[], plateOf = (v: string) => v) {
  const trips: { ticket: WeighTicket; collectedKg: number }[] = [];
  for (const ticket of weighIns) {
    const previous = weighIns.filter((w) => w.payload.plate === ticket.payload.plate && w.atMs < ticket.atMs).at(-1)?.atMs ?? -Infinity;
    const collectedKg = collections
      .filter((c) => plateOf(c.payload.vehicleId) === ticket.payload.plate && c.atMs > previous && c.atMs < ticket.atMs)
      .reduce((s, c) => s + c.payload.compartments.reduce((k, x) => k + x.weightKg, 0), 0);
    trips.push({ ticket: ticket.payload, collectedKg });
  }
  return trips;
}

describe('the chain after the box', () => {
  const sim = districtSimulation();
  const actions = sim.advanceTo(START + DAYS * DAY_MS + 1);
  const tickets = published(actions, 'event/weigh');
  const collections = published(actions, 'event/collection');
  const weighIns = tickets.filter((t) => t.deviceId === 'scale-ts-01' && t.payload.direction === 'in');

  it('weighs in every trip at the station: net = collected within the noise and the division', () => {
    expect(weighIns.length).toBeGreaterThan(10);
    expect(weighIns).toHaveLength(sim.chain.trips);
    expect(sim.chain.weighIns).toBe(sim.chain.trips);
    const trips = tripsOf(collections, weighIns);
    for (const { ticket, collectedKg } of trips) {
      expect(collectedKg).toBeGreaterThan(0);
      expect(Math.abs(ticket.netKg - collectedKg)).toBeLessThanOrEqual(LOAD_NOISE * collectedKg + 10);
      expect(ticket.grossKg - ticket.tareKg).toBe(ticket.netKg);
      expect(ticket.category).toBeUndefined();
    }
    // Every collection of the days before the last is in some trip: none left behind.
    const weighed = trips.reduce((s, t) => s + t.collectedKg, 0);
    expect(weighed).toBeCloseTo(sim.chain.tripCollectedKg, 6);
    // Trips end after the round's window: morning trips after 11:00, afternoon ones after 17:00 (local).
    for (const t of weighIns) expect([11, 12, 17, 18]).toContain(new Date(t.atMs + 8 * HOUR_MS).getUTCHours());
  });

  it('ships each bay to the sorting centre: weighed out and in under one transfer note, a little lost on the way', () => {
    const out = tickets.filter((t) => t.payload.direction === 'out');
    const into = tickets.filter((t) => t.deviceId === 'scale-sc-01');
    expect(out.length).toBeGreaterThanOrEqual(DAYS);
    expect(out.every((t) => t.deviceId === 'scale-ts-01' && t.payload.category !== undefined)).toBe(true);
    expect(into.map((t) => t.payload.reference).sort()).toEqual(out.map((t) => t.payload.reference).sort());
    expect(new Set(out.map((t) => t.payload.reference)).size).toBe(out.length);
    for (const o of out) {
      const i = into.find((t) => t.payload.reference === o.payload.reference)!;
      expect(i.payload).toMatchObject({ direction: 'in', category: o.payload.category, plate: o.payload.plate, tareKg: o.payload.tareKg });
      expect(i.atMs).toBeGreaterThan(o.atMs);
      // Both bridges' noise (±0.5 %) and divisions (10, 20 kg), and at most 0.3 % lost in transit.
      const tolerance = 2 * LOAD_NOISE * o.payload.netKg + 30;
      expect(i.payload.netKg).toBeLessThanOrEqual(o.payload.netKg + tolerance);
      expect(i.payload.netKg).toBeGreaterThanOrEqual(o.payload.netKg * (1 - 0.003) - tolerance);
    }
    expect(sim.chain.shipments).toBe(out.length);
    // Each ticket its own number, each transfer note a day's serial at its station.
    expect(new Set(tickets.map((t) => t.payload.ticketId)).size).toBe(tickets.length);
    expect(out[0]!.payload.reference).toMatch(/^TN-TS-01-\d{8}-001$/);
  });

  it("reports each day's sorting: recovered + residue = received less 1–4 % moisture and handling loss", () => {
    const reports = published(actions, 'event/sorting');
    expect(reports).toHaveLength(DAYS);
    expect(sim.chain.sortingReports).toBe(DAYS);
    const into = tickets.filter((t) => t.deviceId === 'scale-sc-01');
    let checked = 0;
    for (const r of reports) {
      const from = Date.parse(r.payload.periodStart);
      const received = into.filter((t) => t.atMs >= from && t.atMs < r.atMs).reduce((s, t) => s + t.payload.netKg, 0);
      const out = Object.values(r.payload.recoveredKg).reduce((s, kg) => s + kg!, 0) + r.payload.residueKg;
      if (received === 0) {
        expect(out).toBe(0);
        continue;
      }
      checked++;
      const tolerance = LOAD_NOISE + (20 * into.filter((t) => t.atMs >= from && t.atMs < r.atMs).length) / received;
      expect(out / received).toBeGreaterThanOrEqual(1 - 0.04 - tolerance);
      expect(out / received).toBeLessThanOrEqual(1 - 0.01 + tolerance);
      expect(r.payload.residueKg / received).toBeGreaterThan(0.03 - tolerance);
      expect(r.payload.residueKg / received).toBeLessThan(0.06 + tolerance);
      // Per category: what the bays shipped in that category.
      for (const [category, kg] of Object.entries(r.payload.recoveredKg)) {
        const shipped = into.filter((t) => t.atMs >= from && t.atMs < r.atMs && t.payload.category === category);
        const inCategory = shipped.reduce((s, t) => s + t.payload.netKg, 0);
        const own = LOAD_NOISE + (20 * shipped.length) / inCategory;
        expect(kg! / inCategory).toBeGreaterThan(1 - 0.1 - own);
        expect(kg! / inCategory).toBeLessThan(1 - 0.04 + own);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(DAYS - 1);
  });

  it('is the same for the same seed, and leaves the boxes alone (deposits and collections as without the chain)', () => {
    const again = published(districtSimulation().advanceTo(START + DAYS * DAY_MS + 1), 'event/weigh');
    expect(again).toEqual(tickets);
    const without = districtSimulation({ sites: [], vehicles: [] }).advanceTo(START + DAYS * DAY_MS + 1);
    const boxesOnly = (list: typeof actions) => JSON.stringify(list.filter((a) => a.type !== 'publish' || (a.channel !== 'event/weigh' && a.channel !== 'event/sorting')));
    expect(boxesOnly(actions)).toBe(boxesOnly(without));
    expect(published(without, 'event/weigh')).toEqual([]);
  });

  it('under plans, weighs a registry vehicle in at its depot under its plate after its route', () => {
    const planned = districtSimulation({ collectionPolicy: 'plan' });
    planned.advanceTo(START + 9 * HOUR_MS);
    const by = { collectorId: 'crew-truck-01', vehicleId: 'truck-01' };
    for (const [i, box] of ['box-0001', 'box-0002', 'box-0003'].entries()) planned.collect(box, START + 9 * HOUR_MS + i * 10 * 60_000, by);
    const out = planned.advanceTo(START + 14 * HOUR_MS);
    const collected = published(out, 'event/collection');
    const weighed = published(out, 'event/weigh').filter((t) => t.payload.direction === 'in');
    expect(collected).toHaveLength(3);
    expect(weighed).toHaveLength(1);
    expect(weighed[0]!.payload.plate).toBe(VEHICLES[0]!.plate);
    // An hour after the last stop (the route is done), then the drive and the queue at the bridge.
    expect(weighed[0]!.atMs).toBeGreaterThan(collected[2]!.atMs + HOUR_MS);
    const [trip] = tripsOf(collected, weighed, (v) => (v === 'truck-01' ? VEHICLES[0]!.plate : v));
    expect(Math.abs(trip!.ticket.netKg - trip!.collectedKg)).toBeLessThanOrEqual(LOAD_NOISE * trip!.collectedKg + 10);
  });

  it('publishes nothing from a scale whose site it is not told', () => {
    const blind = districtSimulation({ sites: [] });
    expect(published(blind.advanceTo(START + 2 * DAY_MS), 'event/weigh')).toEqual([]);
    expect(blind.chain.trips).toBe(0);
  });
});

describe("when a fixed round's trip is weighed in", () => {
  const weighInAfter = (collectedAtLocalHour: number): number => {
    const scheduler = new Scheduler(START);
    const ctx = { scheduler, seed: 's', utcOffsetMinutes: 480, tuning: DEFAULT_TUNING, collectionPolicy: () => 'fixed' } as unknown as SimContext;
    const weighed: number[] = [];
    const bridge = { site: SITES[0], device: SCALES[0], weigh: (_w: unknown, t: number) => void weighed.push(t) } as unknown as Weighbridge;
    const trips = startTrips(ctx, emptyChainStats(), { vehicle: () => ({ plate: '苏D·A0001', bridge, driveMs: 0 }), unloaded: () => {} });
    const at = START + collectedAtLocalHour * HOUR_MS;
    scheduler.runUntil(at);
    trips.onCollection({ vehicleId: '苏D·A0001', compartments: [{ category: 'paper', weightKg: 40 }] }, at);
    scheduler.runUntil(START + DAY_MS);
    expect(weighed).toHaveLength(1);
    return (weighed[0]! - START) / HOUR_MS;
  };

  it("after its round's window and the stragglers, a visit a few minutes early or late included", () => {
    expect(weighInAfter(7.9)).toBe(11.5);
    expect(weighInAfter(9)).toBe(11.5);
    expect(weighInAfter(11.2)).toBe(11.5);
    expect(weighInAfter(13.9)).toBe(17.5);
    expect(weighInAfter(17.2)).toBe(17.5);
  });
});

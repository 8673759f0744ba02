/** Fixed rounds against planned stops (issue 13's closed loop): who empties the boxes. */
import { describe, expect, it } from 'vitest';
import { CollectionEvent } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDayStart } from '../../../shared/units.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation, type FleetSimulationOptions } from '../../../simulators/core/fleet.ts';
import { sha256, testFleet } from './fleet-fixture.ts';

const START = localDayStart('2026-11-25', 480);
const TRUCK = { collectorId: 'crew-truck-01', vehicleId: 'truck-01' };

const simulation = (overrides: Partial<FleetSimulationOptions> = {}) =>
  createFleetSimulation({ seed: 'tianning', startMs: START, devices: testFleet(40, 0), hashResident: sha256, ...overrides });

const collections = (actions: SimAction[]) =>
  actions.flatMap((a) => (a.type === 'publish' && a.channel === 'event/collection' ? [{ deviceId: a.deviceId, atMs: a.atMs, payload: CollectionEvent.parse(a.payload) }] : []));
const deposits = (actions: SimAction[]) =>
  actions.filter((a) => a.type === 'publish' && a.channel === 'event/deposit').map((a) => JSON.stringify(a));

describe('collection policy', () => {
  it('fixed rounds empty boxes; under plans nobody does until a vehicle is sent', () => {
    expect(collections(simulation().advanceTo(START + 2 * DAY_MS)).length).toBeGreaterThan(10);
    const planned = simulation({ collectionPolicy: 'plan' });
    expect(planned.collectionPolicy).toBe('plan');
    expect(collections(planned.advanceTo(START + 2 * DAY_MS))).toEqual([]);
  });

  it('a planned stop empties every compartment holding anything and names the vehicle, at the stop time', () => {
    const sim = simulation({ collectionPolicy: 'plan' });
    sim.advanceTo(START + 9 * HOUR_MS);
    const at = START + 9 * HOUR_MS + 17 * 60_000;
    expect(sim.collect('box-0002', at, TRUCK)).toBe(true);
    // A second vehicle at the same instant, after the first: nothing is left to take.
    sim.collect('box-0002', at, { collectorId: 'crew-truck-02', vehicleId: 'truck-02' });
    const out = collections(sim.advanceTo(START + 10 * HOUR_MS));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ deviceId: 'box-0002', atMs: at, payload: { vehicleId: 'truck-01', collectorId: 'crew-truck-01' } });
    // Every one of the box's five compartments had something in it (the fleet starts part-full).
    expect(out[0]!.payload.compartments.map((c) => c.category).sort()).toEqual(['glass', 'metal', 'paper', 'plastic', 'textile']);
  });

  it('a stop in the past is served now; an unknown box is refused', () => {
    const sim = simulation({ collectionPolicy: 'plan' });
    sim.advanceTo(START + HOUR_MS);
    expect(sim.collect('box-9999', START + 2 * HOUR_MS, TRUCK)).toBe(false);
    sim.collect('box-0001', START, TRUCK);
    expect(collections(sim.advanceTo(START + HOUR_MS + 1)).map((c) => c.atMs)).toEqual([START + HOUR_MS]);
  });

  it('switching to plans leaves the residents alone: the same deposits either way', () => {
    const fixed = simulation();
    const planned = simulation();
    fixed.advanceTo(START + 6 * HOUR_MS);
    planned.advanceTo(START + 6 * HOUR_MS);
    planned.setCollectionPolicy('plan');
    // Deposits differ only where a full compartment refused one; over half a day at 40 boxes the
    // early hours match exactly (no box reaches capacity before the first round would empty it).
    const until = START + 8 * HOUR_MS;
    expect(deposits(planned.advanceTo(until))).toEqual(deposits(fixed.advanceTo(until)));
  });
});

/**
 * Who deposits (issue 14, participation): a box's residents are its community's households
 * taking part, shared over its boxes, so the demo's pilot 新天地花苑 shows > 500 of its ~800
 * households active in 30 days and other communities a lower share.
 */
import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDayStart } from '../../../shared/units.ts';
import { demoHouseholds } from '../../../services/fleet/core/communities.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { DEFAULT_TUNING } from '../../../simulators/core/context.ts';
import { residentPool } from '../../../simulators/core/deposits.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';
import { sha256 } from './fleet-fixture.ts';

const START = localDayStart('2026-11-01', 480);
const PILOT = '新天地花苑';

/** Distinct residents per community over `days` simulated days of the given boxes. */
function activeResidents(devices: Device[], days: number): Map<string, number> {
  const sim = createFleetSimulation({ seed: 'tianning', startMs: START, devices, hashResident: sha256 });
  const community = new Map(devices.map((d) => [d.id, d.community]));
  const seen = new Map<string, Set<string>>();
  for (let day = 1; day <= days; day++) {
    for (const a of sim.advanceTo(START + day * DAY_MS)) {
      if (a.type !== 'publish' || a.channel !== 'event/deposit') continue;
      const name = community.get(a.deviceId)!;
      let set = seen.get(name);
      if (!set) seen.set(name, (set = new Set()));
      set.add(a.payload.residentHash);
    }
  }
  return new Map([...seen].map(([name, set]) => [name, set.size]));
}

describe('residentPool', () => {
  it("shares a community's households taking part over its boxes: the pilot 0.72 of 800", () => {
    expect(residentPool(PILOT, 6, DEFAULT_TUNING.takingPart)).toBe(Math.round((800 * 0.72) / 6));
    const other = residentPool('红梅新村', 4, DEFAULT_TUNING.takingPart) * 4;
    const households = demoHouseholds('红梅新村', 4);
    expect(other / households).toBeGreaterThanOrEqual(DEFAULT_TUNING.takingPart.min - 0.01);
    expect(other / households).toBeLessThanOrEqual(DEFAULT_TUNING.takingPart.max + 0.01);
    expect(residentPool('x', 0, DEFAULT_TUNING.takingPart)).toBeGreaterThanOrEqual(1);
  });
});

describe('30 simulated days of the demo fleet', () => {
  const fleet = generateDemoFleet({ seed: 'tianning' }).filter((d) => d.kind === 'box');
  const pilotBoxes = fleet.filter((d) => d.community === PILOT);
  // The pilot and a handful of ordinary communities of the same subdistrict: enough to compare, quick to run.
  const others = [...new Set(fleet.filter((d) => d.subdistrict === 'qinglong' && d.community !== PILOT).map((d) => d.community))].slice(0, 4);
  const devices = [...pilotBoxes, ...fleet.filter((d) => others.includes(d.community))];
  const active = activeResidents(devices, 30);

  it('新天地花苑: more than 500 of its 800 households active, as in the pilot', () => {
    expect(pilotBoxes.length).toBeGreaterThan(0);
    expect(active.get(PILOT)).toBeGreaterThan(500);
    expect(active.get(PILOT)).toBeLessThanOrEqual(800);
  });

  it('other communities: a plausible share of their households, below the pilot', () => {
    for (const name of others) {
      const boxes = devices.filter((d) => d.community === name).length;
      const rate = active.get(name)! / demoHouseholds(name, boxes);
      expect(rate, name).toBeGreaterThan(0.25);
      expect(rate, name).toBeLessThan(active.get(PILOT)! / 800);
    }
  });
});

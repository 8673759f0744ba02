import { describe, expect, it } from 'vitest';
import { TransferStation, Vehicle } from '../../../shared/contracts/index.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { DEMO_VEHICLE_KG, generateDemoSites, nearest, placeTransferStations } from '../../../services/fleet/core/demo-sites.ts';
import { checkSites } from '../../../services/fleet/core/site-validation.ts';
import { DISTRICT_BOUNDS } from '../../../services/fleet/core/tianning-places.ts';

const boxes = generateDemoFleet({ seed: 'tianning' }).filter((d) => d.kind === 'box');
const sites = generateDemoSites({ seed: 'tianning', boxes });

describe('the demo transfer stations and vehicles', () => {
  it('are the same for the same seed and differ for another', () => {
    expect(generateDemoSites({ seed: 'tianning', boxes })).toEqual(sites);
    const otherBoxes = generateDemoFleet({ seed: 'hongmei' }).filter((d) => d.kind === 'box');
    const other = generateDemoSites({ seed: 'hongmei', boxes: otherBoxes });
    expect(other.stations.map((s) => s.position)).not.toEqual(sites.stations.map((s) => s.position));
    expect(other.vehicles.map((v) => v.plate)).not.toEqual(sites.vehicles.map((v) => v.plate));
  });

  it('are 10 stations and 12 vehicles of 8 t that pass the contracts and the set checks', () => {
    expect(sites.stations).toHaveLength(10);
    expect(sites.vehicles).toHaveLength(12);
    for (const s of sites.stations) expect(TransferStation.parse(s)).toEqual(s);
    for (const v of sites.vehicles) expect(Vehicle.parse(v)).toEqual(v);
    expect(sites.vehicles.every((v) => v.capacityKg === DEMO_VEHICLE_KG)).toBe(true);
    expect(checkSites(sites.stations, sites.vehicles)).toEqual([]);
  });

  it('lie within the district, every one serving some boxes', () => {
    const b = DISTRICT_BOUNDS;
    const positions = sites.stations.map((s) => s.position);
    for (const { lat, lon } of positions) {
      expect(lat).toBeGreaterThan(b.minLat);
      expect(lat).toBeLessThan(b.maxLat);
      expect(lon).toBeGreaterThan(b.minLon);
      expect(lon).toBeLessThan(b.maxLon);
    }
    const served = positions.map(() => 0);
    for (const box of boxes) served[nearest(positions, box)]!++;
    expect(Math.min(...served)).toBeGreaterThan(0);
  });

  it('base every vehicle at an existing station, each station with at least one', () => {
    const ids = new Set(sites.stations.map((s) => s.id));
    expect(sites.vehicles.every((v) => ids.has(v.depotId))).toBe(true);
    expect(new Set(sites.vehicles.map((v) => v.depotId))).toEqual(ids);
    expect(new Set(sites.vehicles.map((v) => v.plate)).size).toBe(12);
    expect(new Set(sites.stations.map((s) => s.name)).size).toBe(10);
  });

  it('name the two stations of the district report', () => {
    const names = sites.stations.map((s) => s.name);
    expect(names).toContain('五角场垃圾转运站');
    expect(names).toContain('浦南新村垃圾转运站');
  });

  it('still places 10 stations with no boxes at all', () => {
    const empty = generateDemoSites({ seed: 'tianning', boxes: [] });
    expect(empty.stations).toHaveLength(10);
    expect(checkSites(empty.stations, empty.vehicles)).toEqual([]);
  });
});

describe('station placement (k-means)', () => {
  it('puts one centre in each of two far-apart clusters', () => {
    const points = [
      { lat: 31.80, lon: 119.96 }, { lat: 31.802, lon: 119.962 },
      { lat: 31.84, lon: 120.08 }, { lat: 31.842, lon: 120.082 },
    ];
    const centres = placeTransferStations(points, 2).sort((a, b) => a.lat - b.lat);
    expect(centres[0]!.lat).toBeCloseTo(31.801, 6);
    expect(centres[0]!.lon).toBeCloseTo(119.961, 6);
    expect(centres[1]!.lat).toBeCloseTo(31.841, 6);
    expect(centres[1]!.lon).toBeCloseTo(120.081, 6);
  });
});

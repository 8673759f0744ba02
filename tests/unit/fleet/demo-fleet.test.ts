import { describe, expect, it } from 'vitest';
import { Device, SUBDISTRICTS } from '../../../shared/contracts/index.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { DISTRICT_BOUNDS, SUBDISTRICT_PLACES } from '../../../services/fleet/core/tianning-places.ts';

const fleet = generateDemoFleet({ seed: 'tianning' });
const boxes = fleet.filter((d) => d.kind === 'box');
const cameras = fleet.filter((d) => d.kind === 'camera');

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe('the demo fleet', () => {
  it('is the same for the same seed', () => {
    expect(generateDemoFleet({ seed: 'tianning' })).toEqual(fleet);
  });

  it('differs for another seed', () => {
    const other = generateDemoFleet({ seed: 'hongmei' });
    expect(other).toHaveLength(fleet.length);
    expect(other).not.toEqual(fleet);
    expect(other.map((d) => d.lat)).not.toEqual(fleet.map((d) => d.lat));
  });

  it('has 605 boxes and 54 camera points by default', () => {
    expect(boxes).toHaveLength(605);
    expect(cameras).toHaveLength(54);
    expect(boxes[0]!.id).toBe('box-0001');
    expect(boxes.at(-1)!.id).toBe('box-0605');
    expect(cameras[0]!.id).toBe('cam-001');
    expect(cameras.at(-1)!.id).toBe('cam-054');
  });

  it('has 36 existing, 16 road and 2 market camera points', () => {
    expect(countBy(cameras, (c) => String(c.cameraPointType))).toEqual({ existing: 36, road: 16, market: 2 });
  });

  it('has only records valid against the Device contract', () => {
    for (const device of fleet) expect(Device.safeParse(device).error).toBeUndefined();
  });

  it('has unique ids', () => {
    expect(new Set(fleet.map((d) => d.id)).size).toBe(fleet.length);
  });

  it('uses all 7 subdistricts for boxes, Hongmei more than rural Zhenglu', () => {
    const perSubdistrict = countBy(boxes, (b) => b.subdistrict);
    expect(Object.keys(perSubdistrict).sort()).toEqual([...SUBDISTRICTS].sort());
    expect(perSubdistrict.hongmei!).toBeGreaterThan(perSubdistrict.zhenglu!);
  });

  it('places every device inside the district', () => {
    for (const d of fleet) {
      expect(d.lat).toBeGreaterThanOrEqual(DISTRICT_BOUNDS.minLat);
      expect(d.lat).toBeLessThanOrEqual(DISTRICT_BOUNDS.maxLat);
      expect(d.lon).toBeGreaterThanOrEqual(DISTRICT_BOUNDS.minLon);
      expect(d.lon).toBeLessThanOrEqual(DISTRICT_BOUNDS.maxLon);
    }
  });

  it('puts Zhenglu north-east of the city centre', () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const zhenglu = boxes.filter((b) => b.subdistrict === 'zhenglu');
    const tianning = boxes.filter((b) => b.subdistrict === 'tianning');
    expect(mean(zhenglu.map((b) => b.lat))).toBeGreaterThan(mean(tianning.map((b) => b.lat)));
    expect(mean(zhenglu.map((b) => b.lon))).toBeGreaterThan(mean(tianning.map((b) => b.lon)));
  });

  it('has exactly one responsible person per grid cell, and one cell per person', () => {
    const personOf = new Map<string, string>();
    const cellOf = new Map<string, string>();
    for (const d of fleet) {
      expect(personOf.get(d.gridCell) ?? d.responsiblePerson).toBe(d.responsiblePerson);
      expect(cellOf.get(d.responsiblePerson) ?? d.gridCell).toBe(d.gridCell);
      personOf.set(d.gridCell, d.responsiblePerson);
      cellOf.set(d.responsiblePerson, d.gridCell);
    }
    expect(personOf.size).toBeGreaterThan(7);
  });

  it('names grid cells after the subdistrict', () => {
    for (const d of fleet) {
      expect(d.gridCell).toMatch(new RegExp(`^TN-${SUBDISTRICT_PLACES[d.subdistrict].abbrev}-\\d{2,}$`));
    }
  });

  it('gives boxes five compartments and communities several boxes', () => {
    for (const b of boxes) {
      expect(b.compartments.map((c) => c.category)).toEqual(['paper', 'plastic', 'metal', 'glass', 'textile']);
      expect(b.cameraPointType).toBeNull();
      expect(b.name).toMatch(new RegExp(`^${b.community} \\d+号回收箱$`));
      expect(b.address.startsWith('常州市天宁区')).toBe(true);
      expect(b.installedOn >= '2021-01-01' && b.installedOn <= '2024-12-31').toBe(true);
    }
    const perCommunity = Object.values(countBy(boxes, (b) => b.community));
    expect(perCommunity.length).toBeLessThan(boxes.length / 2);
    expect(countBy(boxes, (b) => b.community)['新天地花苑']).toBeGreaterThanOrEqual(2);
  });

  it('puts road points on named demonstration roads and markets at markets', () => {
    const roads = cameras.filter((c) => c.cameraPointType === 'road').map((c) => c.community);
    expect(new Set(roads).size).toBe(16);
    expect(roads).toEqual(expect.arrayContaining(['新堂路', '劳动路', '横墩路', '凤凰路', '青果巷']));
    const markets = cameras.filter((c) => c.cameraPointType === 'market').map((c) => c.community);
    expect(markets).toContain('朝阳菜场');
    for (const c of cameras) expect(c.compartments).toEqual([]);
  });

  it('works for small fleets, keeping the camera point proportion', () => {
    const small = generateDemoFleet({ seed: 'bench', boxes: 20, cameras: 4 });
    expect(small.filter((d) => d.kind === 'box')).toHaveLength(20);
    const smallCameras = small.filter((d) => d.kind === 'camera');
    expect(smallCameras.map((c) => c.cameraPointType)).toEqual(['existing', 'existing', 'existing', 'road']);
    for (const d of small) expect(Device.safeParse(d).success).toBe(true);
    expect(generateDemoFleet({ seed: 'bench', boxes: 0, cameras: 0 })).toEqual([]);
  });

  it('works for fleets larger than the district', () => {
    const big = generateDemoFleet({ seed: 'bench', boxes: 3000, cameras: 120 });
    expect(new Set(big.map((d) => d.id)).size).toBe(3120);
    expect(new Set(big.filter((d) => d.kind === 'camera').map((d) => d.name)).size).toBe(120);
    for (const d of big) expect(Device.safeParse(d).success).toBe(true);
  });

  it('keeps the boxes when only the camera count changes', () => {
    const fewerCameras = generateDemoFleet({ seed: 'tianning', cameras: 10 });
    expect(fewerCameras.filter((d) => d.kind === 'box')).toEqual(boxes);
  });
});

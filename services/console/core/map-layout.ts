/**
 * What the map draws when it has no tiles (the console must work offline): each subdistrict as
 * the hull of its devices, labelled at their centre, so the markers sit in recognisable areas
 * instead of floating on a blank page.
 */
import type { Device, Subdistrict } from '../../../shared/contracts/index.ts';

export interface LatLon {
  lat: number;
  lon: number;
}

export interface SubdistrictArea {
  subdistrict: Subdistrict;
  /** Convex hull, counter-clockwise, padded outwards so edge markers are inside. */
  outline: LatLon[];
  /** Mean position of the devices: where the label goes. */
  centre: LatLon;
  devices: number;
}

/** Andrew's monotone chain; fewer than 3 distinct points come back as they are. */
export function convexHull(points: readonly LatLon[]): LatLon[] {
  const sorted = [...new Map(points.map((p) => [`${p.lon},${p.lat}`, p])).values()].sort((a, b) => a.lon - b.lon || a.lat - b.lat);
  if (sorted.length < 3) return sorted;
  const cross = (o: LatLon, a: LatLon, b: LatLon) => (a.lon - o.lon) * (b.lat - o.lat) - (a.lat - o.lat) * (b.lon - o.lon);
  const half = (list: LatLon[]) => {
    const chain: LatLon[] = [];
    for (const p of list) {
      while (chain.length >= 2 && cross(chain[chain.length - 2]!, chain[chain.length - 1]!, p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

/** Moves each vertex `padding` degrees away from the centre. */
function pad(outline: readonly LatLon[], centre: LatLon, padding: number): LatLon[] {
  return outline.map((p) => {
    const dLat = p.lat - centre.lat;
    const dLon = p.lon - centre.lon;
    const length = Math.hypot(dLat, dLon) || 1;
    return { lat: p.lat + (dLat / length) * padding, lon: p.lon + (dLon / length) * padding };
  });
}

export function subdistrictAreas(devices: readonly Pick<Device, 'lat' | 'lon' | 'subdistrict'>[], padding = 0.002): SubdistrictArea[] {
  const groups = new Map<Subdistrict, LatLon[]>();
  for (const d of devices) {
    const list = groups.get(d.subdistrict) ?? [];
    list.push({ lat: d.lat, lon: d.lon });
    groups.set(d.subdistrict, list);
  }
  return [...groups.entries()].map(([subdistrict, points]) => {
    const centre = {
      lat: points.reduce((s, p) => s + p.lat, 0) / points.length,
      lon: points.reduce((s, p) => s + p.lon, 0) / points.length,
    };
    return { subdistrict, outline: pad(convexHull(points), centre, padding), centre, devices: points.length };
  });
}

/** South-west and north-east corners of the devices, or undefined for none. */
export function boundsOf(points: readonly LatLon[]): { south: number; west: number; north: number; east: number } | undefined {
  if (points.length === 0) return undefined;
  return {
    south: Math.min(...points.map((p) => p.lat)),
    west: Math.min(...points.map((p) => p.lon)),
    north: Math.max(...points.map((p) => p.lat)),
    east: Math.max(...points.map((p) => p.lon)),
  };
}

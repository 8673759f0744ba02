/**
 * The demo district's 10 household-waste transfer stations (天宁区现有10座垃圾转运站) and its 12
 * collection vehicles, the same for the same seed and boxes on every machine. The planner's
 * benchmark uses the same placement, so the figures it reports are about this demo district.
 *
 * Positions are not surveyed: k-means centres of the box positions, so stations spread over
 * the district where the boxes are. Names: the two stations the district's 2024 H1 report names
 * (五角场, 浦南新村; they sit next to housing) where their subdistricts have a station, the rest
 * plausible local names.
 */
import {
  SUBDISTRICT_NAMES,
  SUBDISTRICTS,
  type Subdistrict,
  type TransferStation,
  type Vehicle,
  type WasteCategory,
} from '../../../shared/contracts/index.ts';
import { forkRandom, intBetween, type Random } from '../../../shared/random.ts';
import { streetAddress } from './demo-geo.ts';
import { SUBDISTRICT_PLACES, type LatLon } from './tianning-places.ts';

export const DEMO_SITES_SIZE = { stations: 10, vehicles: 12 } as const;
export const DEMO_VEHICLE_KG = 8000;
const OPERATOR = '天宁区环境卫生管理所';
const CATEGORIES: WasteCategory[] = ['paper', 'plastic', 'metal', 'glass', 'textile'];
const KMEANS_ITERATIONS = 20;

/** Station names per subdistrict, taken in order; the report's two come first in theirs. */
const STATION_NAMES: Record<Subdistrict, readonly string[]> = {
  tianning: ['青果巷', '舣舟亭', '北直街'],
  hongmei: ['红梅', '竹林', '北环'],
  lanling: ['浦南新村', '丽华', '兰陵'],
  chashan: ['五角场', '丁香', '茶山'],
  qinglong: ['青龙', '龙锦', '新堂'],
  diaozhuang: ['雕庄', '采菱', '凤凰'],
  zhenglu: ['郑陆', '焦溪', '三河口'],
};

/** Letters of Chinese plates: I and O are never used (they read as 1 and 0). */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

export interface DemoBoxPlace extends LatLon {
  subdistrict: Subdistrict;
}

export interface DemoSites {
  stations: TransferStation[];
  vehicles: Vehicle[];
}

export function generateDemoSites(options: { seed: string; boxes: readonly DemoBoxPlace[] }): DemoSites {
  const r = forkRandom(options.seed, 'sites');
  // Without boxes (an empty demo) the subdistrict centres stand in, so there are still stations.
  const boxes: readonly DemoBoxPlace[] =
    options.boxes.length > 0 ? options.boxes : SUBDISTRICTS.map((s) => ({ ...SUBDISTRICT_PLACES[s].centre, subdistrict: s }));
  const centres = placeTransferStations(boxes, DEMO_SITES_SIZE.stations);
  const named = new Map<Subdistrict, number>();
  const stations = centres.map((centre, i): TransferStation => {
    const subdistrict = subdistrictOf(centre, boxes.filter((b) => nearest(centres, b) === i));
    const n = named.get(subdistrict) ?? 0;
    named.set(subdistrict, n + 1);
    const place = STATION_NAMES[subdistrict][n] ?? `${SUBDISTRICT_NAMES[subdistrict].zh}${n + 1}号`;
    const roads = SUBDISTRICT_PLACES[subdistrict].roads;
    return {
      id: stationId(i),
      kind: 'transfer_station',
      name: `${place}垃圾转运站`,
      position: { lat: round6(centre.lat), lon: round6(centre.lon) },
      subdistrict,
      address: streetAddress(subdistrict, roads[intBetween(r, 0, roads.length - 1)]!, intBetween(r, 1, 300)),
      operator: OPERATOR,
      categories: [...CATEGORIES],
    };
  });
  return { stations, vehicles: demoVehicles(r, centres, boxes) };
}

/** k-means of the points (farthest-point start, fixed iterations): k centres spread over them. */
export function placeTransferStations(points: readonly LatLon[], k: number): LatLon[] {
  if (points.length === 0) throw new Error('placeTransferStations: no points');
  const centres: LatLon[] = [points[0]!];
  while (centres.length < k) {
    let far = points[0]!;
    let farD = -1;
    for (const p of points) {
      const d = Math.min(...centres.map((c) => squared(c, p)));
      if (d > farD) [far, farD] = [p, d];
    }
    centres.push(far);
  }
  for (let iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
    const sums = centres.map(() => ({ lat: 0, lon: 0, n: 0 }));
    for (const p of points) {
      const s = sums[nearest(centres, p)]!;
      s.lat += p.lat;
      s.lon += p.lon;
      s.n++;
    }
    sums.forEach((s, i) => {
      if (s.n > 0) centres[i] = { lat: s.lat / s.n, lon: s.lon / s.n };
    });
  }
  return centres;
}

/** Index of the centre nearest to p; ties go to the lower index. */
export function nearest(centres: readonly LatLon[], p: LatLon): number {
  let best = 0;
  centres.forEach((c, i) => {
    if (squared(c, p) < squared(centres[best]!, p)) best = i;
  });
  return best;
}

/** One vehicle per station, the extra ones at the stations serving most boxes. */
function demoVehicles(r: Random, stations: readonly LatLon[], boxes: readonly LatLon[]): Vehicle[] {
  const served = stations.map(() => 0);
  for (const b of boxes) served[nearest(stations, b)]!++;
  const busiest = stations.map((_, i) => i).sort((a, b) => served[b]! - served[a]! || a - b);
  const homes = [...stations.map((_, i) => i), ...busiest.slice(0, DEMO_SITES_SIZE.vehicles - stations.length)];
  const plates = new Set<string>();
  return homes.map((station, n) => {
    let plate: string;
    do plate = `苏D·${PLATE_LETTERS[intBetween(r, 0, PLATE_LETTERS.length - 1)]}${String(intBetween(r, 0, 9999)).padStart(4, '0')}`;
    while (plates.has(plate));
    plates.add(plate);
    return { id: `truck-${String(n + 1).padStart(2, '0')}`, plate, capacityKg: DEMO_VEHICLE_KG, depotId: stationId(station) };
  });
}

/** Where most of the station's boxes are; with none, the subdistrict whose centre is nearest. */
function subdistrictOf(centre: LatLon, boxes: readonly DemoBoxPlace[]): Subdistrict {
  const counts = new Map<Subdistrict, number>();
  for (const b of boxes) counts.set(b.subdistrict, (counts.get(b.subdistrict) ?? 0) + 1);
  let best: Subdistrict | undefined;
  for (const s of SUBDISTRICTS) if ((counts.get(s) ?? 0) > (counts.get(best!) ?? 0)) best = s;
  if (best !== undefined) return best;
  const centres = SUBDISTRICTS.map((s) => SUBDISTRICT_PLACES[s].centre);
  return SUBDISTRICTS[nearest(centres, centre)]!;
}

const stationId = (index: number): string => `ts-${String(index + 1).padStart(2, '0')}`;
const squared = (a: LatLon, b: LatLon): number => (a.lat - b.lat) ** 2 + (a.lon - b.lon) ** 2;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

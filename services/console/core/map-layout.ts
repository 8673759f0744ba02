/**
 * The operators' map, as geometry: each subdistrict as the hull of its devices, labelled at their
 * centre (without tiles, the console must work offline, the markers still sit in recognisable
 * areas); markers that would overlap on screen grouped (clusterPoints), each group on its fullest
 * box; and the subdistrict labels moved off the markers and groups (placeLabels).
 */
import type { Device, DeviceWithState, Subdistrict } from '../../../shared/contracts/index.ts';

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

/** A point on the screen (Leaflet layer pixels at the current zoom) standing for one item. */
export interface ScreenPoint<T> {
  id: string;
  x: number;
  y: number;
  item: T;
}

export interface ScreenCluster<T> {
  /** Where the cluster is drawn: its seed, the member that came first by priority. */
  x: number;
  y: number;
  /** Seed first, then the others in priority order. */
  members: T[];
}

/**
 * Groups points that would overlap on screen. Greedy, in priority order: the highest-priority
 * point not yet taken seeds a group and takes every free point within `radius` pixels. Seeds are
 * therefore more than `radius` apart, so no two drawn groups or markers overlap, and each group
 * sits on its most important member (the fullest box), not on an average where nothing is.
 * A grid of `radius`-sized cells keeps it linear. Ids in `isolated` (the box whose popup is
 * open) stay alone and take nobody, so a popup never loses its marker to a group.
 */
export function clusterPoints<T>(
  points: readonly ScreenPoint<T>[],
  radius: number,
  options: { priority?: (item: T) => number; isolated?: ReadonlySet<string> } = {},
): { singles: ScreenPoint<T>[]; clusters: ScreenCluster<T>[] } {
  const priority = options.priority ?? (() => 0);
  const isolated = options.isolated ?? new Set<string>();
  const ordered = [...points].sort((a, b) => priority(b.item) - priority(a.item) || a.id.localeCompare(b.id));
  const cellOf = (p: { x: number; y: number }) => [Math.floor(p.x / radius), Math.floor(p.y / radius)] as const;
  const grid = new Map<string, number[]>();
  ordered.forEach((p, index) => {
    if (isolated.has(p.id)) return;
    const [cx, cy] = cellOf(p);
    const key = `${cx},${cy}`;
    grid.set(key, [...(grid.get(key) ?? []), index]);
  });
  const taken = new Array<boolean>(ordered.length).fill(false);
  const singles: ScreenPoint<T>[] = [];
  const clusters: ScreenCluster<T>[] = [];
  ordered.forEach((seed, index) => {
    if (taken[index]) return;
    taken[index] = true;
    if (isolated.has(seed.id)) return void singles.push(seed);
    const members: ScreenPoint<T>[] = [seed];
    const [cx, cy] = cellOf(seed);
    for (let dx = -1; dx <= 1; dx += 1) {
      for (let dy = -1; dy <= 1; dy += 1) {
        for (const other of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
          const candidate = ordered[other]!;
          if (taken[other] || Math.hypot(candidate.x - seed.x, candidate.y - seed.y) > radius) continue;
          taken[other] = true;
          members.push(candidate);
        }
      }
    }
    if (members.length === 1) singles.push(seed);
    else clusters.push({ x: seed.x, y: seed.y, members: members.sort((a, b) => (a === seed ? -1 : b === seed ? 1 : priority(b.item) - priority(a.item) || a.id.localeCompare(b.id))).map((m) => m.item) });
  });
  return { singles, clusters };
}

/** Something already drawn that a label should not cover: a marker or a cluster, as a circle. */
export interface Obstacle {
  x: number;
  y: number;
  radius: number;
}

export interface LabelBox {
  id: string;
  /** Where the label would like its centre (the subdistrict's centre). */
  x: number;
  y: number;
  width: number;
  height: number;
}

function circleHitsBox(circle: Obstacle, box: { x: number; y: number; width: number; height: number }): boolean {
  const nearestX = Math.max(box.x - box.width / 2, Math.min(circle.x, box.x + box.width / 2));
  const nearestY = Math.max(box.y - box.height / 2, Math.min(circle.y, box.y + box.height / 2));
  return Math.hypot(circle.x - nearestX, circle.y - nearestY) < circle.radius;
}

function boxesOverlap(a: LabelBox, b: LabelBox): boolean {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
}

/** Candidate centres around the wanted one: nearest first, above and below before the sides. */
function candidates(label: LabelBox, step: number, rings: number): { x: number; y: number }[] {
  const list = [{ x: label.x, y: label.y }];
  const directions = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, -1], [-1, -1], [1, 1], [-1, 1]] as const;
  for (let ring = 1; ring <= rings; ring += 1) {
    for (const [dx, dy] of directions) list.push({ x: label.x + dx * ring * step, y: label.y + dy * ring * step * 0.6 });
  }
  return list;
}

/**
 * Moves each area label off the markers and clusters, and off the labels placed before it: the
 * nearest free spot around its wanted centre, else the spot covering the fewest. The labels are
 * drawn above the markers anyway (their own pane), so when there is no free spot the name still
 * reads; this keeps it from sitting on a cluster's count.
 */
export function placeLabels(
  labels: readonly LabelBox[],
  obstacles: readonly Obstacle[],
  options: { step?: number; rings?: number; within?: { left: number; top: number; right: number; bottom: number } } = {},
): LabelBox[] {
  const step = options.step ?? 18;
  const rings = options.rings ?? 8;
  const within = options.within;
  // A label moved off the visible map would be as lost as a covered one.
  const visible = (box: LabelBox) =>
    within === undefined || (box.x - box.width / 2 >= within.left && box.x + box.width / 2 <= within.right && box.y - box.height / 2 >= within.top && box.y + box.height / 2 <= within.bottom);
  const placed: LabelBox[] = [];
  for (const label of labels) {
    let best: LabelBox = label;
    let bestHits = Number.POSITIVE_INFINITY;
    for (const spot of candidates(label, step, rings)) {
      const moved = { ...label, ...spot };
      if (!visible(moved)) continue;
      const hits = obstacles.filter((o) => circleHitsBox(o, moved)).length + placed.filter((p) => boxesOverlap(p, moved)).length * 2;
      if (hits < bestHits) {
        best = moved;
        bestHits = hits;
      }
      if (hits === 0) break;
    }
    placed.push(best);
  }
  return placed;
}

/** A box's fullest compartment, with overflow counted as fuller than any plain 100 %. */
export function fullestReading(device: DeviceWithState): { level: number; overflow: boolean } | null {
  if (device.kind !== 'box' || device.state.maxFillingLevel === null) return null;
  return { level: device.state.maxFillingLevel, overflow: device.state.compartments.some((c) => c.overflow === true) };
}

/**
 * Which device a group is drawn on and which markers go on top: the fullest boxes first (what an
 * operator looks for), boxes without a reading next, camera points last.
 */
export function markerPriority(device: DeviceWithState): number {
  if (device.kind === 'camera') return -2;
  const fullest = fullestReading(device);
  if (fullest === null) return -1;
  return fullest.level + (fullest.overflow ? 1 : 0);
}

export interface ClusterSummary {
  boxes: number;
  cameras: number;
  /** The fullest box of the group; null when no box in it has a reading. */
  fullest: { level: number; overflow: boolean } | null;
  /** Boxes at or above the threshold (to empty). */
  due: number;
}

export function summariseCluster(devices: readonly DeviceWithState[], threshold: number): ClusterSummary {
  const summary: ClusterSummary = { boxes: 0, cameras: 0, fullest: null, due: 0 };
  for (const device of devices) {
    if (device.kind === 'camera') {
      summary.cameras += 1;
      continue;
    }
    summary.boxes += 1;
    const reading = fullestReading(device);
    if (reading === null) continue;
    if (reading.level >= threshold || reading.overflow) summary.due += 1;
    const best = summary.fullest;
    if (best === null || reading.level > best.level || (reading.level === best.level && reading.overflow && !best.overflow)) summary.fullest = reading;
  }
  return summary;
}

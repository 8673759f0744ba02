/** Positions, dates and grid cells shared by the demo boxes and camera points. */
import type { Subdistrict } from '../../../shared/contracts/index.ts';
import { intBetween, normal, type Random } from '../../../shared/random.ts';
import type { PersonNamer } from './demo-names.ts';
import { DISTRICT_BOUNDS, GRID_DISTRICT_PREFIX, SUBDISTRICT_PLACES, type LatLon } from './tianning-places.ts';

// Keeps jittered points a little inside the district box rather than piled on its edge.
const EDGE_MARGIN = 0.002;
const DAY_MS = 86_400_000;

const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A point scattered normally around `centre`, kept inside the district. */
export function scatter(r: Random, centre: LatLon, spread: LatLon): LatLon {
  const b = DISTRICT_BOUNDS;
  return {
    lat: round6(clamp(normal(r, centre.lat, spread.lat), b.minLat + EDGE_MARGIN, b.maxLat - EDGE_MARGIN)),
    lon: round6(clamp(normal(r, centre.lon, spread.lon), b.minLon + EDGE_MARGIN, b.maxLon - EDGE_MARGIN)),
  };
}

/** A calendar day (YYYY-MM-DD) between two days, inclusive. */
export function dayBetween(r: Random, first: string, last: string): string {
  const from = Date.parse(`${first}T00:00:00Z`) / DAY_MS;
  const to = Date.parse(`${last}T00:00:00Z`) / DAY_MS;
  return new Date(intBetween(r, from, to) * DAY_MS).toISOString().slice(0, 10);
}

export function streetAddress(subdistrict: Subdistrict, road: string, houseNumber: number): string {
  return `常州市天宁区${SUBDISTRICT_PLACES[subdistrict].addressArea}${road}${houseNumber}号`;
}

const squaredDistance = (a: LatLon, b: LatLon): number => (a.lat - b.lat) ** 2 + (a.lon - b.lon) ** 2;

export interface GridCell {
  id: string;
  subdistrict: Subdistrict;
  responsiblePerson: string;
  /** Where the cell lies (its communities' centroid), to attach camera points to the nearest cell. */
  anchor: LatLon;
}

/** The nano-grid (纳米网格) of the demo: cells per subdistrict, each with one responsible person. */
export class DemoGrid {
  readonly #cells: GridCell[] = [];
  readonly #nextNumber = new Map<Subdistrict, number>();

  constructor(private readonly people: PersonNamer) {}

  /** A new cell, numbered on from the subdistrict's last one, with a person of its own. */
  open(subdistrict: Subdistrict, anchor: LatLon): GridCell {
    const n = this.#nextNumber.get(subdistrict) ?? 1;
    this.#nextNumber.set(subdistrict, n + 1);
    const id = `${GRID_DISTRICT_PREFIX}-${SUBDISTRICT_PLACES[subdistrict].abbrev}-${String(n).padStart(2, '0')}`;
    const cell = { id, subdistrict, responsiblePerson: this.people.next(), anchor };
    this.#cells.push(cell);
    return cell;
  }

  /** The subdistrict's cell nearest to a point; opens one when the subdistrict has none yet. */
  nearest(subdistrict: Subdistrict, at: LatLon): GridCell {
    let best: GridCell | undefined;
    for (const cell of this.#cells) {
      if (cell.subdistrict !== subdistrict) continue;
      if (best === undefined || squaredDistance(cell.anchor, at) < squaredDistance(best.anchor, at)) best = cell;
    }
    return best ?? this.open(subdistrict, at);
  }
}

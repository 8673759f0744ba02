/**
 * The planner's one distance port (issue 13): how far and how long from one point to another.
 * No road network is available offline, so the default is the great-circle distance times a
 * road factor at an average urban speed; an OSRM or VROOM table can implement the same port.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

export interface DistanceModel {
  /** Road kilometres from a to b. */
  km(a: LatLon, b: LatLon): number;
  /** Driving minutes from a to b (service time at the stop not included). */
  minutes(a: LatLon, b: LatLon): number;
}

export interface HaversineOptions {
  /**
   * Road km per straight-line km. 1.3 is the usual urban detour index (street grids and one-way
   * streets make a trip about a third longer than the crow flies).
   */
  roadFactor?: number;
  /** Average speed of a collection vehicle between stops, km/h: urban traffic, narrow estates. */
  speedKmh?: number;
}

export const DEFAULT_ROAD_FACTOR = 1.3;
export const DEFAULT_SPEED_KMH = 25;

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km. */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function haversineDistance(options: HaversineOptions = {}): DistanceModel {
  const roadFactor = options.roadFactor ?? DEFAULT_ROAD_FACTOR;
  const speedKmh = options.speedKmh ?? DEFAULT_SPEED_KMH;
  if (!(roadFactor >= 1)) throw new RangeError(`roadFactor must be at least 1, got ${roadFactor}`);
  if (!(speedKmh > 0)) throw new RangeError(`speedKmh must be positive, got ${speedKmh}`);
  const km = (a: LatLon, b: LatLon) => haversineKm(a, b) * roadFactor;
  return { km, minutes: (a, b) => (km(a, b) / speedKmh) * 60 };
}

/**
 * km and minutes between every pair of points, asked of the port once: the route search
 * looks pairs up millions of times, and a remote port (OSRM) answers a table in one request.
 */
export class DistanceMatrix {
  readonly size: number;
  private readonly kmTable: Float64Array;
  private readonly minTable: Float64Array;

  constructor(points: readonly LatLon[], model: DistanceModel) {
    const n = points.length;
    this.size = n;
    this.kmTable = new Float64Array(n * n);
    this.minTable = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        this.kmTable[i * n + j] = model.km(points[i]!, points[j]!);
        this.minTable[i * n + j] = model.minutes(points[i]!, points[j]!);
      }
    }
  }

  km(i: number, j: number): number {
    return this.kmTable[i * this.size + j]!;
  }

  minutes(i: number, j: number): number {
    return this.minTable[i * this.size + j]!;
  }
}

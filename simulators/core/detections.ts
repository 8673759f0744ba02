/**
 * What the street cameras see: how often each kind of city-appearance case starts at a
 * camera point, at which hours, and how long it lasts; which points watch dumping spots.
 */
import type { Device, DetectionType } from '../../shared/contracts/index.ts';
import { forkRandom } from '../../shared/random.ts';
import { type HourlyProfile, bandProfile, nightProfile } from './profiles.ts';

type PointType = NonNullable<Device['cameraPointType']>;

interface DetectionModel {
  /** Cases a day at an ordinary ('existing') camera point. */
  perDay: number;
  profile: HourlyProfile;
  minutes: readonly [number, number];
  /** Road and market demonstration points see more of some cases. */
  pointFactor: Record<PointType, number>;
}

export const DETECTION_MODELS: Record<DetectionType, DetectionModel> = {
  street_vending: {
    perDay: 0.7,
    // Breakfast stalls, lunch, and the evening market.
    profile: bandProfile([[6, 9, 1.5], [11, 13, 0.8], [16, 21, 1.6]], 0.03),
    minutes: [20, 120],
    pointFactor: { existing: 1, road: 1.4, market: 3 },
  },
  outside_store_operation: {
    perDay: 0.7,
    profile: bandProfile([[9, 21, 1]], 0.02),
    minutes: [30, 240],
    pointFactor: { existing: 1, road: 1.3, market: 2.5 },
  },
  disorderly_parking: {
    perDay: 0.9,
    // E-bikes left on the pavement around the commute.
    profile: bandProfile([[7, 10, 1.5], [10, 17, 0.8], [17, 21, 1.4]], 0.05),
    minutes: [15, 90],
    pointFactor: { existing: 1, road: 1.6, market: 1.3 },
  },
  overflowing_bin: {
    perDay: 0.5,
    profile: bandProfile([[10, 22, 1]], 0.1),
    minutes: [60, 300],
    pointFactor: { existing: 1, road: 1, market: 1.8 },
  },
  illegal_dumping: {
    // Only at hotspot cameras, and mostly under cover of night (21:00–05:00).
    perDay: 1.2,
    profile: nightProfile(1, 0.08),
    minutes: [60, 240],
    pointFactor: { existing: 1, road: 1, market: 1 },
  },
};

/** Mean simulated time between 'update' messages of an ongoing case. */
export const UPDATE_MEAN_MS = 15 * 60_000;
export const CAMERA_ZONES = 4;

/** Cases a day of one type at one camera point. */
export function detectionsPerDay(type: DetectionType, camera: Device, hotspot: boolean): number {
  if (type === 'illegal_dumping' && !hotspot) return 0;
  const model = DETECTION_MODELS[type];
  return model.perDay * model.pointFactor[camera.cameraPointType ?? 'existing'];
}

/**
 * The camera points watching illegal-dumping spots, chosen from the seed. Dumping happens on
 * the district's edges and roads (the report found 5 spots on its borders; Zhenglu pilots
 * muck-truck tracking), so road and market points and Zhenglu's come first. About one point in
 * ten, at most `count` (5 of the district's 54).
 */
export function chooseHotspots(cameras: readonly Device[], seed: string, count: number): string[] {
  const r = forkRandom(seed, 'dumping-hotspots');
  const score = (d: Device): number =>
    (d.subdistrict === 'zhenglu' ? 1 : 0) + (d.cameraPointType === 'road' || d.cameraPointType === 'market' ? 1 : 0);
  return cameras
    .map((d) => ({ id: d.id, score: score(d), tiebreak: r.next() }))
    .sort((a, b) => b.score - a.score || a.tiebreak - b.tiebreak)
    .slice(0, Math.min(count, Math.ceil(cameras.length / 10)))
    .map((c) => c.id);
}

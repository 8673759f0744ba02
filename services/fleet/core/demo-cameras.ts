/** The demo fleet's street camera points (智慧探头): existing, road and market points. */
import { SUBDISTRICTS, type Device, type Subdistrict } from '../../../shared/contracts/index.ts';
import { intBetween, pick, pickWeighted, type Random } from '../../../shared/random.ts';
import { dayBetween, scatter, streetAddress, type DemoGrid } from './demo-geo.ts';
import { cameraPointCounts } from './demo-shares.ts';
import { DEMONSTRATION_MARKETS, DEMONSTRATION_ROADS, SUBDISTRICT_PLACES, type LatLon } from './tianning-places.ts';

/** A residential community of the demo fleet, as the camera points need to know it. */
export interface DemoCommunity {
  name: string;
  subdistrict: Subdistrict;
  road: string;
  address: string;
  position: LatLon;
  installedOn: string;
  boxCount: number;
  gridCell: string;
  responsiblePerson: string;
}

/** A camera watching a community's entrance or bin area stands a street away from its boxes. */
const NEAR_COMMUNITY: LatLon = { lat: 0.0015, lon: 0.0018 };
const ALONG_ROAD_SPREAD_FACTOR = 0.8;

interface CameraSite {
  subdistrict: Subdistrict;
  community: string;
  name: string;
  address: string;
  at: LatLon;
  type: 'existing' | 'road' | 'market';
  installedOn: string;
}

/**
 * cam-001.. in type order: existing, then road, then market points. Any count keeps the
 * plan's 36/16/2 proportion (largest remainder: 4 cameras → 3 existing, 1 road); past 16
 * roads or 2 markets, further points go to the same places as extra sections.
 */
export function generateDemoCameras(r: Random, grid: DemoGrid, communities: DemoCommunity[], count: number): Device[] {
  const counts = cameraPointCounts(count);
  const sites: CameraSite[] = [];
  const usedNames = new Map<string, number>();
  const uniqueName = (base: string, label: string) => {
    const n = (usedNames.get(base) ?? 0) + 1;
    usedNames.set(base, n);
    return n === 1 ? `${base} ${label}` : `${base} ${label} ${n}`;
  };

  for (let i = 0; i < counts.existing; i++) {
    // The 36 existing points predate the plan; they were put where people and boxes are.
    const subdistrict = pickWeighted(r, SUBDISTRICTS.map((s) => [s, SUBDISTRICT_PLACES[s].boxWeight] as const));
    const nearby = communities.filter((c) => c.subdistrict === subdistrict);
    const places = SUBDISTRICT_PLACES[subdistrict];
    const community = nearby.length > 0 ? pick(r, nearby) : undefined;
    const road = community?.road ?? pick(r, places.roads);
    const place = community?.name ?? road;
    sites.push({
      subdistrict,
      community: place,
      name: uniqueName(place, '监控点'),
      address: streetAddress(subdistrict, road, intBetween(r, 1, 400)),
      at: community ? scatter(r, community.position, NEAR_COMMUNITY) : scatter(r, places.centre, places.spread),
      type: 'existing',
      installedOn: dayBetween(r, '2019-04-01', '2023-06-30'),
    });
  }
  for (let i = 0; i < counts.road; i++) {
    const { road, subdistrict } = DEMONSTRATION_ROADS[i % DEMONSTRATION_ROADS.length]!;
    sites.push({
      subdistrict,
      community: road,
      name: uniqueName(road, '城市容貌示范点'),
      address: streetAddress(subdistrict, road, intBetween(r, 1, 400)),
      at: alongRoad(r, subdistrict),
      type: 'road',
      // The 18 demonstration points are 2024's work.
      installedOn: dayBetween(r, '2024-03-01', '2024-06-30'),
    });
  }
  for (let i = 0; i < counts.market; i++) {
    const { market, road, subdistrict } = DEMONSTRATION_MARKETS[i % DEMONSTRATION_MARKETS.length]!;
    sites.push({
      subdistrict,
      community: market,
      name: uniqueName(market, '监控点'),
      address: `${streetAddress(subdistrict, road, intBetween(r, 1, 400))}${market}`,
      at: alongRoad(r, subdistrict),
      type: 'market',
      installedOn: dayBetween(r, '2024-03-01', '2024-06-30'),
    });
  }

  return sites.map((site, i) => {
    const cell = grid.nearest(site.subdistrict, site.at);
    return {
      id: `cam-${String(i + 1).padStart(3, '0')}`,
      kind: 'camera',
      name: site.name,
      lat: site.at.lat,
      lon: site.at.lon,
      subdistrict: site.subdistrict,
      community: site.community,
      address: site.address,
      compartments: [],
      cameraPointType: site.type,
      installedOn: site.installedOn,
      gridCell: cell.id,
      responsiblePerson: cell.responsiblePerson,
    };
  });
}

function alongRoad(r: Random, subdistrict: Subdistrict): LatLon {
  const { centre, spread } = SUBDISTRICT_PLACES[subdistrict];
  return scatter(r, centre, { lat: spread.lat * ALONG_ROAD_SPREAD_FACTOR, lon: spread.lon * ALONG_ROAD_SPREAD_FACTOR });
}

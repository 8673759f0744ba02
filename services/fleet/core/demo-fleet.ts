/**
 * The district's demo fleet: 605 smart recyclable-collection boxes in residential communities
 * and 54 camera points, the same for the same seed on every machine.
 */
import { SUBDISTRICTS, type CompartmentSpec, type Device, type Subdistrict } from '../../../shared/contracts/index.ts';
import { forkRandom, intBetween, type Random } from '../../../shared/random.ts';
import { generateDemoCameras, type DemoCommunity } from './demo-cameras.ts';
import { DemoGrid, dayBetween, scatter, streetAddress } from './demo-geo.ts';
import { CommunityNamer, PersonNamer } from './demo-names.ts';
import { apportion } from './demo-shares.ts';
import { SUBDISTRICT_PLACES, type LatLon } from './tianning-places.ts';

export const DEMO_FLEET_SIZE = { boxes: 605, cameras: 54 } as const;

/** Capacities in kg: plastic is light and bulky, so fewer kg fit in the same volume. */
export const BOX_COMPARTMENTS: readonly CompartmentSpec[] = [
  { category: 'paper', capacityKg: 150 },
  { category: 'plastic', capacityKg: 60 },
  { category: 'metal', capacityKg: 80 },
  { category: 'glass', capacityKg: 120 },
  { category: 'textile', capacityKg: 100 },
];

export interface DemoFleetOptions {
  seed: string;
  boxes?: number;
  cameras?: number;
}

const PILOT_COMMUNITY = '新天地花苑';
/** ~800 households: the pilot gets more boxes than an ordinary community. */
const PILOT_BOXES = 6;
const BOXES_PER_COMMUNITY = { min: 2, max: 6 };
const BOXES_PER_GRID_CELL = { min: 8, max: 14 };
/** Boxes of a community stand within about a hundred metres of each other. */
const BOX_SPREAD: LatLon = { lat: 0.0007, lon: 0.0008 };

/**
 * Boxes first (box-0001.., subdistrict by subdistrict), then camera points (cam-001..).
 * Boxes, cameras and people draw from separate random streams of the seed, so changing the
 * number of cameras leaves the boxes as they were.
 */
export function generateDemoFleet(options: DemoFleetOptions): Device[] {
  const boxCount = options.boxes ?? DEMO_FLEET_SIZE.boxes;
  const cameraCount = options.cameras ?? DEMO_FLEET_SIZE.cameras;
  const r = forkRandom(options.seed, 'boxes');
  const grid = new DemoGrid(new PersonNamer(forkRandom(options.seed, 'people')));
  const namer = new CommunityNamer(r);
  for (const s of SUBDISTRICTS) for (const name of SUBDISTRICT_PLACES[s].knownCommunities) namer.reserve(name);

  const perSubdistrict = apportion(
    boxCount,
    SUBDISTRICTS.map((s) => SUBDISTRICT_PLACES[s].boxWeight),
  );
  const communities: DemoCommunity[] = [];
  for (const [i, subdistrict] of SUBDISTRICTS.entries()) {
    const here = planCommunities(r, namer, subdistrict, perSubdistrict[i]!);
    assignGridCells(r, grid, subdistrict, here);
    communities.push(...here);
  }

  const boxes: Device[] = [];
  for (const community of communities) {
    for (let n = 1; n <= community.boxCount; n++) {
      const id = `box-${String(boxes.length + 1).padStart(4, '0')}`;
      boxes.push(boxIn(r, community, id, n));
    }
  }
  const cameras = generateDemoCameras(forkRandom(options.seed, 'cameras'), grid, communities, cameraCount);
  return [...boxes, ...cameras];
}

function planCommunities(r: Random, namer: CommunityNamer, subdistrict: Subdistrict, boxes: number): DemoCommunity[] {
  const places = SUBDISTRICT_PLACES[subdistrict];
  const communities: DemoCommunity[] = [];
  let left = boxes;
  while (left > 0) {
    const known = places.knownCommunities[communities.length];
    const name = known ?? namer.next(subdistrict);
    const wanted = name === PILOT_COMMUNITY ? PILOT_BOXES : intBetween(r, BOXES_PER_COMMUNITY.min, BOXES_PER_COMMUNITY.max);
    const boxCount = Math.min(wanted, left);
    left -= boxCount;
    const road = places.roads[intBetween(r, 0, places.roads.length - 1)]!;
    communities.push({
      name,
      subdistrict,
      road,
      address: `${streetAddress(subdistrict, road, intBetween(r, 1, 400))}${name}`,
      position: scatter(r, places.centre, places.spread),
      // A community's boxes went in together, in one round of the 2021–2024 roll-out.
      installedOn: dayBetween(r, '2021-03-01', '2024-10-31'),
      boxCount,
      gridCell: '',
      responsiblePerson: '',
    });
  }
  return communities;
}

/**
 * Cuts the subdistrict into cells of 8–14 boxes. Communities are taken in order of their
 * bearing from the centre, so a cell is a wedge of neighbouring communities, not a scatter.
 */
function assignGridCells(r: Random, grid: DemoGrid, subdistrict: Subdistrict, communities: DemoCommunity[]): void {
  const centre = SUBDISTRICT_PLACES[subdistrict].centre;
  const bearing = (c: DemoCommunity) => Math.atan2(c.position.lat - centre.lat, c.position.lon - centre.lon);
  const ordered = [...communities].sort((a, b) => bearing(a) - bearing(b));
  let members: DemoCommunity[] = [];
  let target = intBetween(r, BOXES_PER_GRID_CELL.min, BOXES_PER_GRID_CELL.max);
  const close = () => {
    const anchor = {
      lat: members.reduce((sum, c) => sum + c.position.lat, 0) / members.length,
      lon: members.reduce((sum, c) => sum + c.position.lon, 0) / members.length,
    };
    const cell = grid.open(subdistrict, anchor);
    for (const c of members) {
      c.gridCell = cell.id;
      c.responsiblePerson = cell.responsiblePerson;
    }
    members = [];
    target = intBetween(r, BOXES_PER_GRID_CELL.min, BOXES_PER_GRID_CELL.max);
  };
  for (const community of ordered) {
    members.push(community);
    if (members.reduce((sum, c) => sum + c.boxCount, 0) >= target) close();
  }
  if (members.length > 0) close();
}

function boxIn(r: Random, community: DemoCommunity, id: string, n: number): Device {
  const at = scatter(r, community.position, BOX_SPREAD);
  return {
    id,
    kind: 'box',
    name: `${community.name} ${n}号回收箱`,
    lat: at.lat,
    lon: at.lon,
    subdistrict: community.subdistrict,
    community: community.name,
    address: community.address,
    compartments: BOX_COMPARTMENTS.map((c) => ({ ...c })),
    cameraPointType: null,
    installedOn: community.installedOn,
    gridCell: community.gridCell,
    responsiblePerson: community.responsiblePerson,
  };
}

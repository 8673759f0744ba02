/**
 * The demo district's chain after the transfer stations (issue 14): its sorting centre
 * (分拣中心, where the 60–80 t/day of recyclables are sorted) and a weighbridge (device kind
 * `scale`) at every site. Pure and deterministic, like the rest of the demo fleet.
 *
 * The sorting centre's place is not published: it is put by the 青龙 industrial roads in the
 * district's north-east, plausible for a plant that takes lorries from all ten stations.
 */
import type { NewDevice, Site, SortingCentre } from '../../../shared/contracts/index.ts';
import { streetAddress } from './demo-geo.ts';
import { SUBDISTRICT_PLACES } from './tianning-places.ts';

export const DEMO_SORTING_CENTRE_ID = 'sc-01';
/** The day the demo weighbridges were installed (the closed-loop project's start, 2024). */
const SCALES_INSTALLED_ON = '2024-05-01';

export function demoSortingCentre(): SortingCentre {
  const qinglong = SUBDISTRICT_PLACES.qinglong;
  return {
    id: DEMO_SORTING_CENTRE_ID,
    kind: 'sorting_centre',
    name: '天宁区再生资源分拣中心',
    // A little north-east of the subdistrict's centre, away from housing.
    position: { lat: round6(qinglong.centre.lat + 0.012), lon: round6(qinglong.centre.lon + 0.015) },
    subdistrict: 'qinglong',
    address: streetAddress('qinglong', qinglong.roads[0]!, 88),
    operator: '天宁区环境卫生管理所',
    categories: ['paper', 'plastic', 'metal', 'glass', 'textile'],
  };
}

/** scale-ts-01 … for site ts-01 …: the id says where it weighs. */
export const scaleIdOf = (siteId: string): string => `scale-${siteId}`;

/** One weighbridge per site, at the site's gate (its position), named after it. */
export function demoScales(sites: readonly Site[]): NewDevice[] {
  return sites.map((site) => ({
    id: scaleIdOf(site.id),
    kind: 'scale',
    name: `${site.name}地磅`,
    lat: site.position.lat,
    lon: site.position.lon,
    subdistrict: site.subdistrict,
    // Scales belong to no residential community: the site stands in, so the tags stay filled.
    community: site.name,
    address: site.address,
    compartments: [],
    cameraPointType: null,
    installedOn: SCALES_INSTALLED_ON,
    gridCell: site.id,
    responsiblePerson: site.operator ?? site.name,
    siteId: site.id,
  }));
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

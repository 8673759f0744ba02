/**
 * Provisions the district's demo fleet and keeps its credentials file usable, so the
 * simulator can always connect: the registry stores only secret hashes, so a lost file can
 * only be recovered by issuing new secrets.
 */
import { existsSync } from 'node:fs';
import type { FleetCredentialsFile } from '../../shared/contracts/index.ts';
import { CredentialsFileError, readCredentialsFile, writeCredentialsFile } from './adapters/credentials-file.ts';
import { demoScales, demoSortingCentre } from './core/demo-chain.ts';
import { DEMO_FLEET_SIZE, generateDemoFleet } from './core/demo-fleet.ts';
import { generateDemoSites, type DemoSites } from './core/demo-sites.ts';
import type { FleetRegistry, ProvisionedDevice, ProvisionedVehicle, SiteRegistry } from './core/registry.ts';
import { type CommunityRegistry, demoCommunities } from './core/communities.ts';

export interface ProvisionDemoOptions {
  registry: FleetRegistry & SiteRegistry;
  credentialsPath: string;
  seed: string;
  boxes?: number;
  cameras?: number;
  /** Stamps the credentials file's generatedAt. */
  now?: () => Date;
  /** Given: a demo registry without communities gets the demo's households (issue 14). */
  communities?: CommunityRegistry;
}

export type ProvisionOutcome =
  /** The registry was empty: the demo fleet was added and the file written. */
  | 'created'
  /** The file was missing: the demo devices got new secrets and the file was rewritten. */
  | 'rotated'
  /** The registry has devices and the file exists: nothing to do. */
  | 'unchanged'
  /** The registry has devices, none of them the demo fleet's: no file, as there is nothing to simulate. */
  | 'not-demo';

export interface ProvisionResult {
  outcome: ProvisionOutcome;
  /** Devices added to the registry. */
  created: number;
  /** Demo devices that got new secrets. */
  rotated: number;
  credentialsPath: string;
  /** Demo transfer stations and vehicles added (0 when the registry already had sites, or is not a demo one). */
  sites: { stations: number; vehicles: number };
  /** Demo sorting centres and weighbridges (scales) added (issue 14; 0 when the registry had them). */
  chain: { sortingCentres: number; scales: number };
}

export function provisionDemoFleet(options: ProvisionDemoOptions): ProvisionResult {
  const { registry, credentialsPath } = options;
  const now = options.now ?? (() => new Date());
  const fleet = generateDemoFleet({
    seed: options.seed,
    boxes: options.boxes ?? DEMO_FLEET_SIZE.boxes,
    cameras: options.cameras ?? DEMO_FLEET_SIZE.cameras,
  });
  const demoSites = generateDemoSites({ seed: options.seed, boxes: fleet.filter((d) => d.kind === 'box') });
  let sites = { stations: 0, vehicles: 0 };
  let chain = { sortingCentres: 0, scales: 0 };
  // A demo registry (new, or made before issue 14) gets its communities' households once; an
  // operator's own registry, or one whose communities were already set, is left alone.
  const addDemoCommunities = () => {
    const communities = options.communities;
    if (communities !== undefined && communities.listCommunities().length === 0) communities.setCommunities(demoCommunities(fleet));
  };
  const result = (outcome: ProvisionOutcome, created = 0, rotated = 0): ProvisionResult => ({
    outcome,
    created,
    rotated,
    credentialsPath,
    sites,
    chain,
  });

  if (registry.count() === 0) {
    const provisioned = registry.addMany(fleet);
    addDemoCommunities();
    const vehicles = addDemoSites(registry, demoSites);
    sites = { stations: vehicles.length > 0 ? demoSites.stations.length : 0, vehicles: vehicles.length };
    const added = addDemoChain(registry);
    chain = added.counts;
    // Written after the commit: if writing fails, the next start finds the file missing and rotates.
    write(registry, credentialsPath, [...provisioned, ...added.scales], vehicles, now);
    return result('created', provisioned.length + added.scales.length);
  }
  if (!fleet.some(({ id }) => registry.get(id) !== undefined)) {
    return existsSync(credentialsPath) ? result('unchanged') : result('not-demo');
  }

  addDemoCommunities();
  // A demo registry made before issue 13 gets its stations and vehicles now, their secrets
  // added to the file beside the devices' (which stay as they are).
  // Likewise, one made before issue 14 gets its sorting centre and weighbridges.
  const added = addDemoSites(registry, demoSites);
  sites = { stations: added.length > 0 ? demoSites.stations.length : 0, vehicles: added.length };
  const addedChain = addDemoChain(registry);
  chain = addedChain.counts;
  if (existsSync(credentialsPath)) {
    const file = readOrNull(credentialsPath);
    // A file from before issue 14 has no sites: rewritten once so the simulator learns them.
    if (added.length === 0 && addedChain.scales.length === 0 && file?.sites !== undefined) return result('unchanged');
    if (file !== null) {
      write(registry, credentialsPath, [...file.devices, ...addedChain.scales], [...(file.vehicles ?? []), ...added], now);
      return result('unchanged', addedChain.scales.length);
    }
  }

  // The file is lost (or unreadable): only the demo ids still registered get new secrets, as an
  // operator may have removed some or added their own.
  const demo: ProvisionedDevice[] = [];
  for (const { id } of [...fleet, ...demoScales(registry.listSites())]) {
    const device = registry.get(id);
    if (device !== undefined) demo.push({ device, secret: registry.rotateSecret(id) });
  }
  const vehicles: ProvisionedVehicle[] = [];
  for (const { id } of demoSites.vehicles) {
    const vehicle = registry.getVehicle(id);
    if (vehicle !== undefined) vehicles.push({ vehicle, secret: registry.rotateVehicleSecret(id) });
  }
  write(registry, credentialsPath, demo, vehicles, now);
  return result('rotated', addedChain.scales.length, demo.length);
}

/**
 * Adds the demo's transfer stations and vehicles when the registry has neither, so an operator
 * who removed a few keeps them removed; all or nothing, in one transaction.
 */
function addDemoSites(registry: SiteRegistry, demo: DemoSites): ProvisionedVehicle[] {
  if (registry.listStations().length > 0 || registry.listVehicles().length > 0) return [];
  return registry.addSites(demo.stations, demo.vehicles);
}

/**
 * Adds the demo sorting centre when the registry has none, then a weighbridge at every site
 * when the registry has no scale yet (an operator's removals stay removed); one transaction.
 */
function addDemoChain(registry: FleetRegistry & SiteRegistry): {
  scales: ProvisionedDevice[];
  counts: { sortingCentres: number; scales: number };
} {
  const hasCentre = registry.listSites().some((s) => s.kind === 'sorting_centre');
  if (!hasCentre) registry.addSite(demoSortingCentre());
  const scales = registry.list({ kind: 'scale' }).length > 0 ? [] : registry.addMany(demoScales(registry.listSites()));
  return { scales, counts: { sortingCentres: hasCentre ? 0 : 1, scales: scales.length } };
}

/** The file as it is, or null when it cannot be used: then everyone gets new secrets. */
function readOrNull(path: string): FleetCredentialsFile | null {
  try {
    return readCredentialsFile(path);
  } catch (error) {
    if (error instanceof CredentialsFileError) return null;
    throw error;
  }
}

function write(
  registry: SiteRegistry,
  path: string,
  devices: ProvisionedDevice[],
  vehicles: ProvisionedVehicle[],
  now: () => Date,
): void {
  const file: FleetCredentialsFile = { generatedAt: now().toISOString(), devices, vehicles, sites: registry.listSites() };
  writeCredentialsFile(path, file);
}

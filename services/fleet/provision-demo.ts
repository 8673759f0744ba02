/**
 * Provisions the district's demo fleet and keeps its credentials file usable, so the
 * simulator can always connect: the registry stores only secret hashes, so a lost file can
 * only be recovered by issuing new secrets.
 */
import { existsSync } from 'node:fs';
import type { FleetCredentialsFile } from '../../shared/contracts/index.ts';
import { CredentialsFileError, readCredentialsFile, writeCredentialsFile } from './adapters/credentials-file.ts';
import { DEMO_FLEET_SIZE, generateDemoFleet } from './core/demo-fleet.ts';
import { generateDemoSites, type DemoSites } from './core/demo-sites.ts';
import type { FleetRegistry, ProvisionedDevice, ProvisionedVehicle, SiteRegistry } from './core/registry.ts';

export interface ProvisionDemoOptions {
  registry: FleetRegistry & SiteRegistry;
  credentialsPath: string;
  seed: string;
  boxes?: number;
  cameras?: number;
  /** Stamps the credentials file's generatedAt. */
  now?: () => Date;
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
  const result = (outcome: ProvisionOutcome, created = 0, rotated = 0): ProvisionResult => ({
    outcome,
    created,
    rotated,
    credentialsPath,
    sites,
  });

  if (registry.count() === 0) {
    const provisioned = registry.addMany(fleet);
    const vehicles = addDemoSites(registry, demoSites);
    sites = { stations: vehicles.length > 0 ? demoSites.stations.length : 0, vehicles: vehicles.length };
    // Written after the commit: if writing fails, the next start finds the file missing and rotates.
    write(credentialsPath, provisioned, vehicles, now);
    return result('created', provisioned.length);
  }
  if (!fleet.some(({ id }) => registry.get(id) !== undefined)) {
    return existsSync(credentialsPath) ? result('unchanged') : result('not-demo');
  }

  // A demo registry made before issue 13 gets its stations and vehicles now, their secrets
  // added to the file beside the devices' (which stay as they are).
  const added = addDemoSites(registry, demoSites);
  sites = { stations: added.length > 0 ? demoSites.stations.length : 0, vehicles: added.length };
  if (existsSync(credentialsPath)) {
    if (added.length === 0) return result('unchanged');
    const file = readOrNull(credentialsPath);
    if (file !== null) {
      write(credentialsPath, file.devices, [...(file.vehicles ?? []), ...added], now);
      return result('unchanged');
    }
  }

  // The file is lost (or unreadable): only the demo ids still registered get new secrets, as an
  // operator may have removed some or added their own.
  const demo: ProvisionedDevice[] = [];
  for (const { id } of fleet) {
    const device = registry.get(id);
    if (device !== undefined) demo.push({ device, secret: registry.rotateSecret(id) });
  }
  const vehicles: ProvisionedVehicle[] = [];
  for (const { id } of demoSites.vehicles) {
    const vehicle = registry.getVehicle(id);
    if (vehicle !== undefined) vehicles.push({ vehicle, secret: registry.rotateVehicleSecret(id) });
  }
  write(credentialsPath, demo, vehicles, now);
  return result('rotated', 0, demo.length);
}

/**
 * Adds the demo's transfer stations and vehicles when the registry has neither, so an operator
 * who removed a few keeps them removed; all or nothing, in one transaction.
 */
function addDemoSites(registry: SiteRegistry, demo: DemoSites): ProvisionedVehicle[] {
  if (registry.listStations().length > 0 || registry.listVehicles().length > 0) return [];
  return registry.addSites(demo.stations, demo.vehicles);
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

function write(path: string, devices: ProvisionedDevice[], vehicles: ProvisionedVehicle[], now: () => Date): void {
  const file: FleetCredentialsFile = { generatedAt: now().toISOString(), devices, vehicles };
  writeCredentialsFile(path, file);
}

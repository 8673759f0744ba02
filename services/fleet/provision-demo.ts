/**
 * Provisions the district's demo fleet and keeps its credentials file usable, so the
 * simulator can always connect: the registry stores only secret hashes, so a lost file can
 * only be recovered by issuing new secrets.
 */
import { existsSync } from 'node:fs';
import type { Device, FleetCredentialsFile } from '../../shared/contracts/index.ts';
import { writeCredentialsFile } from './adapters/credentials-file.ts';
import { DEMO_FLEET_SIZE, generateDemoFleet } from './core/demo-fleet.ts';
import { generateDemoSites } from './core/demo-sites.ts';
import type { FleetRegistry, ProvisionedDevice, SiteRegistry } from './core/registry.ts';

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
    sites = provisionDemoSites(registry, fleet, options.seed);
    // Written after the commit: if writing fails, the next start finds the file missing and rotates.
    write(credentialsPath, provisioned, now);
    return result('created', provisioned.length);
  }
  // A demo registry made before issue 13 gets its stations and vehicles now.
  if (fleet.some(({ id }) => registry.get(id) !== undefined)) sites = provisionDemoSites(registry, fleet, options.seed);
  if (existsSync(credentialsPath)) return result('unchanged');

  // Only the demo ids still registered: an operator may have removed some or added their own.
  const demo: ProvisionedDevice[] = [];
  for (const { id } of fleet) {
    const device = registry.get(id);
    if (device !== undefined) demo.push({ device, secret: registry.rotateSecret(id) });
  }
  if (demo.length === 0) return result('not-demo');
  write(credentialsPath, demo, now);
  return result('rotated', 0, demo.length);
}

/**
 * Adds the demo's transfer stations and vehicles when the registry has neither, so an operator
 * who removed a few keeps them removed; all or nothing, in one transaction.
 * TODO(issue 13, closed loop): the vehicles' secrets are not kept; the simulator's vehicles will
 * need them in the credentials file (rotate them there, as for lost device secrets).
 */
function provisionDemoSites(registry: SiteRegistry, fleet: readonly Device[], seed: string): ProvisionResult['sites'] {
  if (registry.listStations().length > 0 || registry.listVehicles().length > 0) return { stations: 0, vehicles: 0 };
  const demo = generateDemoSites({ seed, boxes: fleet.filter((d) => d.kind === 'box') });
  const vehicles = registry.addSites(demo.stations, demo.vehicles);
  return { stations: demo.stations.length, vehicles: vehicles.length };
}

function write(path: string, devices: ProvisionedDevice[], now: () => Date): void {
  const file: FleetCredentialsFile = { generatedAt: now().toISOString(), devices };
  writeCredentialsFile(path, file);
}

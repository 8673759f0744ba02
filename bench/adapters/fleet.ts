/**
 * A DATA_DIR with a registered fleet and its credentials file, as the platform itself
 * provisions the demo fleet (same code), but of any size: the platform started on it finds
 * the registry and the file and uses them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCredentialsPath } from '../../services/fleet/adapters/credentials-file.ts';
import { SqliteFleetRegistry } from '../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { provisionDemoFleet } from '../../services/fleet/provision-demo.ts';
import { openDatabase } from '../../services/storage/sqlite.ts';

export const BENCH_SEED = 'tianning';

export interface PreparedFleet {
  dataDir: string;
  credentialsPath: string;
  devices: number;
  cleanUp(): void;
}

export function prepareFleet(boxes: number, cameras: number): PreparedFleet {
  const dataDir = mkdtempSync(join(tmpdir(), 'bp-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'binpulse.db'));
  try {
    const result = provisionDemoFleet({
      registry: new SqliteFleetRegistry(db),
      credentialsPath: demoCredentialsPath(dataDir),
      seed: BENCH_SEED,
      boxes,
      cameras,
    });
    return {
      dataDir,
      credentialsPath: result.credentialsPath,
      devices: result.created,
      cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
    };
  } finally {
    db.close();
  }
}

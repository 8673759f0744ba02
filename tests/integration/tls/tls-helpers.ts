/** What the TLS tests share: devices provisioned into a platform's DATA_DIR, commands run as an operator would. */
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { EXAMPLE_PAYLOADS } from '../../../shared/contracts/examples.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { TEST_BOX } from '../../support/devices.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Provisions boxes (before the platform starts, or while it runs: the CLI does the same) and answers their secrets. */
export function provisionBoxes(dataDir: string, ids: string[]): Record<string, string> {
  const db = openDatabase(join(dataDir, 'binpulse.db'));
  try {
    const registry = new SqliteFleetRegistry(db);
    const compartments = EXAMPLE_PAYLOADS.telemetry.compartments.map((c) => ({ category: c.category, capacityKg: 150 }));
    return Object.fromEntries(ids.map((id) => [id, registry.add({ ...TEST_BOX, id, compartments }).secret]));
  } finally {
    db.close();
  }
}

/** A valid telemetry message of now, with this battery level. */
export function telemetry(batteryPercent: number): string {
  const example = EXAMPLE_PAYLOADS.telemetry;
  return JSON.stringify({ ...example, ts: new Date().toISOString(), power: { source: 'battery', batteryPercent } });
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (never throws on a non-zero exit). */
export function run(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** `npm run fleet -- …` on that DATA_DIR. */
export function fleet(dataDir: string, args: string[]): Promise<Ran> {
  return run(process.execPath, ['--import', 'tsx', 'services/fleet/cli.ts', ...args], { DATA_DIR: dataDir });
}

/** A port nothing listens on right now (bound, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects and resolves on CONNACK 0; rejects with mqtt.js' error (its `code` is the CONNACK code) or on close. */
export function mqttConnected(url: string, options: IClientOptions, opened: MqttClient[]): Promise<MqttClient> {
  const client = connect(url, { reconnectPeriod: 0, connectTimeout: 20_000, ...options });
  opened.push(client);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

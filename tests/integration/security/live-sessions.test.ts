/**
 * Issue 15, on a real platform process: revoking a token ends the sessions that hold it (an
 * open alert stream, a connected MQTT observer) within 1 s; `fleet rotate-secret`, run as a
 * separate process, disconnects the device's live session; alert streams are capped per token;
 * DATA_DIR is 0700 and its files 0600, including ones an older version left readable.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseStream } from '../../support/sse-client.ts';
import { startPlatformProcess, type RunningPlatform } from '../../support/platform-process.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAX_STREAMS = 2;

let platform: RunningPlatform;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  // An older version's DATA_DIR: world-readable folder and files.
  const dataDir = mkdtempSync(join(tmpdir(), 'bp-live-sessions-'));
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'old-notes.txt'), 'left by hand\n', { mode: 0o644 });
  chmodSync(join(dataDir, 'old-notes.txt'), 0o644);
  mkdirSync(join(dataDir, 'backups'), { mode: 0o755 });
  platform = await startPlatformProcess(
    { SIMULATOR: 'off', DEMO_FLEET: 'off', DEMO_HISTORY_DAYS: '0', TLS: 'off', SSE_MAX_STREAMS_PER_TOKEN: String(MAX_STREAMS) },
    { dataDir },
  );
}, 90_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await platform?.stop();
  platform?.cleanUp();
});

async function api(path: string, init: RequestInit = {}, token = platform.adminToken): Promise<Response> {
  return fetch(`${platform.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
  });
}

async function newToken(name: string): Promise<{ id: string; token: string }> {
  const res = await api('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ role: 'operator', name }) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string };
}

async function stream(token: string): Promise<SseStream> {
  const s = await openSse(`${platform.baseUrl}/api/v1/alerts/stream`, { authorization: `Bearer ${token}` });
  cleanups.push(() => s.close());
  return s;
}

function mqttConnect(options: { clientId: string; username: string; password: string }): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${platform.mqttPort}`, { ...options, reconnectPeriod: 0, connectTimeout: 5_000 });
    cleanups.push(() => client.end(true));
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

/** Resolves true when `happened` settles within ms, false otherwise. */
function within(happened: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([happened.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${platform.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('revoking a token ends its live sessions', () => {
  it('closes its alert stream and disconnects its MQTT observer within 1 s; both are refused afterwards', async () => {
    const { id, token } = await newToken('dashboard to revoke');
    const other = await newToken('dashboard that stays');
    const sse = await stream(token);
    expect(sse.status).toBe(200);
    expect((await sse.next()).event).toBe('snapshot');
    const staying = await stream(other.token);
    await staying.next();
    const observer = await mqttConnect({ clientId: 'observer-revoked', username: 'api', password: token });
    const observerClosed = new Promise<void>((r) => observer.once('close', () => r()));

    expect((await api(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    // Both signals are awaited together: the 1 s bound holds for each from the revocation.
    const [sseEnded, observerEnded] = await Promise.all([within(sse.closed, 1000), within(observerClosed, 1000)]);
    expect(sseEnded).toBe(true);
    expect(observerEnded).toBe(true);

    // The other token's stream is untouched.
    expect(await within(staying.closed, 300)).toBe(false);
    expect((await openSse(`${platform.baseUrl}/api/v1/alerts/stream`, { authorization: `Bearer ${token}` })).status).toBe(401);
    const refused = await mqttConnect({ clientId: 'observer-again', username: 'api', password: token }).catch((e: unknown) => e);
    expect((refused as { code?: number }).code).toBe(4);
    expect(await metric('binpulse_alert_streams_closed_total', 'reason="revoked"')).toBe(1);
  });
});

describe('alert streams per token', () => {
  it(`allows ${MAX_STREAMS} streams per token, answers 429 beyond and counts it; another token is not affected`, async () => {
    const { token } = await newToken('many tabs');
    const open: SseStream[] = [];
    for (let i = 0; i < MAX_STREAMS; i++) open.push(await stream(token));
    expect(open.map((s) => s.status)).toEqual(Array(MAX_STREAMS).fill(200));
    const before = await metric('binpulse_alert_streams_refused_total', 'reason="per_token_cap"');
    const beyond = await fetch(`${platform.baseUrl}/api/v1/alerts/stream`, { headers: { authorization: `Bearer ${token}` } });
    expect(beyond.status).toBe(429);
    expect(((await beyond.json()) as { code: string }).code).toBe('BP_TOO_MANY_STREAMS');
    expect(await metric('binpulse_alert_streams_refused_total', 'reason="per_token_cap"')).toBe(before + 1);
    // A closed stream frees its place.
    open[0]!.close();
    await open[0]!.closed;
    const { token: otherToken } = await newToken('another dashboard');
    expect((await stream(otherToken)).status).toBe(200);
    let again: SseStream | undefined;
    for (let i = 0; i < 50 && again?.status !== 200; i++) {
      again?.close();
      again = await stream(token);
      if (again.status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.status).toBe(200);
  });
});

describe('fleet rotate-secret from another process', () => {
  function fleet(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync('npx', ['tsx', 'services/fleet/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: platform.dataDir },
      encoding: 'utf8',
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it("disconnects the device's live session; the old secret is refused", async () => {
    const added = fleet(
      'add', '--id', 'cam-951', '--kind', 'camera', '--name', '劳动路 示范点', '--lat', '31.77', '--lon', '119.99',
      '--subdistrict', 'lanling', '--community', '劳动路', '--address', '常州市天宁区劳动东路88号',
      '--grid-cell', 'TN-LL-01', '--responsible', '钱芳', '--camera-point-type', 'road',
    );
    expect(added.code, added.stderr).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(added.stdout)![1]!;
    const device = await mqttConnect({ clientId: 'cam-951', username: 'cam-951', password: secret });
    const closed = new Promise<void>((r) => device.once('close', () => r()));

    const rotated = fleet('rotate-secret', 'cam-951');
    expect(rotated.code, rotated.stderr).toBe(0);
    // The platform polls the registry's change mark every second: 3 s is a generous bound.
    expect(await within(closed, 3000)).toBe(true);
    const refused = await mqttConnect({ clientId: 'cam-951', username: 'cam-951', password: secret }).catch((e: unknown) => e);
    expect((refused as { code?: number }).code).toBe(4);
    const fresh = /^secret: (\S+)$/m.exec(rotated.stdout)![1]!;
    const again = await mqttConnect({ clientId: 'cam-951', username: 'cam-951', password: fresh });
    expect(again.connected).toBe(true);
  }, 60_000);

  it("disconnects a collection vehicle's live session on vehicle rotate-secret", async () => {
    const station = fleet('station', 'add', '--id', 'ts-951', '--name', '青果巷垃圾转运站', '--lat', '31.78', '--lon', '119.97', '--subdistrict', 'tianning', '--address', '常州市天宁区青果巷1号');
    expect(station.code, station.stderr).toBe(0);
    const added = fleet('vehicle', 'add', '--id', 'truck-951', '--plate', '苏D·T0951', '--capacity-kg', '8000', '--depot', 'ts-951');
    expect(added.code, added.stderr).toBe(0);
    const secret = /^secret: (\S+)$/m.exec(added.stdout)![1]!;
    const vehicle = await mqttConnect({ clientId: 'truck-951', username: 'truck-951', password: secret });
    const closed = new Promise<void>((r) => vehicle.once('close', () => r()));

    const rotated = fleet('vehicle', 'rotate-secret', 'truck-951');
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(await within(closed, 3000)).toBe(true);
    const refused = await mqttConnect({ clientId: 'truck-951', username: 'truck-951', password: secret }).catch((e: unknown) => e);
    expect((refused as { code?: number }).code).toBe(4);
  }, 60_000);
});

describe('DATA_DIR permissions', () => {
  it('is 0700 with every file 0600 (databases, WAL files, journal, admin token), older files and folders tightened', () => {
    const { dataDir } = platform;
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const entries = readdirSync(dataDir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => e.name);
    expect(files).toEqual(expect.arrayContaining(['admin-token', 'binpulse.db', 'journal.db', 'timeseries.db', 'old-notes.txt']));
    for (const name of files) expect([name, statSync(join(dataDir, name)).mode & 0o777]).toEqual([name, 0o600]);
    for (const dir of entries.filter((e) => e.isDirectory())) {
      expect([dir.name, statSync(join(dataDir, dir.name)).mode & 0o777]).toEqual([dir.name, 0o700]);
    }
  });
});

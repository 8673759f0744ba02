/**
 * Issue 15, on real platform processes: a revoked bootstrap admin token stays revoked after a
 * restart (the token file gets a new one); a revoked ADMIN_TOKEN refuses start-up; an old
 * ADMIN_TOKEN stops working when the variable changes; weak or documented ADMIN_TOKEN values
 * refuse start-up naming the variable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlatformProcess, type RunningPlatform } from '../../support/platform-process.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const QUIET = { SIMULATOR: 'off', DEMO_FLEET: 'off', DEMO_HISTORY_DAYS: '0', TLS: 'off' };
const ENV_TOKEN = 'bp_q7Vd2LxN9sKwT4mRz8HcYp3JfB6gUe1A';

const dirs: string[] = [];
const running: RunningPlatform[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) await p.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bp-bootstrap-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, env: Record<string, string> = {}): Promise<RunningPlatform> {
  const platform = await startPlatformProcess({ ...QUIET, ...env }, { dataDir: dir });
  running.push(platform);
  return platform;
}

async function stop(platform: RunningPlatform): Promise<void> {
  await platform.stop();
  running.splice(running.indexOf(platform), 1);
}

function call(platform: RunningPlatform, path: string, token: string, method = 'GET'): Promise<Response> {
  return fetch(`${platform.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
}

/** Revokes the admin token with itself (the admin may revoke any token, its own included). */
async function revokeSelf(platform: RunningPlatform, token: string): Promise<void> {
  const me = (await (await call(platform, '/api/v1/me', token)).json()) as { id?: string; tokenId?: string };
  const list = (await (await call(platform, '/api/v1/tokens', token)).json()) as { items: { id: string; name: string }[] };
  const id = me.tokenId ?? me.id ?? list.items.find((t) => t.name.startsWith('admin ('))!.id;
  expect((await call(platform, `/api/v1/tokens/${id}`, token, 'DELETE')).status).toBe(204);
  expect((await call(platform, '/api/v1/tokens', token)).status).toBe(401);
}

/** The platform started as `npm start` does, expected to refuse: its exit code and stderr. */
function refusedStart(env: Record<string, string>, dir: string): { code: number | null; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'services/platform/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', MQTTS_PORT: '0', MQTT_WSS_PORT: '0', HTTPS_PORT: '0', DATA_DIR: dir, ...QUIET, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stderr: run.stderr };
}

describe('the bootstrap admin token', () => {
  it('revoked, stays revoked after a restart: the token file gets a new token', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const revoked = first.adminToken;
    await revokeSelf(first, revoked);
    await stop(first);

    const second = await start(dir);
    const fresh = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    expect(fresh).not.toBe(revoked);
    expect((await call(second, '/api/v1/tokens', revoked)).status).toBe(401);
    expect((await call(second, '/api/v1/tokens', fresh)).status).toBe(200);
    expect(second.output()).toContain('was revoked');
  }, 120_000);

  it('from ADMIN_TOKEN, revoked, refuses start-up naming ADMIN_TOKEN', async () => {
    const dir = dataDir();
    const first = await start(dir, { ADMIN_TOKEN: ENV_TOKEN });
    await revokeSelf(first, ENV_TOKEN);
    await stop(first);
    const refused = refusedStart({ ADMIN_TOKEN: ENV_TOKEN }, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ADMIN_TOKEN: this token was revoked/);
  }, 120_000);

  it('from ADMIN_TOKEN, no longer works once the variable changes', async () => {
    const dir = dataDir();
    const first = await start(dir, { ADMIN_TOKEN: ENV_TOKEN });
    expect((await call(first, '/api/v1/tokens', ENV_TOKEN)).status).toBe(200);
    await stop(first);
    const changed = ENV_TOKEN.replace('q7Vd', 'W3nE');
    const second = await start(dir, { ADMIN_TOKEN: changed });
    expect((await call(second, '/api/v1/tokens', ENV_TOKEN)).status).toBe(401);
    expect((await call(second, '/api/v1/tokens', changed)).status).toBe(200);
  }, 120_000);
});

describe('a weak ADMIN_TOKEN', () => {
  it.each([
    ['aaaa… (32 characters)', 'a'.repeat(32)],
    ['the documented compose default', 'change-me-binpulse-admin-token'],
  ])('%s refuses start-up naming ADMIN_TOKEN', (_what, token) => {
    const refused = refusedStart({ ADMIN_TOKEN: token }, dataDir());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/BinPulse cannot start: .*\n\s+ADMIN_TOKEN: /);
  }, 60_000);
});

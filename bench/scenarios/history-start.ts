/**
 * Part of 6. Cold start: a first `npm start` as a new user runs it (simulator on, empty
 * DATA_DIR, DEMO_HISTORY_DAYS=28): from spawning the platform to GET /api/v1/summary saying the
 * demo history is done, checked against the tonnage report (28 complete days of 60–80 t). Meanwhile
 * the API (/healthz) and the broker (an observer's CONNECT) are probed, to see they stay responsive.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../tests/support/influxd.ts';
import { quantile } from '../core/stats.ts';
import { ROOT, sleep } from '../adapters/proc.ts';
import { WireDevice } from '../adapters/wire-device.ts';

const POLL_MS = 250;
const TIMEOUT_MS = 300_000;

export interface HistoryStart {
  /** Spawn → summary.history.state 'done'. */
  doneMs: number;
  healthzP99Ms: number;
  healthzMaxMs: number;
  connectMaxMs: number;
  /** When the slowest CONNECT began, ms after spawn. */
  connectMaxAtMs: number;
  /** Days of the report within 60–80 t, of how many. */
  daysInBand: number;
  days: number;
}

interface History {
  state: string;
  fromDay: string | null;
  toDay: string | null;
}

export async function timeHistoryStart(): Promise<HistoryStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bp-bench-history-'));
  const [mqttPort, httpPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${httpPort}`;
  const t0 = performance.now();
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['services/platform/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(wsPort), HTTP_PORT: String(httpPort), MQTTS_PORT: '0', MQTT_WSS_PORT: '0', HTTPS_PORT: '0', SIMULATOR: 'on', DEMO_HISTORY_DAYS: '28' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const healthz: number[] = [];
  const connects: { at: number; ms: number }[] = [];
  try {
    const token = await until(async () => {
      const file = join(dataDir, 'admin-token');
      return existsSync(file) && (await timed(`${base}/healthz`)) !== undefined ? readFileSync(file, 'utf8').trim() : undefined;
    });
    const api = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<T>;
    let probes = 0;
    const history = await until(async () => {
      const ms = await timed(`${base}/healthz`);
      if (ms !== undefined) healthz.push(ms);
      if (++probes % 8 === 0) connects.push({ at: performance.now() - t0, ms: await observerConnectMs(mqttPort, token) });
      const { history: h } = await api<{ history: History }>('/api/v1/summary');
      return h.state === 'done' ? h : undefined;
    });
    const doneMs = performance.now() - t0;
    const slowest = connects.reduce((a, b) => (b.ms > a.ms ? b : a), { at: Number.NaN, ms: Number.NEGATIVE_INFINITY });
    const report = await api<{ byDay: { kg: number }[] }>(`/api/v1/reports/tonnage?from=${history.fromDay}&to=${history.toDay}`);
    return {
      doneMs,
      healthzP99Ms: quantile(healthz, 0.99),
      healthzMaxMs: Math.max(...healthz),
      connectMaxMs: connects.length === 0 ? Number.NaN : slowest.ms,
      connectMaxAtMs: slowest.at,
      daysInBand: report.byDay.filter((d) => d.kg >= 60_000 && d.kg <= 80_000).length,
      days: report.byDay.length,
    };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (performance.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(POLL_MS);
  }
  throw new Error(`no demo history within ${TIMEOUT_MS / 1000} s`);
}

/** Round trip of one GET in ms; undefined when it fails. */
async function timed(url: string): Promise<number | undefined> {
  const t = performance.now();
  try {
    return (await fetch(url)).ok ? performance.now() - t : undefined;
  } catch {
    return undefined;
  }
}

/** CONNECT → CONNACK of an API-token observer (username 'api'), as a dashboard would connect. */
async function observerConnectMs(port: number, token: string): Promise<number> {
  const wire = new WireDevice({ host: '127.0.0.1', port }, { clientId: 'bench-observer', username: 'api', password: token });
  const t = performance.now();
  try {
    await wire.connect(10_000);
    return performance.now() - t;
  } finally {
    wire.close();
  }
}

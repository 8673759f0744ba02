/**
 * 6. Cold start: from spawning the platform as `npm start` does (tsx) to the broker accepting a
 * device's CONNECT and the API answering /healthz. First start on an empty DATA_DIR (creates
 * the databases, provisions the demo fleet), then restarts on the same DATA_DIR; both without
 * the simulator. Then a first start as a new user runs it, simulator on, until its four weeks
 * of demo history are in the reports (history-start.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCredentialsPath, readCredentialsFile } from '../../services/fleet/adapters/credentials-file.ts';
import { freePort } from '../../tests/support/influxd.ts';
import { median, round } from '../core/stats.ts';
import { ROOT, sleep } from '../adapters/proc.ts';
import { WireDevice } from '../adapters/wire-device.ts';
import type { Scenario } from './context.ts';
import { timeHistoryStart, type HistoryStart } from './history-start.ts';

const POLL_MS = 10;

export const coldStartScenario: Scenario = async (ctx) => {
  const restarts = ctx.options.quick ? 1 : 3;
  const firstStarts: number[] = [];
  const warmStarts: number[] = [];
  for (let run = 0; run < (ctx.options.quick ? 1 : 3); run++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bp-bench-start-'));
    try {
      ctx.progress(`cold-start: first start ${run + 1}`);
      firstStarts.push(await timeStart(dataDir));
      for (let i = 0; i < restarts && run === 0; i++) {
        ctx.progress(`cold-start: restart ${i + 1}/${restarts}`);
        warmStarts.push(await timeStart(dataDir));
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const histories: HistoryStart[] = [];
  for (let run = 0; run < (ctx.options.quick ? 1 : 2); run++) {
    ctx.progress(`cold-start: first start with 28 days of demo history ${run + 1}`);
    histories.push(await timeHistoryStart());
  }
  const worst = (pick: (h: HistoryStart) => number): number => Math.max(...histories.map(pick));
  return {
    scenario: 'cold-start',
    figures: {
      coldStartMs: { label: 'first start (empty DATA_DIR), median', value: round(median(firstStarts), 0), unit: 'ms' },
      restartMs: { label: 'restart (existing DATA_DIR), median', value: round(median(warmStarts), 0), unit: 'ms' },
      historyDoneMs: { label: 'first npm start → 28 days of demo history stored, median', value: round(median(histories.map((h) => h.doneMs)), 0), unit: 'ms' },
      historyHealthzP99Ms: { label: 'GET /healthz meanwhile, p99 (worst run)', value: round(worst((h) => h.healthzP99Ms), 0), unit: 'ms' },
      historyConnectMaxMs: { label: 'an MQTT CONNECT meanwhile, slowest', value: round(worst((h) => h.connectMaxMs), 0), unit: 'ms' },
    },
    notes: [
      `first starts ${firstStarts.map((t) => round(t, 0)).join(', ')} ms; restarts ${warmStarts.map((t) => round(t, 0)).join(', ')} ms`,
      ...histories.map(
        (h) =>
          `demo history: done after ${round(h.doneMs / 1000)} s; ${h.daysInBand} of ${h.days} days within 60–80 t; /healthz p99 ${round(h.healthzP99Ms, 0)} ms, max ${round(h.healthzMaxMs, 0)} ms; slowest CONNECT ${round(h.connectMaxMs, 0)} ms, ${round(h.connectMaxAtMs / 1000)} s after spawn`,
      ),
    ],
  };
};

/** Spawn → both a device CONNACK and /healthz 200; then SIGTERM and wait for the exit. */
async function timeStart(dataDir: string): Promise<number> {
  const [mqttPort, httpPort, wsPort] = [await freePort(), await freePort(), await freePort()];
  const t0 = performance.now();
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['services/platform/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(wsPort), HTTP_PORT: String(httpPort), MQTTS_PORT: '0', MQTT_WSS_PORT: '0', HTTPS_PORT: '0', SIMULATOR: 'off' },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const [broker, api] = await Promise.all([until(() => deviceAccepted(dataDir, mqttPort)), until(() => healthy(httpPort))]);
    return Math.max(broker, api) - t0;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return performance.now();
    await sleep(POLL_MS);
  }
  throw new Error('platform did not come up within 60 s');
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

async function deviceAccepted(dataDir: string, port: number): Promise<boolean> {
  const path = demoCredentialsPath(dataDir);
  if (!existsSync(path)) return false;
  const { device, secret } = readCredentialsFile(path).devices[0]!;
  const wire = new WireDevice({ host: '127.0.0.1', port }, { clientId: device.id, username: device.id, password: secret });
  try {
    return (await wire.connect(2000)) === 0;
  } catch {
    return false;
  } finally {
    wire.close();
  }
}

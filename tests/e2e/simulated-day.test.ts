/**
 * One simulated day through the whole stack: the simulator CLI (659 real MQTT clients)
 * replays yesterday at ×2880 into a running platform; the tonnage report for that day must lie
 * in the district's 60–80 t band and count every deposit the simulator sent.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY_MS, localDay, localDayStart } from '../../shared/units.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UTC_OFFSET_MIN = 480;
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatformProcess({ SIMULATOR: 'off' });
}, 60_000);

afterAll(async () => {
  if (!platform) return;
  await platform.stop();
  platform.cleanUp();
});

function simulateDay(day: string): Promise<{ code: number; stderr: string }> {
  const start = new Date(localDayStart(day, UTC_OFFSET_MIN)).toISOString();
  const args = ['--url', `mqtt://127.0.0.1:${platform.mqttPort}`, '--speed', '2880', '--start', start, '--duration', '24h'];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'simulators/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: platform.dataDir },
      timeout: 150_000,
    }, (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }));
  });
}

it('reports 60–80 t for one simulated day, every deposit counted', async () => {
  const yesterday = localDay(Date.now() - DAY_MS, UTC_OFFSET_MIN);
  const run = await simulateDay(yesterday);
  expect(run.code, run.stderr).toBe(0);
  const lastStatus = run.stderr.trim().split('\n').filter((l) => l.includes('deposits ')).at(-1) ?? '';
  const sentDeposits = Number(/deposits (\d+)/.exec(lastStatus)?.[1]);
  expect(sentDeposits).toBeGreaterThan(10_000);

  const tonnage = async () => {
    const response = await fetch(`${platform.baseUrl}/api/v1/reports/tonnage?from=${yesterday}&to=${yesterday}`, {
      headers: { authorization: `Bearer ${platform.adminToken}` },
    });
    return (await response.json()) as { totalKg: number; totalDeposits: number };
  };
  // The pipeline writes in batches (every 200 ms): wait for the last one, then compare.
  const report = await waitFor(async () => {
    const r = await tonnage();
    return r.totalDeposits >= sentDeposits ? r : undefined;
  }, 10_000, `all ${sentDeposits} deposits in the report`).catch(async () => tonnage());
  expect(report.totalKg).toBeGreaterThanOrEqual(60_000);
  expect(report.totalKg).toBeLessThanOrEqual(80_000);
  // Deposits are QoS 1 and the simulator stops cleanly: the platform has every one of them, once.
  expect(report.totalDeposits).toBe(sentDeposits);
}, 180_000);

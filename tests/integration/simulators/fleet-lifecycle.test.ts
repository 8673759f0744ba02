/** Ending a run: by --duration, by refused credentials, and the CLI as the platform starts it. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceStatus } from '../../../shared/contracts/index.ts';
import { runSimulation } from '../../../simulators/main.ts';
import { testFleet } from '../../unit/simulators/fleet-fixture.ts';
import { type TestBroker, observe, startTestBroker, waitFor } from './test-broker.ts';

const members = testFleet(3, 1).map((device) => ({ device, secret: `secret-of-${device.id}-0123456789` }));
const START = Date.now() - 2 * 86_400_000;
const MAIN = fileURLToPath(new URL('../../../simulators/main.ts', import.meta.url));
let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker(new Map(members.map((m) => [m.device.id, m.secret])));
});
afterAll(async () => {
  await broker?.close();
});

const retainedStatuses = async (clientId: string, count: number) => {
  const o = await observe(broker.url, clientId);
  try {
    await waitFor(`${count} retained statuses`, () => o.messages.filter((m) => m.channel === 'status').length >= count);
    return o.messages.filter((m) => m.channel === 'status').map((m) => DeviceStatus.parse(m.payload));
  } finally {
    await o.client.endAsync();
  }
};

describe('ending a run', () => {
  it('stops by itself after --duration of simulated time, leaving offline statuses', async () => {
    const sim = await runSimulation({ url: broker.url, devices: members, speed: 3_600, startMs: START, durationMs: 30 * 60_000, quiet: true, tickMs: 50, log: () => {} });
    await sim.finished;
    expect(sim.stats()).toMatchObject({ running: false, simMs: START + 30 * 60_000 });
    const after = await retainedStatuses('observer-duration', 4);
    for (const s of after) expect(s).toMatchObject({ state: 'offline', ts: expect.any(String) });
  });

  it('reports refused credentials and still stops cleanly', async () => {
    const lines: string[] = [];
    const wrong = [{ ...members[0]!, secret: 'not-the-right-secret-at-all' }];
    const sim = await runSimulation({ url: broker.url, devices: wrong, speed: 60, startMs: START, quiet: true, log: (l) => lines.push(l) });
    expect(sim.stats().devices.connected).toBe(0);
    expect(sim.stats().connectionErrors).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/box-0001: .*(refused|authori)/i);
    await sim.stop();
  });
});

describe('the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-sim-cli-'));
  const credentials = join(dir, 'demo-credentials.json');
  writeFileSync(credentials, JSON.stringify({ generatedAt: new Date().toISOString(), devices: members }));
  const cli = (args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, stderr: () => stderr, exited: once(child, 'exit') as Promise<[number | null, string | null]> };
  };

  it('exits 1 with a clear message when the credentials file is missing', async () => {
    const run = cli(['--credentials', join(dir, 'missing.json')]);
    const [code] = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toMatch(/no fleet credentials at .*missing\.json/);
  });

  it('on SIGTERM (as the platform stops it) says offline and exits 0', async () => {
    const observer = await observe(broker.url, 'observer-cli');
    try {
      const run = cli(['--url', broker.url, '--credentials', credentials, '--speed', '600', '--start', new Date(START).toISOString(), '--cameras', '1', '--boxes', '2']);
      const status = (state: string) => new Set(observer.messages.filter((m) => m.channel === 'status' && (m.payload as { state: string }).state === state && !m.retain).map((m) => m.deviceId));
      await waitFor('3 devices online', () => status('online').size === 3);
      await waitFor('telemetry', () => observer.messages.some((m) => m.channel === 'telemetry'));
      run.child.kill('SIGTERM');
      const [code] = await run.exited;
      expect(code).toBe(0);
      await waitFor('3 devices offline', () => status('offline').size === 3);
      expect(run.stderr()).toContain('3/3 devices connected');
    } finally {
      await observer.client.endAsync();
    }
  });
});

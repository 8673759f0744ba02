/**
 * The platform as a user runs it: `services/platform/main.ts` in its own process with the
 * simulated district fleet (a child process of 659 real MQTT clients), the API over HTTP, a
 * device provisioned with the fleet CLI, and mosquitto_pub as a third-party device.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PAYLOADS } from '../../shared/contracts/examples.ts';
import { hasMosquitto, mosquittoPub } from '../support/mosquitto.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let platform: RunningPlatform;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${platform.adminToken}` },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface DeviceList {
  total: number;
  online: number;
  items: { id: string; state: { online: boolean; messagesReceived: number; temperatureC: number | null } }[];
}

function fleetCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'services/fleet/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: platform.dataDir },
    }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

const deadLetterTotal = async (reason: string) =>
  (await api<{ counts: Record<string, number> }>('/api/v1/dead-letters?limit=1')).counts[reason] ?? 0;

beforeAll(async () => {
  // No demo history: this file is about the live fleet (tests/e2e/demo-history.test.ts has the history).
  platform = await startPlatformProcess({ SIMULATOR: 'on', DEMO_HISTORY_DAYS: '0' });
}, 90_000);

afterAll(async () => {
  if (!platform) return;
  const code = await platform.stop();
  platform.cleanUp();
  expect(code, 'a clean exit on SIGTERM').toBe(0);
});

describe('the platform with the simulated district fleet', () => {
  it('lists 605 boxes and 54 cameras, at least 95% online, with readings arriving', async () => {
    const list = await waitFor(async () => {
      const boxes = await api<DeviceList>('/api/v1/devices?kind=box&limit=5000');
      const cameras = await api<DeviceList>('/api/v1/devices?kind=camera&limit=5000');
      const heard = [...boxes.items, ...cameras.items].filter((d) => d.state.messagesReceived > 1).length;
      const online = boxes.online + cameras.online;
      return online >= 0.95 * 659 && heard >= 0.95 * 659 ? { boxes, cameras, online, heard } : undefined;
    }, 60_000, '95% of the fleet online and reporting');
    expect(list.boxes.total).toBe(605);
    expect(list.cameras.total).toBe(54);
    const boxesWithReadings = list.boxes.items.filter((d) => d.state.temperatureC !== null).length;
    expect(boxesWithReadings).toBeGreaterThanOrEqual(0.95 * 605);
  }, 90_000);

  describe.runIf(hasMosquitto)('a device provisioned with the fleet CLI, publishing with mosquitto_pub', () => {
    let secret = '';
    const id = 'box-9001';
    const topic = `binpulse/v1/${id}/telemetry`;
    const reading = (temperatureC: number) =>
      JSON.stringify({ ...EXAMPLE_PAYLOADS.telemetry, ts: new Date().toISOString(), temperatureC });
    const publish = (password: string, t: string, message: string) =>
      mosquittoPub(platform.mqttPort, ['-i', id, '-u', id, '-P', password, '-q', '1', '-t', t, '-m', message]);
    const state = async () =>
      (await api<{ state: { temperatureC: number | null; messagesReceived: number } }>(`/api/v1/devices/${id}?hours=1`)).state;

    beforeAll(async () => {
      const added = await fleetCli([
        'add', '--id', id, '--kind', 'box', '--name', '红梅新村 9号回收箱', '--lat', '31.79', '--lon', '119.99',
        '--subdistrict', 'hongmei', '--community', '红梅新村', '--address', '常州市天宁区红梅路 9 号',
        '--grid-cell', 'TN-HM-99', '--responsible', '王芳',
      ]);
      expect(added.code, added.stderr).toBe(0);
      secret = /secret:\s*(\S+)/.exec(added.stdout)?.[1] ?? '';
      expect(secret.length).toBeGreaterThan(20);
    });

    it('shows a valid reading in the device state', async () => {
      expect((await publish(secret, topic, reading(21.5))).code).toBe(0);
      const seen = await waitFor(async () => ((await state()).temperatureC === 21.5 ? true : undefined), 5_000, 'the reading');
      expect(seen).toBe(true);
    });

    it('refuses a wrong secret and another device’s topic, and stores nothing from them', async () => {
      const before = await state();
      expect((await publish('not-the-secret', topic, reading(33.3))).code).not.toBe(0);
      await publish(secret, 'binpulse/v1/box-0001/telemetry', reading(44.4));
      // Then a valid message: once it is visible, anything published before it would be too.
      await publish(secret, topic, reading(22.5));
      await waitFor(async () => ((await state()).temperatureC === 22.5 ? true : undefined), 5_000, 'the marker reading');
      const after = await state();
      expect(after.messagesReceived).toBe(before.messagesReceived + 1);
      const box1 = await api<{ state: { temperatureC: number | null } }>('/api/v1/devices/box-0001?hours=1');
      expect(box1.state.temperatureC).not.toBe(44.4);
    });

    it('dead-letters a malformed payload by reason and keeps serving valid traffic', async () => {
      const invalidJsonBefore = await deadLetterTotal('invalid_json');
      const schemaBefore = await deadLetterTotal('schema_violation');
      expect((await publish(secret, topic, '{not json')).code).toBe(0);
      expect((await publish(secret, topic, JSON.stringify({ ...JSON.parse(reading(20)), temperatureC: 'hot' }))).code).toBe(0);
      await waitFor(async () => ((await deadLetterTotal('invalid_json')) === invalidJsonBefore + 1 ? true : undefined), 5_000, 'invalid_json count');
      await waitFor(async () => ((await deadLetterTotal('schema_violation')) === schemaBefore + 1 ? true : undefined), 5_000, 'schema_violation count');
      expect((await publish(secret, topic, reading(23.5))).code).toBe(0);
      await waitFor(async () => ((await state()).temperatureC === 23.5 ? true : undefined), 5_000, 'a valid reading after the bad ones');
      const fleet = await api<DeviceList>('/api/v1/devices?online=true&limit=5000');
      expect(fleet.total).toBeGreaterThanOrEqual(0.95 * 659);
      const metrics = await (await fetch(`${platform.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/binpulse_dead_letters_total\{reason="invalid_json"\} [1-9]/);
    });
  });
});

/**
 * The alert engine against the running platform, as an operator and an engineer see it:
 * devices publish through the real broker (mosquitto_pub, and mqtt.js for a camera whose
 * connection dies), the API and the SSE stream observe, and a SIGKILL'd platform comes back
 * with the same alerts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PAYLOADS } from '../../shared/contracts/examples.ts';
import { FleetCredentialsFile, type Alert, type DeviceState } from '../../shared/contracts/index.ts';
import { hasMosquitto, mosquittoPub } from '../support/mosquitto.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { openSseStream, type SseStream } from '../support/sse.ts';

const CAMERA_TIMEOUT_MS = 4_000;
let platform: RunningPlatform;
let stream: SseStream;
let secrets: Map<string, string>;

function env(dataDir: string): Record<string, string> {
  const thresholds = join(dataDir, 'thresholds.json');
  // Only the camera under test gets a short timeout and group wait, so the rest of the idle
  // demo fleet (SIMULATOR=off) does not go offline, as an area, while the tests run.
  const fast = { inactivityTimeoutMs: CAMERA_TIMEOUT_MS, areaOutageWindowMs: 1_000 };
  writeFileSync(thresholds, JSON.stringify({ devices: { 'cam-005': fast } }));
  return { SIMULATOR: 'off', ALERT_SWEEP_SECONDS: '1', ALERT_THRESHOLDS_FILE: thresholds };
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${platform.adminToken}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const deviceState = async (id: string) => (await api<{ state: DeviceState }>(`/api/v1/devices/${id}`)).state;

const openAlerts = async (query: string) =>
  (await api<{ total: number; items: Alert[] }>(`/api/v1/alerts?status=open&${query}`)).items;

function publish(deviceId: string, channel: string, payload: unknown) {
  return mosquittoPub(platform.mqttPort, [
    '-i', deviceId, '-u', deviceId, '-P', secrets.get(deviceId)!, '-q', '1',
    '-t', `binpulse/v1/${deviceId}/${channel}`, '-m', JSON.stringify(payload),
  ]);
}

function telemetry(paperFill: number) {
  const base = EXAMPLE_PAYLOADS.telemetry;
  return {
    ...base,
    ts: new Date().toISOString(),
    compartments: base.compartments.map((c) => (c.category === 'paper' ? { ...c, fillingLevel: paperFill } : { ...c, fillingLevel: 0.2 })),
  };
}

function readSecrets(dataDir: string): Map<string, string> {
  const file = FleetCredentialsFile.parse(JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')));
  return new Map(file.devices.map((d) => [d.device.id, d.secret]));
}

beforeAll(async () => {
  platform = await startPlatformProcess({}, { envFor: env });
  secrets = readSecrets(platform.dataDir);
  stream = await openSseStream(`${platform.baseUrl}/api/v1/alerts/stream`, platform.adminToken);
}, 60_000);

afterAll(async () => {
  stream?.close();
  if (!platform) return;
  await platform.stop();
  platform.cleanUp();
});

describe.runIf(hasMosquitto)('alerts on the running platform', () => {
  it('raises bin_full at 0.92 (API and SSE), keeps it at 0.85, clears it at 0.6', async () => {
    const publishedAt = Date.now();
    expect((await publish('box-0001', 'telemetry', telemetry(0.92))).code).toBe(0);
    const raised = await stream.next((e) => e.event === 'raised' && e.data.alert.key === 'bin_full:box-0001:paper', 5_000);
    const sseLatencyMs = Date.now() - publishedAt;
    const [alert] = await openAlerts('type=bin_full&deviceId=box-0001');
    expect(alert).toMatchObject({ id: raised.data.alert.id, severity: 'warning', compartment: 'paper', status: 'active' });
    expect(alert!.responsiblePerson).toBeTruthy();
    console.info(`bin_full on the SSE stream ${sseLatencyMs} ms after mosquitto_pub started`);

    await publish('box-0001', 'telemetry', telemetry(0.85));
    await publish('box-0001', 'telemetry', telemetry(0.6));
    const resolved = await stream.next((e) => e.event === 'resolved' && e.data.alert.id === alert!.id, 5_000);
    expect(resolved.data.alert.resolvedBy).toBe('auto');
    // 0.85 came before 0.6 in order on one connection: had it cleared, the resolve would name it.
    const history = await api<{ history: { to: string }[] }>(`/api/v1/alerts/${alert!.id}`);
    expect(history.history.map((t) => t.to)).toEqual(['active', 'resolved']);
  });

  it('raises one illegal_dumping alert for six detections within ten minutes, count 6', async () => {
    const detection = (n: number) => ({
      ...EXAMPLE_PAYLOADS.detection,
      ts: new Date().toISOString(),
      eventId: `cam-003-e2e-${n}`,
      phase: 'start',
      confidence: 0.9,
    });
    for (let n = 1; n <= 6; n++) expect((await publish('cam-003', 'detection', detection(n))).code).toBe(0);
    const alerts = await waitFor(async () => {
      const open = await openAlerts('type=illegal_dumping&deviceId=cam-003');
      return open[0]?.count === 6 ? open : undefined;
    }, 5_000, 'the dumping alert at count 6');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', deviceId: 'cam-003' });
    expect(alerts[0]!.evidence.snapshotRef).toMatch(/^snap:\/\//);
  });

  it('raises device_offline for a camera whose connection dies, and clears it when it is back', async () => {
    const connect = () =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${platform.mqttPort}`, {
        clientId: 'cam-005',
        username: 'cam-005',
        password: secrets.get('cam-005'),
        reconnectPeriod: 0,
        will: { topic: 'binpulse/v1/cam-005/status', payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
      });
    const camera = await connect();
    await camera.publishAsync('binpulse/v1/cam-005/heartbeat', JSON.stringify({ ...EXAMPLE_PAYLOADS.heartbeat, ts: new Date().toISOString() }), { qos: 1 });
    camera.stream.destroy(); // power cut: no DISCONNECT, the broker publishes the will
    const raised = await stream.next((e) => e.event === 'raised' && e.data.alert.key === 'device_offline:cam-005', CAMERA_TIMEOUT_MS + 10_000);
    expect(raised.data.alert.deviceKind).toBe('camera');
    expect(raised.data.alert.message).toEqual({ code: 'device_offline.went_offline', params: { place: expect.any(String) } });
    expect((await deviceState('cam-005')).offlineReason).toBe('last_will');

    const back = await connect();
    await back.publishAsync('binpulse/v1/cam-005/status', JSON.stringify({ state: 'online', ts: new Date().toISOString() }), { qos: 1, retain: true });
    await stream.next((e) => e.event === 'resolved' && e.data.alert.id === raised.data.alert.id, 5_000);
    expect(await deviceState('cam-005')).toMatchObject({ online: true, offlineReason: null });
    await back.endAsync();
    await waitFor(async () => ((await deviceState('cam-005')).online ? undefined : true), 5_000, 'the goodbye');
    expect((await deviceState('cam-005')).offlineReason).toBe('clean_disconnect');
  });

  it('reads a camera that stays connected but says nothing past its timeout as offline, silent', async () => {
    const camera = await mqtt.connectAsync(`mqtt://127.0.0.1:${platform.mqttPort}`, {
      clientId: 'cam-005',
      username: 'cam-005',
      password: secrets.get('cam-005'),
      reconnectPeriod: 0,
    });
    try {
      await camera.publishAsync('binpulse/v1/cam-005/heartbeat', JSON.stringify({ ...EXAMPLE_PAYLOADS.heartbeat, ts: new Date().toISOString() }), { qos: 1 });
      expect(await deviceState('cam-005')).toMatchObject({ online: true, offlineReason: null });
      const silent = await waitFor(async () => {
        const state = await deviceState('cam-005');
        return state.online ? undefined : state;
      }, CAMERA_TIMEOUT_MS + 10_000, 'the inactivity check');
      expect(silent.offlineReason).toBe('silent');
      expect(camera.connected).toBe(true);
    } finally {
      await camera.endAsync();
    }
  });

  it('keeps the same alerts, without duplicates, after a SIGKILL and a restart', async () => {
    await publish('box-0002', 'telemetry', telemetry(0.95));
    const before = await waitFor(async () => {
      const open = await openAlerts('type=bin_full&deviceId=box-0002');
      return open.length === 1 ? open : undefined;
    }, 5_000, 'an open bin_full on box-0002');
    const openBefore = (await openAlerts('limit=1000')).map((a) => a.id).sort();

    stream.close();
    await platform.stop('SIGKILL');
    platform = await startPlatformProcess({}, { dataDir: platform.dataDir, envFor: env });
    stream = await openSseStream(`${platform.baseUrl}/api/v1/alerts/stream`, platform.adminToken);

    const openAfter = (await openAlerts('limit=1000')).map((a) => a.id).sort();
    expect(openAfter).toEqual(expect.arrayContaining(openBefore));
    await publish('box-0002', 'telemetry', telemetry(0.96));
    await publish('box-0002', 'telemetry', telemetry(1.0));
    const after = await waitFor(async () => {
      const open = await openAlerts('type=bin_full&deviceId=box-0002');
      return open[0]?.severity === 'critical' ? open : undefined;
    }, 5_000, 'box-0002 escalated to critical');
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before[0]!.id);
  });
});

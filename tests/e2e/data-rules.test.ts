/**
 * Issue 15 on the running platform (a real process, a real MQTT client):
 * - a box's reading stamped 2 h before its current state goes to history only: the state and
 *   the alert rules keep the newer one (no bin_full), the series has both;
 * - a box reporting a compartment the registry does not give it (glass on a paper/plastic box),
 *   or one twice, is dead-lettered with its reason; its other data in the same stream is kept;
 * - started while InfluxDB is down, the platform answers /healthz (saying so) and acknowledges
 *   publishes, which reach InfluxDB once it is back.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PAYLOADS } from '../../shared/contracts/examples.ts';
import type { Alert, DeviceState, SeriesPoint } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay } from '../../shared/units.ts';
import { hasInfluxd, startInfluxd, type RunningInfluxd } from '../support/influxd.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';

const UTC_OFFSET_MIN = 480;
const BOX = 'box-0999';

async function api<T>(platform: RunningPlatform, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${platform.adminToken}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A paper/plastic box provisioned through the API; its secret. */
async function provisionPaperPlasticBox(platform: RunningPlatform): Promise<string> {
  const body = {
    id: BOX,
    kind: 'box',
    name: 'Test box, paper and plastic only',
    lat: 31.79,
    lon: 119.98,
    subdistrict: 'hongmei',
    community: '红梅新村',
    address: '常州市天宁区红梅路 12 号',
    compartments: [
      { category: 'paper', capacityKg: 150 },
      { category: 'plastic', capacityKg: 60 },
    ],
    installedOn: '2026-03-01',
    gridCell: 'TN-HM-07',
    responsiblePerson: '王芳',
  };
  const created = await api<{ secret: string }>(platform, '/api/v1/devices', { method: 'POST', body: JSON.stringify(body) });
  return created.secret;
}

async function connectBox(platform: RunningPlatform, secret: string): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${platform.mqttPort}`, { clientId: BOX, username: BOX, password: secret, reconnectPeriod: 0 });
}

function telemetry(tsMs: number, paper: number, extra: { category: string; fillingLevel: number; weightKg: number }[] = []) {
  return {
    ...EXAMPLE_PAYLOADS.telemetry,
    ts: new Date(tsMs).toISOString(),
    compartments: [
      { category: 'paper', fillingLevel: paper, weightKg: 100 * paper },
      { category: 'plastic', fillingLevel: 0.1, weightKg: 5 },
      ...extra,
    ],
  };
}

function deposit(eventId: string, tsMs: number, category: string) {
  return { ...EXAMPLE_PAYLOADS['event/deposit'], ts: new Date(tsMs).toISOString(), eventId, category, weightKg: 2.5 };
}

const publish = (client: MqttClient, channel: string, payload: unknown) =>
  client.publishAsync(`binpulse/v1/${BOX}/${channel}`, JSON.stringify(payload), { qos: 1 });

describe('device data rules on the running platform', () => {
  let platform: RunningPlatform;
  let box: MqttClient;

  beforeAll(async () => {
    platform = await startPlatformProcess({ SIMULATOR: 'off', ALERT_SWEEP_SECONDS: '1' });
    box = await connectBox(platform, await provisionPaperPlasticBox(platform));
  }, 90_000);

  afterAll(async () => {
    await box?.endAsync().catch(() => undefined);
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  const state = async () => (await api<{ state: DeviceState }>(platform, `/api/v1/devices/${BOX}`)).state;

  it('a reading stamped 2 h before the state changes neither the state nor the alerts, yet is in history', async () => {
    const now = Date.now();
    await publish(box, 'telemetry', telemetry(now, 0.2));
    await waitFor(async () => ((await state()).maxFillingLevel === 0.2 ? true : undefined), 10_000, 'the current reading');
    await publish(box, 'telemetry', telemetry(now - 2 * HOUR_MS, 0.96));
    // A later reading marks when the stale one has surely been handled (one journal, in order).
    await publish(box, 'event/deposit', deposit(`${BOX}-after-stale`, now, 'paper'));
    await waitFor(async () => ((await state()).messagesReceived >= 3 ? true : undefined), 10_000, 'the three messages');

    const after = await state();
    expect(after.maxFillingLevel).toBe(0.2);
    expect(after.compartments.find((c) => c.category === 'paper')?.fillingLevel).toBe(0.2);
    expect(after.readingAt).toBe(new Date(now).toISOString());
    const alerts = await api<{ items: Alert[] }>(platform, `/api/v1/alerts?type=bin_full&deviceId=${BOX}`);
    expect(alerts.items).toEqual([]);

    const series = await waitFor(async () => {
      const { series: points } = await api<{ series: SeriesPoint[] }>(platform, `/api/v1/devices/${BOX}?hours=24`);
      const paper = points.filter((p) => p.metric === 'fillingLevel' && p.category === 'paper');
      return paper.length === 2 ? paper : undefined;
    }, 15_000, 'both readings in the series');
    expect(series.map((p) => [p.ts, p.value])).toEqual([
      [new Date(now - 2 * HOUR_MS).toISOString(), 0.96],
      [new Date(now).toISOString(), 0.2],
    ]);
    const metrics = await (await fetch(`${platform.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^binpulse_ingest_stale_readings_total\{channel="telemetry"\} 1$/m);
  });

  it('a foreign and a repeated compartment are dead-lettered with their reasons; the rest of the stream is kept', async () => {
    const now = Date.now();
    const glass = { category: 'glass', fillingLevel: 0.5, weightKg: 30 };
    const paperAgain = { category: 'paper', fillingLevel: 0.99, weightKg: 99 };
    await publish(box, 'telemetry', telemetry(now + 1000, 0.3, [glass]));
    await publish(box, 'event/deposit', deposit(`${BOX}-glass`, now + 1000, 'glass'));
    await publish(box, 'telemetry', telemetry(now + 2000, 0.3, [paperAgain]));
    await publish(box, 'telemetry', telemetry(now + 3000, 0.4));
    await publish(box, 'event/deposit', deposit(`${BOX}-paper`, now + 3000, 'paper'));

    const letters = await waitFor(async () => {
      const body = await api<{ counts: Record<string, number>; recent: { reason: string; deviceId: string; detail: string }[] }>(
        platform,
        '/api/v1/dead-letters',
      );
      return body.counts.unknown_compartment === 2 && body.counts.repeated_compartment === 1 ? body : undefined;
    }, 10_000, 'three dead letters');
    const ours = letters.recent.filter((l) => l.deviceId === BOX).map((l) => [l.reason, l.detail]);
    expect(ours).toEqual([
      ['repeated_compartment', 'compartment "paper" reported 2 times in one message'],
      ['unknown_compartment', `${BOX} has no "glass" compartment (registry: paper, plastic)`],
      ['unknown_compartment', `${BOX} has no "glass" compartment (registry: paper, plastic)`],
    ]);
    // The valid telemetry after them is the state; glass never reached it.
    await waitFor(async () => ((await state()).maxFillingLevel === 0.4 ? true : undefined), 10_000, 'the valid telemetry');
    expect((await state()).compartments.map((c) => c.category)).toEqual(['paper', 'plastic']);
    // The valid deposit is counted in the tonnage; the glass one is not.
    const today = localDay(Date.now(), UTC_OFFSET_MIN);
    const yesterday = localDay(Date.now() - DAY_MS, UTC_OFFSET_MIN);
    const rows = await waitFor(async () => {
      const report = await api<{ rows: { category: string; subdistrict: string; kg: number; deposits: number }[] }>(
        platform,
        `/api/v1/reports/tonnage?from=${yesterday}&to=${today}&subdistrict=hongmei`,
      );
      const paper = report.rows.filter((r) => r.category === 'paper').reduce((n, r) => n + r.deposits, 0);
      return paper >= 2 ? report.rows : undefined;
    }, 15_000, 'the two paper deposits in the tonnage');
    expect(rows.filter((r) => r.category === 'glass').reduce((n, r) => n + r.deposits, 0)).toBe(0);
  });
});

describe.runIf(hasInfluxd)('a platform started while InfluxDB is down', () => {
  let influxd: RunningInfluxd | undefined;
  let platform: RunningPlatform | undefined;

  afterAll(async () => {
    if (platform) {
      await platform.stop();
      platform.cleanUp();
    }
    await influxd?.stop();
  });

  async function influxCount(): Promise<number> {
    const response = await fetch(`${influxd!.url}/query?${new URLSearchParams({ db: 'binpulse' })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q: `SELECT count("weightKg") FROM "forever"."deposit" WHERE "deviceId" = '${BOX}'` }).toString(),
    });
    const body = (await response.json()) as { results: { series?: { values: unknown[][] }[] }[] };
    return Number(body.results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
  }

  it('answers /healthz (InfluxDB down), acknowledges publishes, and stores them once InfluxDB is back', async () => {
    influxd = await startInfluxd({ restartable: true });
    await influxd.halt();
    platform = await startPlatformProcess({ SIMULATOR: 'off', INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DB: 'binpulse' });
    expect(platform.output()).toMatch(/InfluxDB unreachable: starting without it/);

    const health = await (await fetch(`${platform.baseUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', timeseries: { store: 'influxdb', up: false } });

    const box = await connectBox(platform, await provisionPaperPlasticBox(platform));
    const now = Date.now();
    for (let i = 0; i < 5; i++) await publish(box, 'event/deposit', deposit(`${BOX}-outage-${i}`, now - i * 1000, 'paper'));
    await box.endAsync();
    const report = await fetch(`${platform.baseUrl}/api/v1/reports/tonnage?from=${localDay(now, UTC_OFFSET_MIN)}&to=${localDay(now, UTC_OFFSET_MIN)}`, {
      headers: { authorization: `Bearer ${platform.adminToken}` },
    });
    expect(report.status).toBe(503);

    await influxd.resume();
    // The timeseries consumer backs off up to 30 s between attempts, then sets the store up and replays.
    await waitFor(async () => ((await influxCount()) === 5 ? true : undefined), 90_000, 'the five deposits in InfluxDB');
    const healthAfter = await (await fetch(`${platform.baseUrl}/healthz`)).json();
    expect(healthAfter).toMatchObject({ status: 'ok', timeseries: { store: 'influxdb', up: true, error: null } });
  }, 150_000);
});

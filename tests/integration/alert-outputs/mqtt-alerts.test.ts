/**
 * Retained alert topics on a real broker, read by an observer (username `api` + API token):
 * what the publisher retains and clears, and what an observer may and may not do.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertTopic, type Alert } from '../../../shared/contracts/index.ts';
import { createPlatformBroker } from '../../../services/broker/adapters/aedes-broker.ts';
import type { BrokerListening, PlatformBroker } from '../../../services/broker/core/ports.ts';
import { MqttAlertPublisher } from '../../../services/alerts/adapters/mqtt-alert-publisher.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { MemoryTokenStore } from '../../support/api-fakes.ts';
import { MemoryAuthenticator } from '../broker/broker-harness.ts';
import { waitFor } from './helpers.ts';

let broker: PlatformBroker;
let ports: BrokerListening;
let registry: Registry;
let tokens: MemoryTokenStore;
let managerToken: string;
let clients: MqttClient[];
let deviceConnections: Array<[string, boolean]>;

beforeEach(async () => {
  const devices = new MemoryAuthenticator();
  devices.add('box-0001', 'box', 'box-0001-secret');
  tokens = new MemoryTokenStore();
  managerToken = tokens.create('manager', 'ops wall').token;
  registry = new Registry();
  broker = createPlatformBroker({
    host: '127.0.0.1',
    mqttPort: 0,
    wsPort: 0,
    maxPayloadBytes: 16_384,
    maxTopicLevels: 8,
    authenticator: devices,
    observerAuthenticator: tokens, // the token store as it is
    logger: pino({ level: 'silent' }),
    metrics: registry,
  });
  deviceConnections = [];
  broker.onDeviceConnection(({ deviceId, connected }) => void deviceConnections.push([deviceId, connected]));
  ports = await broker.start();
  clients = [];
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await broker.stop();
});

function open(options: IClientOptions): MqttClient {
  const client = connect(`mqtt://127.0.0.1:${ports.mqttPort}`, { reconnectPeriod: 0, connectTimeout: 20_000, ...options });
  client.on('error', () => {});
  clients.push(client);
  return client;
}

/** Resolves on CONNACK 0; rejects with mqtt.js' error (its `code` is the CONNACK code). */
function connected(client: MqttClient): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

const observer = (extra: IClientOptions = {}) =>
  connected(open({ clientId: `observer-${Math.random().toString(36).slice(2)}`, username: 'api', password: managerToken, ...extra }));

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await registry.getSingleMetric(name)?.get();
  return m?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
}

/** The SUBACK return codes, in request order (mqtt.js rejects when any is 128, with the SUBACK attached). */
async function subackCodes(client: MqttClient, topics: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics, { qos: 1 })).map((g) => g.qos);
  } catch (err) {
    const packet = (err as { packet?: { granted?: number[] } }).packet;
    if (!packet?.granted) throw err;
    return packet.granted;
  }
}

/** Subscribes and collects what arrives on the filter (retained ones first). */
async function collect(client: MqttClient, filter: string) {
  const messages: Array<{ topic: string; payload: string; retain: boolean }> = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), retain: packet.retain }));
  const granted = await client.subscribeAsync(filter, { qos: 1 });
  return { messages, granted: granted[0]?.qos };
}

describe('MqttAlertPublisher', () => {
  it('retains a raised alert, keeps the latest state, and an observer connecting later receives it', async () => {
    const alerts = new FakeAlertService();
    const publisher = new MqttAlertPublisher({ alerts, broker, logger: pino({ level: 'silent' }) });
    await publisher.start();
    const alert = makeAlert({ type: 'fire_risk', severity: 'critical' });
    alerts.emit('raised', alert);
    alerts.emit('updated', { ...alert, count: 2 });
    alerts.emit('acknowledged', { ...alert, count: 2, status: 'acknowledged', acknowledgedBy: 'Li (operator)' });
    await publisher.idle();

    const client = await observer();
    const { messages } = await collect(client, 'binpulse/alerts/v1/#');
    await waitFor(() => messages.length > 0, 'the retained alert');
    expect(messages[0]!.topic).toBe(alertTopic(alert));
    expect(messages[0]!.retain).toBe(true);
    expect(JSON.parse(messages[0]!.payload)).toEqual({ ...alert, count: 2, status: 'acknowledged', acknowledgedBy: 'Li (operator)' });
    await publisher.stop();
  });

  it('clears the topic on resolve: live subscribers see the empty payload, later ones get nothing', async () => {
    const alerts = new FakeAlertService();
    const publisher = new MqttAlertPublisher({ alerts, broker, logger: pino({ level: 'silent' }) });
    await publisher.start();
    const gone = makeAlert({ id: 'alt_gone' });
    const kept = makeAlert({ id: 'alt_kept', type: 'lid_open' });
    alerts.emit('raised', gone);
    alerts.emit('raised', kept);
    await publisher.idle();

    const live = await observer();
    const seen = await collect(live, alertTopic(gone));
    await waitFor(() => seen.messages.length === 1, 'the retained alert');
    alerts.emit('resolved', { ...gone, status: 'resolved' });
    await waitFor(() => seen.messages.length === 2, 'the clearing message');
    expect(seen.messages[1]!.payload).toBe('');

    // A new observer asks for the cleared topic first, then for one still retained: the
    // retained answer to the second comes after any to the first, so only `kept` may arrive.
    const later = await observer();
    const received: string[] = [];
    later.on('message', (topic) => received.push(topic));
    await later.subscribeAsync(alertTopic(gone), { qos: 1 });
    await later.subscribeAsync(alertTopic(kept), { qos: 1 });
    await waitFor(() => received.includes(alertTopic(kept)), 'the still-open alert');
    expect(received).toEqual([alertTopic(kept)]);
    await publisher.stop();
  });

  it('publishes muted and inhibited alerts too, flagged in the payload', async () => {
    const alerts = new FakeAlertService();
    const publisher = new MqttAlertPublisher({ alerts, broker, logger: pino({ level: 'silent' }) });
    await publisher.start();
    const muted = makeAlert({ muted: true, silenceId: 'sil_1' });
    const inhibited = makeAlert({ type: 'device_offline', inhibitedBy: 'alt_area' });
    alerts.emit('raised', muted);
    alerts.emit('raised', inhibited);
    await publisher.idle();
    const client = await observer();
    const { messages } = await collect(client, 'binpulse/alerts/v1/#');
    await waitFor(() => messages.length === 2, 'both alerts');
    const byId = Object.fromEntries(messages.map((m) => [JSON.parse(m.payload).id as string, JSON.parse(m.payload) as Alert]));
    expect(byId[muted.id]).toMatchObject({ muted: true, silenceId: 'sil_1' });
    expect(byId[inhibited.id]).toMatchObject({ inhibitedBy: 'alt_area' });
    await publisher.stop();
  });

  it('republishes the open alerts on start (retained messages live in memory only)', async () => {
    const open1 = makeAlert();
    const closed = makeAlert({ status: 'resolved' });
    const alerts = new FakeAlertService([open1, closed]);
    const publisher = new MqttAlertPublisher({ alerts, broker, logger: pino({ level: 'silent' }) });
    await publisher.start();
    const client = await observer();
    const { messages } = await collect(client, 'binpulse/alerts/v1/#');
    await waitFor(() => messages.length > 0, 'the open alert');
    expect(messages.map((m) => m.topic)).toEqual([alertTopic(open1)]);
    await publisher.stop();
  });

  it('stop() removes its listener, and a failing publish does not stop later ones', async () => {
    const alerts = new FakeAlertService();
    const published: string[] = [];
    let fail = true;
    const flaky = {
      publish: async (topic: string) => {
        if (fail) {
          fail = false;
          throw new Error('broker is stopping');
        }
        published.push(topic);
      },
    };
    const errors: unknown[] = [];
    const publisher = new MqttAlertPublisher({ alerts, broker: flaky, logger: { error: (o: unknown) => errors.push(o), warn: () => {} } as never });
    await publisher.start();
    const a = makeAlert();
    const b = makeAlert();
    alerts.emit('raised', a);
    alerts.emit('raised', b);
    await publisher.idle();
    expect(published).toEqual([alertTopic(b)]);
    expect(errors).toHaveLength(1);
    await publisher.stop();
    expect(alerts.listenerCount).toBe(0);
  });
});

describe('observer login', () => {
  it('is refused with a bad token (CONNACK 4)', async () => {
    const error = await connected(open({ clientId: 'observer-x', username: 'api', password: 'bp_not_a_token' })).catch((e) => e);
    expect((error as { code?: number }).code).toBe(4);
    expect(await metric('binpulse_mqtt_refusals_total', { reason: 'bad_token' })).toBe(1);
  });

  it('is refused with a revoked token', async () => {
    const { id, token } = tokens.create('operator', 'leaver');
    tokens.revoke(id);
    const error = await connected(open({ clientId: 'observer-y', username: 'api', password: token })).catch((e) => e);
    expect((error as { code?: number }).code).toBe(4);
  });

  it("cannot use a device's client id and so cannot knock the device off (CONNACK 2)", async () => {
    const device = await connected(open({ clientId: 'box-0001', username: 'box-0001', password: 'box-0001-secret' }));
    const error = await connected(open({ clientId: 'box-0001', username: 'api', password: managerToken })).catch((e) => e);
    expect((error as { code?: number }).code).toBe(2);
    expect(device.connected).toBe(true);
  });

  it('is not a device: not counted, not reported to connection listeners', async () => {
    await observer();
    expect(broker.connectedDevices()).toBe(0);
    expect(await metric('binpulse_mqtt_connected_observers')).toBe(1);
    await connected(open({ clientId: 'box-0001', username: 'box-0001', password: 'box-0001-secret' }));
    expect(deviceConnections).toEqual([['box-0001', true]]);
  });

  it('cannot publish: the broker ends the connection and nothing is delivered', async () => {
    const client = await observer();
    const received: string[] = [];
    await broker.subscribe('binpulse/#', (topic) => received.push(topic));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('binpulse/alerts/v1/fire_risk/alt_fake', '{"fake":true}', { qos: 1, retain: true });
    await closed;
    expect(received).toEqual([]);
    expect(await metric('binpulse_mqtt_refusals_total', { reason: 'read_only' })).toBe(1);
    // Nor did it leave a retained message behind.
    const reader = await observer();
    const { messages } = await collect(reader, 'binpulse/alerts/v1/#');
    await broker.publish('binpulse/alerts/v1/bin_full/alt_marker', 'marker', { retain: false, qos: 1 });
    await waitFor(() => messages.length > 0, 'the marker');
    expect(messages.map((m) => m.payload)).toEqual(['marker']);
  });

  it('cannot subscribe to device topics (SUBACK 128), and the connection stays up', async () => {
    const client = await observer();
    const filters = ['binpulse/v1/+/telemetry', 'binpulse/v1/box-0001/command', '#', 'binpulse/#', 'binpulse/alerts/v1/fire_risk/+'];
    expect(await subackCodes(client, filters)).toEqual([128, 128, 128, 128, 1]);
    expect(client.connected).toBe(true);
    expect(await metric('binpulse_mqtt_refusals_total', { reason: 'forbidden_subscription' })).toBe(4);
    // And nothing a device publishes reaches it.
    const received: string[] = [];
    client.on('message', (topic) => received.push(topic));
    const device = await connected(open({ clientId: 'box-0001', username: 'box-0001', password: 'box-0001-secret' }));
    await device.publishAsync('binpulse/v1/box-0001/telemetry', '{}', { qos: 1 });
    await broker.publish('binpulse/alerts/v1/fire_risk/alt_marker', 'marker', { qos: 1 });
    await waitFor(() => received.length > 0, 'the marker');
    expect(received).toEqual(['binpulse/alerts/v1/fire_risk/alt_marker']);
  });

  it('without an observer authenticator, username api is refused like an unknown device', async () => {
    const plain = createPlatformBroker({
      host: '127.0.0.1',
      mqttPort: 0,
      wsPort: 0,
      maxPayloadBytes: 1024,
      maxTopicLevels: 8,
      authenticator: new MemoryAuthenticator(),
      logger: pino({ level: 'silent' }),
      metrics: new Registry(),
    });
    const { mqttPort } = await plain.start();
    try {
      const client = connect(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'observer-z', username: 'api', password: managerToken, reconnectPeriod: 0 });
      client.on('error', () => {});
      clients.push(client);
      const error = await connected(client).catch((e) => e);
      expect((error as { code?: number }).code).toBe(4);
    } finally {
      await plain.stop();
    }
  });
});

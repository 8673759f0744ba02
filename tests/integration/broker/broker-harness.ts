/**
 * A real broker on 127.0.0.1 with ephemeral ports, an in-memory fleet and captured logs,
 * plus small helpers for the integration tests.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { DeviceKind } from '../../../shared/contracts/common.ts';
import { createPlatformBroker, type PlatformBrokerOptions } from '../../../services/broker/adapters/aedes-broker.ts';
import type { BrokerListening, PlatformBroker } from '../../../services/broker/core/ports.ts';
import type { DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';

export const SECRETS: Record<string, string> = { 'box-0001': 'box-0001-secret', 'box-0002': 'box-0002-secret', 'cam-001': 'cam-001-secret' };

export class MemoryAuthenticator implements DeviceAuthenticator {
  readonly devices = new Map<string, { kind: DeviceKind; secret: string }>();

  add(id: string, kind: DeviceKind, secret: string): void {
    this.devices.set(id, { kind, secret });
  }
  kindOf(deviceId: string): DeviceKind | undefined {
    return this.devices.get(deviceId)?.kind;
  }
  verifySecret(deviceId: string, secret: string): boolean {
    return this.devices.get(deviceId)?.secret === secret;
  }
}

export interface Harness {
  broker: PlatformBroker;
  ports: BrokerListening;
  registry: Registry;
  authenticator: MemoryAuthenticator;
  /** Parsed warn+ log lines. */
  logs: Array<Record<string, unknown>>;
  /** Every message seen by an in-process subscription to binpulse/v1/#. */
  received: Array<{ topic: string; payload: string }>;
  clients: MqttClient[];
}

export const LIMITS = { maxPayloadBytes: 1024, maxTopicLevels: 8 };

/** `extra` overrides or adds broker options (e.g. onAcceptedPublish). */
export async function startHarness(extra: Partial<PlatformBrokerOptions> = {}): Promise<Harness> {
  const authenticator = new MemoryAuthenticator();
  authenticator.add('box-0001', 'box', SECRETS['box-0001']!);
  authenticator.add('box-0002', 'box', SECRETS['box-0002']!);
  authenticator.add('cam-001', 'camera', SECRETS['cam-001']!);
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const registry = new Registry();
  const broker = createPlatformBroker({
    host: '127.0.0.1',
    mqttPort: 0,
    wsPort: 0,
    ...LIMITS,
    authenticator,
    logger,
    metrics: registry,
    ...extra,
  });
  const received: Harness['received'] = [];
  await broker.subscribe('binpulse/v1/#', (topic, payload) => received.push({ topic, payload: payload.toString() }));
  const ports = await broker.start();
  return { broker, ports, registry, authenticator, logs, received, clients: [] };
}

export async function stopHarness(h: Harness | undefined): Promise<void> {
  if (!h) return;
  await Promise.all(h.clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await h.broker.stop();
}

/** mqtt.js options for a device: no automatic reconnect, so a closed connection stays closed. */
export function deviceOptions(deviceId: string, extra: IClientOptions = {}): IClientOptions {
  return { clientId: deviceId, username: deviceId, password: SECRETS[deviceId], reconnectPeriod: 0, connectTimeout: 20_000, ...extra };
}

export function openClient(h: Harness, options: IClientOptions, url = `mqtt://127.0.0.1:${h.ports.mqttPort}`): MqttClient {
  const client = connect(url, options);
  client.on('error', () => {}); // refusals are asserted explicitly; keep them from being unhandled
  h.clients.push(client);
  return client;
}

/** Connects and resolves on CONNACK 0, or rejects with mqtt.js' error (its `code` is the CONNACK code). */
export function connectDevice(h: Harness, options: IClientOptions, url?: string): Promise<MqttClient> {
  const client = openClient(h, options, url);
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', reject);
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

export async function refusedCode(h: Harness, options: IClientOptions): Promise<number | undefined> {
  try {
    await connectDevice(h, options);
  } catch (err) {
    return (err as { code?: number }).code;
  }
  throw new Error('connection was accepted');
}

/** Polls until the condition holds; the timeout only bounds a failure. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

export const refusals = (h: Harness, reason: string) => metricValue(h.registry, 'binpulse_mqtt_refusals_total', { reason });

/** The SUBACK return codes, in request order (mqtt.js rejects when any is 128, with the SUBACK attached). */
export async function subackCodes(client: MqttClient, topics: string[]): Promise<number[]> {
  try {
    const granted = await client.subscribeAsync(topics, { qos: 1 });
    return granted.map((g) => g.qos);
  } catch (err) {
    const packet = (err as { packet?: { granted?: number[] } }).packet;
    if (!packet?.granted) throw err;
    return packet.granted;
  }
}

/** Resolves when the client's connection is closed (by the broker). */
export function closed(client: MqttClient): Promise<void> {
  return new Promise((resolve) => (client.connected ? client.once('close', () => resolve()) : resolve()));
}

/** MQTT variable-length "remaining length" (MQTT 3.1.1 §2.2.3). */
export function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

function mqttString(s: string): Buffer {
  const body = Buffer.from(s);
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
}

/** A hand-made MQTT 3.1.1 CONNECT (clean session, username + password), for raw-socket tests. */
export function rawConnect(deviceId: string, keepaliveSeconds = 60): Buffer {
  const variable = Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0xc2, keepaliveSeconds >> 8, keepaliveSeconds & 0xff])]);
  const payload = Buffer.concat([mqttString(deviceId), mqttString(deviceId), mqttString(SECRETS[deviceId]!)]);
  const body = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

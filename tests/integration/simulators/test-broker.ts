/** A bare aedes broker on 127.0.0.1 (ephemeral port) that knows the test fleet's secrets, and an observer. */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { parseDeviceTopic } from '../../../shared/contracts/index.ts';

export const OBSERVER = { username: 'observer', password: 'observer-secret-0123456789' };

export interface ObservedMessage {
  topic: string;
  deviceId: string;
  channel: string;
  payload: unknown;
  retain: boolean;
}

export interface TestBroker {
  url: string;
  /** Client id → username of every connection the broker accepted. */
  accepted: Map<string, string>;
  /** Device topics published by a client whose id is not the topic's device. */
  foreignPublishes: string[];
  close(): Promise<void>;
}

export async function startTestBroker(secrets: ReadonlyMap<string, string>): Promise<TestBroker> {
  const accepted = new Map<string, string>();
  const foreignPublishes: string[] = [];
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const given = password?.toString();
      const ok =
        (username === OBSERVER.username && given === OBSERVER.password) ||
        (username === client.id && username !== undefined && secrets.get(username) === given);
      if (ok) accepted.set(client.id, username!);
      done(null, ok);
    },
  });
  broker.on('publish', (packet, client) => {
    const parsed = parseDeviceTopic(packet.topic);
    // client is null for the broker's own publishes, which include last wills.
    if (client && parsed && parsed.deviceId !== client.id) foreignPublishes.push(`${client.id} → ${packet.topic}`);
  });
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    accepted,
    foreignPublishes,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Subscribes to every device topic and records what arrives (retained messages included). */
export async function observe(url: string, clientId: string): Promise<{ client: MqttClient; messages: ObservedMessage[] }> {
  const client = await mqtt.connectAsync(url, { ...OBSERVER, clientId, reconnectPeriod: 0 });
  const messages: ObservedMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    const parsed = parseDeviceTopic(topic);
    if (!parsed) return;
    messages.push({ topic, ...parsed, payload: JSON.parse(payload.toString()), retain: packet.retain });
  });
  await client.subscribeAsync('binpulse/v1/#', { qos: 1 });
  return { client, messages };
}

/** Polls until the condition holds; fails with the description if it never does. */
export async function waitFor(description: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closed,
  connectDevice,
  deviceOptions,
  LIMITS,
  rawConnect,
  refusals,
  remainingLength,
  startHarness,
  stopHarness,
  subackCodes,
  waitFor,
  type Harness,
} from './broker-harness.ts';

let h: Harness | undefined;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

/** Proves the broker still routes for others, and that anything published before has been routed. */
async function sentinelFrom(deviceId: string): Promise<void> {
  const bystander = await connectDevice(h!, deviceOptions(deviceId));
  const marker = `sentinel-${Math.random()}`;
  await bystander.publishAsync(`binpulse/v1/${deviceId}/event/fault`, marker, { qos: 1 });
  await waitFor(() => h!.received.some((m) => m.payload === marker), 'the sentinel message');
}

describe('PUBLISH refusals', () => {
  const deep = 'binpulse/v1/box-0001/telemetry/a/b/c/d/e';
  const aedesDeep = `binpulse/v1/box-0001/${'x/'.repeat(120)}x`;
  it.each([
    ["another device's topic", 'box-0001', 'binpulse/v1/box-0002/telemetry', 10, false, 'foreign_topic'],
    ['an unknown channel', 'box-0001', 'binpulse/v1/box-0001/firmware', 10, false, 'unknown_channel'],
    ['a camera on a box-only channel', 'cam-001', 'binpulse/v1/cam-001/telemetry', 10, false, 'channel_not_for_kind'],
    ['a topic deeper than the limit', 'box-0001', deep, 10, false, 'topic_too_deep'],
    ["a topic deeper than aedes' own ceiling", 'box-0001', aedesDeep, 10, false, 'topic_too_deep'],
    ['a payload above the limit', 'box-0001', 'binpulse/v1/box-0001/telemetry', LIMITS.maxPayloadBytes + 1, false, 'payload_too_large'],
    ['a packet above the frame limit', 'box-0001', 'binpulse/v1/box-0001/telemetry', 200_000, false, 'packet_too_large'],
    ['a wildcard topic (refused by aedes before our rules)', 'box-0001', 'binpulse/v1/box-0001/#', 10, false, 'wildcard_in_topic'],
    ['a retained non-status message', 'box-0001', 'binpulse/v1/box-0001/telemetry', 10, true, 'retain_not_allowed'],
  ] as const)('refuses %s: never routed, counted, connection closed, broker unharmed', async (_, deviceId, topic, size, retain, reason) => {
    const offender = await connectDevice(h!, deviceOptions(deviceId));
    const payload = 'forbidden'.padEnd(size, '.');
    offender.publish(topic, payload, { qos: 1, retain }, () => {});
    // MQTT 3.1.1 has no negative PUBACK: aedes answers a refused publish by closing the connection.
    await closed(offender);
    expect(await refusals(h!, reason)).toBe(1);

    await sentinelFrom(deviceId === 'cam-001' ? 'box-0001' : 'box-0002');
    expect(h!.received.filter((m) => m.payload.startsWith('forbidden'))).toEqual([]);
    // The offender itself can come back.
    await connectDevice(h!, deviceOptions(deviceId));
  });

  it('accepts a retained status and a payload of exactly the limit', async () => {
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    await client.publishAsync('binpulse/v1/box-0001/status', 'online', { qos: 1, retain: true });
    await client.publishAsync('binpulse/v1/box-0001/telemetry', 'x'.repeat(LIMITS.maxPayloadBytes), { qos: 1 });
    await waitFor(() => h!.received.length === 2, 'both messages');
    expect(client.connected).toBe(true);
  });

  it('ends a raw connection announcing a 200 MB publish from its header, without waiting for the body', async () => {
    const socket = netConnect(h!.ports.mqttPort, '127.0.0.1');
    socket.on('error', () => {}); // the broker may reset the connection while we still write
    await once(socket, 'connect');
    socket.write(rawConnect('box-0001'));
    const [connack] = (await once(socket, 'data')) as [Buffer];
    expect([...connack]).toEqual([0x20, 0x02, 0x00, 0x00]);

    const socketClosed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(Buffer.concat([Buffer.from([0x30]), remainingLength(200 * 1024 * 1024)]));
    socket.write(Buffer.alloc(1024 * 1024, 0x61)); // 1 MB of the announced 200 MB
    await socketClosed;
    expect(await refusals(h!, 'packet_too_large')).toBe(1);
    await waitFor(() => h!.broker.connectedDevices() === 0, 'the device to be disconnected');
  });
});

describe('SUBSCRIBE', () => {
  it("grants the own command topic and refuses another device's with QoS 128, keeping the connection", async () => {
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    const granted = await subackCodes(client, ['binpulse/v1/box-0001/command', 'binpulse/v1/box-0002/command']);
    expect(granted).toEqual([1, 128]);
    expect(await refusals(h!, 'forbidden_subscription')).toBe(1);

    const commands: string[] = [];
    client.on('message', (topic, payload) => commands.push(`${topic} ${payload.toString()}`));
    await h!.broker.publish('binpulse/v1/box-0002/command', 'not for you', { qos: 1 });
    await h!.broker.publish('binpulse/v1/box-0001/command', 'for you', { qos: 1 });
    await waitFor(() => commands.length > 0, 'the command');
    expect(commands).toEqual(['binpulse/v1/box-0001/command for you']);
    expect(client.connected).toBe(true);
  });

  it('refuses wildcard subscriptions that would cover other devices', async () => {
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    expect(await subackCodes(client, ['binpulse/v1/+/command', '#'])).toEqual([128, 128]);
    expect(await refusals(h!, 'forbidden_subscription')).toBe(2);
  });
});

import { connect as netConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closed,
  connectDevice,
  deviceOptions,
  rawConnect,
  refusals,
  refusedCode,
  startHarness,
  stopHarness,
  waitFor,
  type Harness,
} from './broker-harness.ts';

let h: Harness | undefined;
let events: string[];
beforeEach(async () => {
  h = await startHarness();
  events = [];
  h.broker.onDeviceConnection(({ deviceId, connected, reason }) => void events.push(`${deviceId} ${connected ? 'up' : `down ${reason}`}`));
});
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

const ownStatus = 'binpulse/v1/box-0001/status';

describe('last will', () => {
  it('refuses a CONNECT whose will targets a foreign topic (CONNACK 5) and never delivers that will', async () => {
    const will = { topic: 'binpulse/v1/box-0002/status', payload: Buffer.from('fake offline'), qos: 1 as const, retain: true };
    expect(await refusedCode(h!, deviceOptions('box-0001', { will }))).toBe(5);
    expect(await refusals(h!, 'foreign_topic')).toBe(1);
    // Route something afterwards so a stray will would have arrived before it.
    const other = await connectDevice(h!, deviceOptions('box-0002'));
    await other.publishAsync('binpulse/v1/box-0002/event/fault', 'after', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'after'), 'the later message');
    expect(h!.received.filter((m) => m.payload === 'fake offline')).toEqual([]);
  });

  it('delivers a legit will on the own status topic when the socket dies, and reports the device down', async () => {
    const will = { topic: ownStatus, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const client = await connectDevice(h!, deviceOptions('box-0001', { will }));
    await waitFor(() => events.includes('box-0001 up'), 'the up event');
    client.stream.destroy();
    await waitFor(() => h!.received.some((m) => m.topic === ownStatus), 'the will');
    expect(h!.received.find((m) => m.topic === ownStatus)?.payload).toBe('offline');
    await waitFor(() => events.includes('box-0001 down last_will'), 'the down event');
    expect(events).toEqual(['box-0001 up', 'box-0001 down last_will']);
    expect(h!.broker.connectedDevices()).toBe(0);
  });

  it('does not deliver the will after a clean DISCONNECT', async () => {
    const will = { topic: ownStatus, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const client = await connectDevice(h!, deviceOptions('box-0001', { will }));
    await client.endAsync();
    await waitFor(() => events.includes('box-0001 down clean_disconnect'), 'the down event');
    await (await connectDevice(h!, deviceOptions('box-0002'))).publishAsync('binpulse/v1/box-0002/event/fault', 'after', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'after'), 'the later message');
    expect(h!.received.filter((m) => m.topic === ownStatus)).toEqual([]);
  });

  it('re-authorizes the will when it is published: a device removed meanwhile loses it', async () => {
    const will = { topic: ownStatus, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const client = await connectDevice(h!, deviceOptions('box-0001', { will }));
    h!.authenticator.devices.delete('box-0001');
    client.stream.destroy();
    await waitFor(() => events.includes('box-0001 down last_will'), 'the down event');
    await waitFor(async () => (await refusals(h!, 'unknown_device')) === 1, 'the will refusal');
    expect(h!.received.filter((m) => m.topic === ownStatus)).toEqual([]);
  });

  it('a refused publish ends the connection uncleanly, so the will is published', async () => {
    const will = { topic: ownStatus, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const client = await connectDevice(h!, deviceOptions('box-0001', { will }));
    client.publish('binpulse/v1/box-0002/telemetry', 'x', { qos: 1 }, () => {});
    await closed(client);
    await waitFor(() => h!.received.some((m) => m.topic === ownStatus), 'the will');
    await waitFor(() => events.includes('box-0001 down last_will'), 'the down event');
  });
});

describe('device connection events', () => {
  it('reports a takeover by a new connection of the same device as down (no goodbye: its will), then up', async () => {
    const first = await connectDevice(h!, deviceOptions('box-0001'));
    await connectDevice(h!, deviceOptions('box-0001'));
    await closed(first);
    expect(events).toEqual(['box-0001 up', 'box-0001 down last_will', 'box-0001 up']);
    expect(h!.broker.connectedDevices()).toBe(1);
  });

  it('reports a keepalive timeout as down, keepalive_timeout', async () => {
    const socket = netConnect(h!.ports.mqttPort, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(rawConnect('box-0001', 1)); // keepalive 1 s, then silence: no PINGREQ ever
    await waitFor(() => events.includes('box-0001 up'), 'the up event');
    await waitFor(() => events.length === 2, 'the keepalive timeout', 15_000);
    expect(events).toEqual(['box-0001 up', 'box-0001 down keepalive_timeout']);
    socket.destroy();
  });

  it('tells a raw DISCONNECT from a raw socket that just closes', async () => {
    const polite = netConnect(h!.ports.mqttPort, '127.0.0.1');
    polite.on('error', () => {});
    polite.write(rawConnect('box-0001'));
    await waitFor(() => events.includes('box-0001 up'), 'the first up event');
    polite.end(Buffer.from([0xe0, 0x00])); // DISCONNECT, then FIN
    await waitFor(() => events.includes('box-0001 down clean_disconnect'), 'the goodbye');

    const rude = netConnect(h!.ports.mqttPort, '127.0.0.1');
    rude.on('error', () => {});
    rude.write(rawConnect('box-0002'));
    await waitFor(() => events.includes('box-0002 up'), 'the second up event');
    rude.end(); // FIN without DISCONNECT
    await waitFor(() => events.includes('box-0002 down last_will'), 'the lost connection');
  });

  it('reports the connections it closes itself at shutdown without a device reason', async () => {
    await connectDevice(h!, deviceOptions('box-0001'));
    await h!.broker.stop();
    expect(events).toEqual(['box-0001 up', 'box-0001 down null']);
  });

  it('never reports a refused device', async () => {
    expect(await refusedCode(h!, deviceOptions('box-0001', { password: 'wrong' }))).toBe(4);
    expect(events).toEqual([]);
    expect(h!.broker.connectedDevices()).toBe(0);
  });
});

describe('MQTT over WebSocket', () => {
  const wsUrl = () => `ws://127.0.0.1:${h!.ports.wsPort}/mqtt`;

  it('connects, publishes and is refused like TCP', async () => {
    const client = await connectDevice(h!, deviceOptions('cam-001'), wsUrl());
    await client.publishAsync('binpulse/v1/cam-001/heartbeat', 'beat', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.topic === 'binpulse/v1/cam-001/heartbeat'), 'the heartbeat');
    expect(events).toEqual(['cam-001 up']);

    client.publish('binpulse/v1/cam-001/telemetry', 'x', { qos: 1 }, () => {});
    await closed(client);
    expect(await refusals(h!, 'channel_not_for_kind')).toBe(1);
    await waitFor(() => events.includes('cam-001 down last_will'), 'the down event');
  });

  it('sees a clean DISCONNECT over WebSocket too', async () => {
    const client = await connectDevice(h!, deviceOptions('cam-001'), wsUrl());
    await client.endAsync();
    await waitFor(() => events.length === 2, 'the down event');
    expect(events).toEqual(['cam-001 up', 'cam-001 down clean_disconnect']);
  });

  it('drops an oversized packet over WebSocket too', async () => {
    const client = await connectDevice(h!, deviceOptions('cam-001'), wsUrl());
    client.publish('binpulse/v1/cam-001/detection', 'x'.repeat(200_000), { qos: 1 }, () => {});
    await closed(client);
    // Caught by the frame meter, or by ws' message limit, whose error may surface just after the close.
    await waitFor(async () => (await refusals(h!, 'packet_too_large')) > 0, 'the refusal to be counted');
    await other(h!); // lets a late second report of the same packet arrive, were it counted twice
    expect(await refusals(h!, 'packet_too_large')).toBe(1);
    expect(h!.received.filter((m) => m.topic.startsWith('binpulse/v1/cam-001/'))).toEqual([]);
  });
});

/** A round trip through the broker from another device. */
async function other(harness: Harness): Promise<void> {
  const client = await connectDevice(harness, deviceOptions('box-0002'));
  await client.publishAsync('binpulse/v1/box-0002/event/fault', 'round trip', { qos: 1 });
}

describe('platform access', () => {
  it('publishes retained messages as the platform, outside the device rules', async () => {
    await h!.broker.publish('binpulse/v1/box-0001/command', '{"op":"ping"}', { retain: true, qos: 1 });
    await waitFor(() => h!.received.some((m) => m.topic === 'binpulse/v1/box-0001/command'), 'the platform publish');
    const device = await connectDevice(h!, deviceOptions('box-0001'));
    const got = new Promise<string>((resolve) => device.once('message', (_t, p) => resolve(p.toString())));
    await device.subscribeAsync('binpulse/v1/box-0001/command', { qos: 1 });
    expect(await got).toBe('{"op":"ping"}');
  });
});

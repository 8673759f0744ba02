/**
 * onAcceptedPublish (the journal hook): awaited before aedes acknowledges (PUBACK) or routes a
 * device publish; a rejection refuses the publish.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AcceptedPublish } from '../../../services/broker/adapters/aedes-broker.ts';
import { closed, connectDevice, deviceOptions, startHarness, stopHarness, waitFor, type Harness } from './broker-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

const telemetry = 'binpulse/v1/box-0001/telemetry';
const status = 'binpulse/v1/box-0001/status';
const tick = () => new Promise((resolve) => setTimeout(resolve, 25));

describe('onAcceptedPublish', () => {
  it('is awaited before the PUBACK and before subscribers see the message', async () => {
    const order: string[] = [];
    h = await startHarness({
      onAcceptedPublish: async (publish) => {
        order.push(`hook started ${publish.payload.toString()}`);
        // Long enough that an early PUBACK would certainly come first; nothing asserts on the time.
        await new Promise((resolve) => setTimeout(resolve, 200));
        order.push(`hook done ${publish.payload.toString()}`);
      },
    });
    await h.broker.subscribe('binpulse/v1/#', (_topic, payload) => order.push(`delivered ${payload.toString()}`));
    const client = await connectDevice(h, deviceOptions('box-0001'));
    await client.publishAsync(telemetry, 'm1', { qos: 1 }).then(() => order.push('puback m1'));
    await waitFor(() => order.length === 4, 'the hook, the PUBACK and the delivery');
    expect(order.slice(0, 2)).toEqual(['hook started m1', 'hook done m1']);
    // PUBACK and in-process delivery follow in either order; both only after the hook.
    expect(order.slice(2).sort()).toEqual(['delivered m1', 'puback m1']);
  });

  it('passes the device, topic, payload bytes and the broker clock; status publishes too', async () => {
    const seen: AcceptedPublish[] = [];
    h = await startHarness({ now: () => 1_760_000_000_000, onAcceptedPublish: async (p) => void seen.push(p) });
    const client = await connectDevice(h, deviceOptions('box-0001'));
    await client.publishAsync(telemetry, Buffer.from([0x7b, 0x00, 0xff]), { qos: 1 });
    await client.publishAsync(status, 'online', { qos: 1, retain: true });
    expect(seen).toEqual([
      { deviceId: 'box-0001', topic: telemetry, payload: Buffer.from([0x7b, 0x00, 0xff]), receivedAt: 1_760_000_000_000 },
      { deviceId: 'box-0001', topic: status, payload: Buffer.from('online'), receivedAt: 1_760_000_000_000 },
    ]);
  });

  it('sees QoS 0 publishes too, in arrival order', async () => {
    const seen: string[] = [];
    h = await startHarness({ onAcceptedPublish: async (p) => void seen.push(p.payload.toString()) });
    const client = await connectDevice(h, deviceOptions('box-0001'));
    for (const body of ['a', 'b', 'c']) client.publish(telemetry, body, { qos: 0 });
    await client.publishAsync(telemetry, 'd', { qos: 1 });
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses the publish when the hook rejects: no PUBACK, connection closed, nothing routed', async () => {
    let failing = true;
    h = await startHarness({
      onAcceptedPublish: async (p) => {
        if (failing && p.deviceId === 'box-0001') throw new Error('journal full');
      },
    });
    const client = await connectDevice(h, deviceOptions('box-0001'));
    const outcome = client.publishAsync(telemetry, 'kept?', { qos: 1 }).then(
      () => 'acknowledged',
      () => 'failed',
    );
    await closed(client);
    // No PUBACK can arrive on a closed connection; a pending or failed publish both mean "not acknowledged".
    expect(await Promise.race([outcome, tick().then(() => 'pending')])).not.toBe('acknowledged');
    await client.endAsync(true).catch(() => undefined);

    // The broker still works for others, and the refused message was never routed.
    const other = await connectDevice(h, deviceOptions('box-0002'));
    await other.publishAsync('binpulse/v1/box-0002/telemetry', 'bystander', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'bystander'), 'the bystander');
    expect(h.received.filter((m) => m.payload === 'kept?')).toEqual([]);
    expect(h.logs.filter((l) => String(l.msg).includes('could not be kept'))).toHaveLength(1);

    // Once the hook works again, the device's resent message is accepted.
    failing = false;
    const again = await connectDevice(h, deviceOptions('box-0001'));
    await again.publishAsync(telemetry, 'kept?', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'kept?'), 'the resent message');
  });

  it('treats a hook that throws synchronously as a rejection', async () => {
    h = await startHarness({
      onAcceptedPublish: () => {
        throw new Error('boom');
      },
    });
    const client = await connectDevice(h, deviceOptions('box-0001'));
    client.publish(telemetry, 'x', { qos: 1 }, () => {});
    await closed(client);
    expect(h.received).toEqual([]);
  });

  it('passes the last will through the hook, and a will the hook refuses is not published', async () => {
    const seen: string[] = [];
    let refuse = false;
    h = await startHarness({
      onAcceptedPublish: async (p) => {
        seen.push(`${p.topic} ${p.payload.toString()}`);
        if (refuse && p.deviceId === 'box-0001') throw new Error('journal failing');
      },
    });
    const will = { topic: status, payload: Buffer.from('offline'), qos: 1 as const, retain: true };
    const first = await connectDevice(h, deviceOptions('box-0001', { will }));
    first.stream.destroy();
    await waitFor(() => h!.received.some((m) => m.payload === 'offline'), 'the will');
    expect(seen).toEqual([`${status} offline`]);

    refuse = true;
    const second = await connectDevice(h, deviceOptions('box-0001', { will: { ...will, payload: Buffer.from('gone') } }));
    second.stream.destroy();
    await waitFor(() => seen.length === 2, 'the second will to reach the hook');
    // Route something afterwards so a stray will would have arrived before it.
    const other = await connectDevice(h, deviceOptions('box-0002'));
    await other.publishAsync('binpulse/v1/box-0002/telemetry', 'after', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'after'), 'the later message');
    expect(h.received.map((m) => m.payload)).toEqual(['offline', 'after']);
  });

  it("does not pass the platform's own publishes through the hook", async () => {
    const seen: string[] = [];
    h = await startHarness({ onAcceptedPublish: async (p) => void seen.push(p.topic) });
    await h.broker.publish('binpulse/v1/box-0001/command', 'reboot', { qos: 1 });
    await h.broker.publish('binpulse/alerts/v1/bin_full/box-0001', '{}', { retain: true });
    await waitFor(() => h!.received.length === 1, 'the command');
    expect(seen).toEqual([]);
  });

  it('is not asked about publishes the access rules refuse', async () => {
    const seen: string[] = [];
    h = await startHarness({ onAcceptedPublish: async (p) => void seen.push(p.topic) });
    const client = await connectDevice(h, deviceOptions('box-0001'));
    client.publish('binpulse/v1/box-0002/telemetry', 'foreign', { qos: 1 }, () => {});
    await closed(client);
    expect(seen).toEqual([]);
  });
});

import { hasMosquitto, mosquittoPub } from '../../support/mosquitto.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  connectDevice,
  deviceOptions,
  metricValue,
  refusals,
  refusedCode,
  SECRETS,
  startHarness,
  stopHarness,
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

describe('CONNECT', () => {
  it('lets a device in and its publish reaches the in-process subscriber', async () => {
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    await client.publishAsync('binpulse/v1/box-0001/telemetry', '{"hello":1}', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.topic === 'binpulse/v1/box-0001/telemetry'), 'the telemetry message');
    expect(h!.received.find((m) => m.topic === 'binpulse/v1/box-0001/telemetry')?.payload).toBe('{"hello":1}');
    expect(await metricValue(h!.registry, 'binpulse_mqtt_messages_received_total')).toBe(1);
    expect(h!.broker.connectedDevices()).toBe(1);
    expect(await metricValue(h!.registry, 'binpulse_mqtt_connected_devices')).toBe(1);
  });

  it('refuses a wrong secret with CONNACK 4', async () => {
    expect(await refusedCode(h!, deviceOptions('box-0001', { password: 'wrong' }))).toBe(4);
    expect(await refusals(h!, 'bad_secret')).toBe(1);
  });

  it('refuses an unknown device with CONNACK 4', async () => {
    expect(await refusedCode(h!, { ...deviceOptions('box-0001'), clientId: 'box-9999', username: 'box-9999' })).toBe(4);
    expect(await refusals(h!, 'unknown_device')).toBe(1);
  });

  it('refuses a missing password with CONNACK 4', async () => {
    expect(await refusedCode(h!, deviceOptions('box-0001', { password: undefined }))).toBe(4);
    expect(await refusals(h!, 'missing_credentials')).toBe(1);
  });

  it('refuses a client id other than the device id with CONNACK 2', async () => {
    expect(await refusedCode(h!, deviceOptions('box-0001', { clientId: 'box-0002' }))).toBe(2);
    expect(await refusals(h!, 'client_id_mismatch')).toBe(1);
    expect(h!.broker.connectedDevices()).toBe(0);
  });

  it('a client id mismatch cannot take over the session of the device owning that id', async () => {
    const owner = await connectDevice(h!, deviceOptions('box-0002'));
    expect(await refusedCode(h!, deviceOptions('box-0001', { clientId: 'box-0002' }))).toBe(2);
    expect(owner.connected).toBe(true);
    await owner.publishAsync('binpulse/v1/box-0002/telemetry', 'still here', { qos: 1 });
  });

  it('logs a repeated refusal once but counts every one', async () => {
    for (let i = 0; i < 3; i++) expect(await refusedCode(h!, deviceOptions('box-0001', { password: 'wrong' }))).toBe(4);
    expect(await refusals(h!, 'bad_secret')).toBe(3);
    const lines = h!.logs.filter((l) => l.reason === 'bad_secret');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, deviceId: 'box-0001', reason: 'bad_secret', detail: expect.any(String) });
  });

  it.runIf(hasMosquitto)('refuses mosquitto_pub with a wrong secret and accepts it with the right one', async () => {
    const port = h!.ports.mqttPort;
    const topic = 'binpulse/v1/box-0001/event/deposit';
    const wrong = await mosquittoPub(port, ['-i', 'box-0001', '-u', 'box-0001', '-P', 'wrong', '-t', topic, '-m', 'nope', '-q', '1']);
    expect(wrong.code).not.toBe(0);
    expect(await refusals(h!, 'bad_secret')).toBe(1);

    const right = await mosquittoPub(port, ['-i', 'box-0001', '-u', 'box-0001', '-P', SECRETS['box-0001']!, '-t', topic, '-m', 'yes', '-q', '1']);
    expect(right).toEqual({ code: 0, stderr: '' });
    await waitFor(() => h!.received.some((m) => m.topic === topic), 'the mosquitto_pub message');
    expect(h!.received.filter((m) => m.topic === topic).map((m) => m.payload)).toEqual(['yes']);
  });
});

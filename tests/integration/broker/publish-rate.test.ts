/**
 * The per-device publish rate on the real broker (aedes) with real mqtt.js clients (issue 15):
 * a device over its rate is refused and counted, others are not affected; a burst within the
 * hold window is paced, every QoS 1 publish acknowledged and kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closed, connectDevice, deviceOptions, refusals, startHarness, stopHarness, waitFor, type Harness } from './broker-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

const topic = (id: string) => `binpulse/v1/${id}/telemetry`;

describe('per-device publish rate', () => {
  it('refuses a device past its burst (rate_limited, logged once), while another device publishes on', async () => {
    const kept: string[] = [];
    h = await startHarness({
      publishRate: { ratePerSecond: 1, burst: 10, maxWaitMs: 0 },
      onAcceptedPublish: async (p) => void kept.push(`${p.deviceId} ${p.payload.toString()}`),
    });
    const flooder = await connectDevice(h, deviceOptions('box-0001'));
    const bystander = await connectDevice(h, deviceOptions('box-0002'));
    for (let i = 0; i < 50; i++) flooder.publish(topic('box-0001'), `m${i}`, { qos: 0 });
    await closed(flooder);

    expect(await refusals(h, 'rate_limited')).toBe(1);
    expect(kept.filter((k) => k.startsWith('box-0001'))).toEqual(Array.from({ length: 10 }, (_, i) => `box-0001 m${i}`));
    const warnings = h.logs.filter((l) => l.reason === 'rate_limited');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ deviceId: 'box-0001', detail: 'over 1 publishes/s (burst 10): next slot in 1 s' });

    // The other device has its own bucket: all ten of its QoS 1 publishes are acknowledged.
    for (let i = 0; i < 10; i++) await bystander.publishAsync(topic('box-0002'), `b${i}`, { qos: 1 });
    expect(kept.filter((k) => k.startsWith('box-0002'))).toHaveLength(10);
    expect(await refusals(h, 'rate_limited')).toBe(1);
  });

  it('a refused device comes back within its rate: reconnects and publishes once its bucket refilled', async () => {
    h = await startHarness({ publishRate: { ratePerSecond: 20, burst: 2, maxWaitMs: 0 } });
    const first = await connectDevice(h, deviceOptions('box-0001'));
    for (let i = 0; i < 5; i++) first.publish(topic('box-0001'), `x${i}`, { qos: 0 });
    await closed(first);
    expect(await refusals(h, 'rate_limited')).toBe(1);
    await first.endAsync(true).catch(() => undefined);
    // 20 tokens a second: well within the wait below the bucket holds one again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await connectDevice(h, deviceOptions('box-0001'));
    await again.publishAsync(topic('box-0001'), 'back', { qos: 1 });
    await waitFor(() => h!.received.some((m) => m.payload === 'back'), 'the publish after reconnecting');
  });

  it('a burst past the bucket but within the hold window is paced, not refused: every QoS 1 publish acknowledged', async () => {
    const kept: string[] = [];
    h = await startHarness({
      publishRate: { ratePerSecond: 50, burst: 5 },
      onAcceptedPublish: async (p) => void kept.push(p.payload.toString()),
    });
    const box = await connectDevice(h, deviceOptions('box-0001'));
    const sent = Array.from({ length: 30 }, (_, i) => `r${i}`);
    await Promise.all(sent.map((body) => box.publishAsync(topic('box-0001'), body, { qos: 1 })));
    expect(kept).toEqual(sent);
    expect(await refusals(h, 'rate_limited')).toBe(0);
    expect(box.connected).toBe(true);
  });
});

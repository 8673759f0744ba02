import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, type DeviceChannel } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDayStart } from '../../../shared/units.ts';
import { districtTraffic, meanRatePerSecond, payloadOnPass } from '../../../bench/core/district-traffic.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';

const devices = generateDemoFleet({ seed: 'bench-test', boxes: 20, cameras: 3 });
const traffic = districtTraffic({
  seed: 'bench-test',
  devices,
  startMs: localDayStart('2026-11-20', 480),
  days: 1,
  hashResident: (t) => createHash('sha256').update(t).digest('hex'),
});

describe('district traffic for the benchmarks', () => {
  it('is what the simulator publishes: every payload valid under its channel contract, on the device topic', () => {
    let count = 0;
    for (const [deviceId, messages] of traffic) {
      for (const m of messages) {
        expect(m.topic).toBe(`binpulse/v1/${deviceId}/${m.channel}`);
        expect(DEVICE_CHANNELS[m.channel as DeviceChannel].schema.safeParse(JSON.parse(m.json)).success).toBe(true);
        count++;
      }
    }
    expect(traffic.size).toBe(devices.length);
    expect(meanRatePerSecond(traffic, 1)).toBeCloseTo(count / (DAY_MS / 1000), 9);
  });

  it('replays events with a new event id per pass and readings unchanged', () => {
    const all = [...traffic.values()].flat();
    const deposit = all.find((m) => m.channel === 'event/deposit')!;
    const reading = all.find((m) => m.channel === 'telemetry')!;
    expect(payloadOnPass(deposit, 0)).toBe(deposit.json);
    expect(JSON.parse(payloadOnPass(deposit, 2))).toEqual({ ...JSON.parse(deposit.json), eventId: `${deposit.eventId}~2` });
    expect(payloadOnPass(reading, 3)).toBe(reading.json);
  });
});

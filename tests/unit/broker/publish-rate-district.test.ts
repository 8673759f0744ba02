/**
 * The default per-device rate (5/s, burst 100) against the simulated district's own traffic
 * (the simulator's pure core, one day of all 659 devices): normal traffic is never held or
 * refused, at real time, at the benches' 100×, and at SIM_SPEED=1440 with the platform's scaling.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.ts';
import { DAY_MS } from '../../../shared/units.ts';
import { PublishRateLimiter, type PublishRateOptions } from '../../../services/broker/core/publish-rate.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { devicePublishRate } from '../../../services/platform/wiring/device-rate.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';

const START = Date.parse('2026-11-20T00:00:00+08:00');

function publishTimes(): Map<string, number[]> {
  const devices = generateDemoFleet({ seed: 'binpulse' });
  const hashResident = (text: string) => createHash('sha256').update(text).digest('hex');
  const sim = createFleetSimulation({ seed: 'binpulse', startMs: START, devices, hashResident });
  const times = new Map<string, number[]>();
  for (const action of sim.advanceTo(START + DAY_MS)) {
    if (action.type !== 'publish') continue;
    const list = times.get(action.deviceId);
    if (list) list.push(action.atMs);
    else times.set(action.deviceId, [action.atMs]);
  }
  return times;
}

/** Every publish through a fresh limiter, sent at `speed` times the simulated clock: verdicts counted. */
function replay(times: Map<string, number[]>, speed: number, rate: PublishRateOptions) {
  const limiter = new PublishRateLimiter(rate);
  const counts = { now: 0, wait: 0, refuse: 0 };
  for (const [deviceId, list] of times) {
    for (const at of list) counts[limiter.take(deviceId, START + (at - START) / speed).verdict]++;
  }
  return counts;
}

describe('the default publish rate and the simulated district', () => {
  const times = publishTimes();
  const total = [...times.values()].reduce((n, l) => n + l.length, 0);
  const defaults = (env: Record<string, string> = {}) => devicePublishRate(loadConfig(env));

  it('SIMULATOR off or SIM_SPEED=1: the configured rate as it is', () => {
    expect(defaults({ SIMULATOR: 'off', SIM_SPEED: '1440' })).toEqual({ ratePerSecond: 5, burst: 100 });
    expect(defaults()).toEqual({ ratePerSecond: 5, burst: 100 });
    expect(defaults({ SIM_SPEED: '1440' })).toEqual({ ratePerSecond: 7200, burst: 100 });
  });

  it.each([1, 100])('at %d× the default never holds or refuses a message', (speed) => {
    expect(replay(times, speed, defaults())).toEqual({ now: total, wait: 0, refuse: 0 });
  });

  it('a day a minute (SIM_SPEED=1440) needs the scaling, and with it passes', () => {
    expect(replay(times, 1440, defaults()).refuse).toBeGreaterThan(0);
    expect(replay(times, 1440, defaults({ SIM_SPEED: '1440' }))).toEqual({ now: total, wait: 0, refuse: 0 });
  });
});

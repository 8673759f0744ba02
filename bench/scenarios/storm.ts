/**
 * 4. Connect storm: 10,000 registered devices all connect at once (two generator processes,
 * every socket opened together, as after a district-wide power cut); the time until every one
 * has its CONNACK (authenticated). Refused or reset connects retry after 0.5–1.5 s, as
 * firmware does, and that time counts.
 */
import { round } from '../core/stats.ts';
import { connectedDevices } from '../adapters/platform-metrics.ts';
import type { Scenario } from './context.ts';
import { generators, LARGE_FLEET, startLargeFleetPlatform } from './fleet-runs.ts';

export const stormScenario: Scenario = async (ctx) => {
  ctx.progress('storm: provisioning 10,000 devices');
  const { fleet, platform } = await startLargeFleetPlatform();
  const loadgens = await generators(platform, fleet.credentialsPath, 0, LARGE_FLEET, 2);
  try {
    ctx.progress('storm: 10,000 devices connecting at once');
    const t0 = performance.now();
    const results = await Promise.all(loadgens.map((g) => g.request({ type: 'connect', storm: true }, 'connected')));
    const wallMs = performance.now() - t0;
    const accepted = results.reduce((n, r) => n + r.accepted, 0);
    const attempts = results.reduce((n, r) => n + r.attempts, 0);
    const connected = await connectedDevices(platform.baseUrl);
    if (accepted !== LARGE_FLEET || connected !== LARGE_FLEET) {
      throw new Error(`storm: ${accepted} accepted, broker reports ${connected} connected, expected ${LARGE_FLEET}`);
    }
    return {
      scenario: 'storm',
      figures: {
        stormS: { label: 'all 10,000 authenticated after', value: round(wallMs / 1000, 2), unit: 's' },
        slowestGeneratorS: { label: 'slowest generator, its own clock', value: round(Math.max(...results.map((r) => r.elapsedMs)) / 1000, 2), unit: 's' },
        retries: { label: 'connect retries (reset/refused)', value: attempts - LARGE_FLEET, unit: '' },
      },
      notes: [`${accepted} CONNACKs accepted; the broker's gauge says ${connected} devices connected`],
    };
  } finally {
    await Promise.all(loadgens.map((g) => g.stop()));
    await platform.stop();
    platform.cleanUp();
  }
};

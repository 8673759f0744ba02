/** Steps shared by the memory and connect-storm scenarios: a 10,000-device platform and its generators. */
import { startPlatformProcess, type RunningPlatform } from '../../tests/support/platform-process.ts';
import { median } from '../core/stats.ts';
import { prepareFleet } from '../adapters/fleet.ts';
import { Loadgen, slices } from '../adapters/loadgen.ts';
import { journalBacklog } from '../adapters/platform-metrics.ts';
import { rssKb, sleep } from '../adapters/proc.ts';
import { DISTRICT, platformNodeArgs } from './context.ts';

export const LARGE_FLEET = 10_000;

/** A platform whose registry holds 10,000 devices (the district's 54 cameras, the rest boxes). */
export async function startLargeFleetPlatform() {
  const fleet = prepareFleet(LARGE_FLEET - DISTRICT.cameras, DISTRICT.cameras);
  const platform = await startPlatformProcess({ SIMULATOR: 'off' }, { dataDir: fleet.dataDir, readyTimeoutMs: 120_000, nodeArgs: platformNodeArgs() });
  return { fleet, platform };
}

/** Generators for devices [from, to), split over `processes`. */
export async function generators(platform: RunningPlatform, credentialsPath: string, from: number, to: number, processes: number): Promise<Loadgen[]> {
  return Promise.all(
    slices(to - from, processes).map((s) =>
      Loadgen.start({ host: '127.0.0.1', port: platform.mqttPort, credentialsPath, from: from + s.from, to: from + s.to, auth: true }),
    ),
  );
}

/** RSS once the platform has consumed everything and sat idle a moment: the median of a few samples. */
export async function settledRssKb(platform: RunningPlatform): Promise<number> {
  while ((await journalBacklog(platform.baseUrl)) > 0) await sleep(200);
  await sleep(3000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssKb(platform.child.pid!));
    await sleep(500);
  }
  return median(samples);
}

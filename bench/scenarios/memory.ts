/**
 * 3. Memory: the platform's RSS idle, with the district's 659 devices connected, and with
 * 10,000; each device connected with a last will, said it is online and sent one reading, so
 * its session, device state and alert-rule state all exist.
 */
import { round } from '../core/stats.ts';
import { connectedDevices } from '../adapters/platform-metrics.ts';
import { DISTRICT_DEVICES, type Scenario } from './context.ts';
import { generators, LARGE_FLEET, settledRssKb, startLargeFleetPlatform } from './fleet-runs.ts';

export const memoryScenario: Scenario = async (ctx) => {
  ctx.progress('memory: provisioning 10,000 devices');
  const { fleet, platform } = await startLargeFleetPlatform();
  const loadgens = [];
  try {
    ctx.progress('memory: idle platform');
    const idle = await settledRssKb(platform);
    const steps: { devices: number; rssKb: number }[] = [];
    for (const [from, to, processes] of [[0, DISTRICT_DEVICES, 1], [DISTRICT_DEVICES, LARGE_FLEET, 2]] as const) {
      ctx.progress(`memory: connecting devices ${from + 1}–${to}`);
      const batch = await generators(platform, fleet.credentialsPath, from, to, processes);
      loadgens.push(...batch);
      await Promise.all(batch.map((g) => g.request({ type: 'connect', storm: false }, 'connected')));
      await Promise.all(batch.map((g) => g.request({ type: 'publish-once' }, 'published-once')));
      const connected = await connectedDevices(platform.baseUrl);
      if (connected !== to) throw new Error(`${connected} devices connected, expected ${to}`);
      ctx.progress(`memory: ${to} devices connected, settling`);
      steps.push({ devices: to, rssKb: await settledRssKb(platform) });
    }
    const [district, large] = steps as [(typeof steps)[0], (typeof steps)[0]];
    return {
      scenario: 'memory',
      figures: {
        idleMb: { label: 'RSS, no device connected', value: round(idle / 1024, 1), unit: 'MB' },
        districtMb: { label: `RSS, ${district.devices} devices`, value: round(district.rssKb / 1024, 1), unit: 'MB' },
        largeMb: { label: `RSS, ${large.devices.toLocaleString('en-US')} devices`, value: round(large.rssKb / 1024, 1), unit: 'MB' },
        kbPerDevice: { label: 'RSS per device at 10,000 (above idle)', value: round((large.rssKb - idle) / large.devices, 1), unit: 'KB' },
        kbPerDeviceTotal: { label: 'RSS at 10,000 / 10,000 (idle included)', value: round(large.rssKb / large.devices, 1), unit: 'KB' },
      },
      notes: ['each device: TCP connection with a last will, one status and one reading; RSS = median of 5 samples after the journal drained'],
    };
  } finally {
    await Promise.all(loadgens.map((g) => g.stop()));
    await platform.stop();
    platform.cleanUp();
  }
};

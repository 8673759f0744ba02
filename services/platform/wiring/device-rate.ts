/**
 * The per-device publish rate the broker enforces (issue 15; broker/core/publish-rate.ts).
 *
 * Simulated devices live on a clock SIM_SPEED times faster than the wall (SIM_SPEED=1440: a day a
 * minute, a camera's 1,440 heartbeats a day become 24 a second), so their rate is scaled by it:
 * the limit stays "what a real device does in a second" of their time. At SIM_SPEED=1 (the
 * default, and any real deployment) DEVICE_PUBLISH_RATE holds as set; the simulated district's
 * busiest device sends 4 messages in its busiest second, 10 at 100× (so the alert bench, which
 * replays at 100× without the simulator, stays under the default too).
 */
import type { Config } from '../../../shared/config.ts';
import type { PublishRateOptions } from '../../broker/core/publish-rate.ts';

export function devicePublishRate(
  config: Pick<Config, 'DEVICE_PUBLISH_RATE' | 'DEVICE_PUBLISH_BURST' | 'SIMULATOR' | 'DEMO_FLEET' | 'SIM_SPEED'>,
): PublishRateOptions {
  const speed = config.SIMULATOR && config.DEMO_FLEET ? Math.max(1, config.SIM_SPEED) : 1;
  return { ratePerSecond: config.DEVICE_PUBLISH_RATE * speed, burst: config.DEVICE_PUBLISH_BURST };
}

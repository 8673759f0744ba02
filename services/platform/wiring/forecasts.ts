/**
 * Live forecasts (issue 13): every accepted box message feeds the forecast histories. A new demo
 * fleet's history feeds them first (live messages are held until it is written, so each
 * compartment sees its messages in time order); a restart reads them back from the store.
 */
import type { Logger } from 'pino';
import type { Config } from '../../../shared/config.ts';
import type { Device } from '../../../shared/contracts/index.ts';
import type { Thresholds } from '../../alerts/core/thresholds.ts';
import type { FleetRegistry } from '../../fleet/core/registry.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import { readingSourceOf } from '../../planning/forecast-seed.ts';
import { ForecastService } from '../../planning/forecast-service.ts';
import type { TimeSeriesStore } from '../../timeseries/core/store.ts';
import type { Stack } from './stack.ts';

export function createForecasts(
  deps: { config: Pick<Config, 'DISTRICT_UTC_OFFSET_MIN'>; registry: FleetRegistry; thresholdsFor: (device: Device) => Thresholds },
  ctx: { logger: Logger; now: () => number },
): ForecastService {
  return new ForecastService({
    registry: deps.registry,
    fullLevelFor: (device) => deps.thresholdsFor(device).binFullWarning,
    utcOffsetMinutes: deps.config.DISTRICT_UTC_OFFSET_MIN,
    now: ctx.now,
    logger: ctx.logger.child({ service: 'forecasts' }),
  });
}

/**
 * Subscribes the forecasts to the live stream. With a demo history to be written, live messages
 * wait until the caller releases them (forecasts.releaseLive() once the history is finished);
 * without, the histories are read back from the store in the background.
 */
export function wireForecasts(
  forecasts: ForecastService,
  deps: { pipeline: IngestPipeline; timeseries: TimeSeriesStore; demoHistory: boolean },
  stack: Stack,
): void {
  deps.pipeline.onAccepted((message, device) => forecasts.observe(message, device));
  if (deps.demoHistory) {
    forecasts.holdLive();
  } else {
    forecasts.seedFrom(readingSourceOf(deps.timeseries));
  }
  stack.push(() => forecasts.stop());
}

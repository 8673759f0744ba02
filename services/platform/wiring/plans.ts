/** Shift plans (issue 13): planned from the live forecasts and the registry, kept in the operational SQLite file. */
import type { Logger } from 'pino';
import type { PlatformBroker } from '../../broker/core/ports.ts';
import type { FleetRegistry, SiteRegistry } from '../../fleet/core/registry.ts';
import { MqttPlanPublisher } from '../../planning/adapters/mqtt-plan-publisher.ts';
import { SqlitePlanStore } from '../../planning/adapters/sqlite-plan-store.ts';
import type { ForecastService } from '../../planning/forecast-service.ts';
import { PlanService } from '../../planning/plan-service.ts';
import type { SqliteDatabase } from '../adapters/sqlite.ts';
import type { Stack } from './stack.ts';

export function createPlans(
  deps: { operationalDb: SqliteDatabase; registry: FleetRegistry & SiteRegistry; forecasts: ForecastService; utcOffsetMinutes: number },
  ctx: { now: () => number; logger: Logger },
): PlanService {
  return new PlanService({
    boxes: deps.registry,
    sites: deps.registry,
    forecasts: deps.forecasts,
    store: new SqlitePlanStore(deps.operationalDb),
    utcOffsetMinutes: deps.utcOffsetMinutes,
    now: ctx.now,
    logger: ctx.logger.child({ service: 'plans' }),
  });
}

/**
 * Each vehicle's route of its latest plan, retained on binpulse/v1/<vehicle>/plan. Needs the
 * broker running (the latest plans are republished at once); stopped before the broker is.
 */
export async function wirePlanPublisher(
  plans: PlanService,
  broker: PlatformBroker,
  { logger, now, stack }: { logger: Logger; now: () => number; stack: Stack },
): Promise<void> {
  const publisher = new MqttPlanPublisher({ plans, broker, logger: logger.child({ service: 'plan-topics' }), now });
  await publisher.start();
  stack.push(() => publisher.stop());
}

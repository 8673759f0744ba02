/** Shift plans (issue 13): planned from the live forecasts and the registry, kept in the operational SQLite file. */
import type { Logger } from 'pino';
import type { PlatformBroker } from '../../broker/core/ports.ts';
import type { FleetRegistry, SiteRegistry } from '../../fleet/core/registry.ts';
import { MqttPlanPublisher } from '../../planning/adapters/mqtt-plan-publisher.ts';
import { SqlitePlanStore } from '../../planning/adapters/sqlite-plan-store.ts';
import type { ForecastService } from '../../planning/forecast-service.ts';
import { PlanService } from '../../planning/plan-service.ts';
import type { Config } from '../../../shared/config.ts';
import type { ShiftTemplate } from '../../../shared/shifts.ts';
import { AutoPlanner } from '../../planning/auto-planner.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { Stack } from './stack.ts';

export function createPlans(
  deps: {
    operationalDb: SqliteDatabase;
    registry: FleetRegistry & SiteRegistry;
    forecasts: ForecastService;
    utcOffsetMinutes: number;
    shifts: readonly ShiftTemplate[];
  },
  ctx: { now: () => number; logger: Logger },
): PlanService {
  return new PlanService({
    boxes: deps.registry,
    sites: deps.registry,
    forecasts: deps.forecasts,
    store: new SqlitePlanStore(deps.operationalDb),
    utcOffsetMinutes: deps.utcOffsetMinutes,
    shifts: deps.shifts,
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

/** AUTO_PLAN, or by default: on exactly when the simulated vehicles follow plans. */
export function autoPlanEnabled(config: Pick<Config, 'AUTO_PLAN' | 'SIMULATOR' | 'SIM_COLLECTION'>): boolean {
  return config.AUTO_PLAN ?? (config.SIMULATOR && config.SIM_COLLECTION === 'plan');
}

/**
 * Plans each PLAN_SHIFTS shift AUTO_PLAN_LEAD_MIN before it starts, once the forecasts know the
 * fleet's history (`ready`: read back after a restart, or the new demo fleet's history written):
 * a plan made on half a history would skip boxes that are nearly full.
 */
export function wireAutoPlanner(
  plans: PlanService,
  config: Pick<Config, 'AUTO_PLAN' | 'SIMULATOR' | 'SIM_COLLECTION' | 'PLAN_SHIFTS' | 'AUTO_PLAN_LEAD_MIN' | 'DISTRICT_UTC_OFFSET_MIN'>,
  ready: Promise<unknown>,
  { logger, now, stack }: { logger: Logger; now: () => number; stack: Stack },
): void {
  if (!autoPlanEnabled(config) || config.PLAN_SHIFTS.length === 0) return;
  const planner = new AutoPlanner({
    shifts: config.PLAN_SHIFTS,
    leadMinutes: config.AUTO_PLAN_LEAD_MIN,
    plans,
    utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN,
    now,
    logger: logger.child({ service: 'auto-planner' }),
  });
  let stopped = false;
  void ready.then(() => {
    if (!stopped) planner.start();
  });
  stack.push(() => {
    stopped = true;
    planner.stop();
  });
}

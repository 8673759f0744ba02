/** Shift plans (issue 13): planned from the live forecasts and the registry, kept in the operational SQLite file. */
import type { FleetRegistry, SiteRegistry } from '../../fleet/core/registry.ts';
import { SqlitePlanStore } from '../../planning/adapters/sqlite-plan-store.ts';
import type { ForecastService } from '../../planning/forecast-service.ts';
import { PlanService } from '../../planning/plan-service.ts';
import type { SqliteDatabase } from '../adapters/sqlite.ts';

export function createPlans(
  deps: { operationalDb: SqliteDatabase; registry: FleetRegistry & SiteRegistry; forecasts: ForecastService; utcOffsetMinutes: number },
  ctx: { now: () => number },
): PlanService {
  return new PlanService({
    boxes: deps.registry,
    sites: deps.registry,
    forecasts: deps.forecasts,
    store: new SqlitePlanStore(deps.operationalDb),
    utcOffsetMinutes: deps.utcOffsetMinutes,
    now: ctx.now,
  });
}

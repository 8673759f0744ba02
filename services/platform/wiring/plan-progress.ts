/**
 * Proof of service (issue 13): the collection log hears every accepted message (subscribed before
 * the journal consumers start, so a replay after a restart reaches it too), and the missed-stop
 * check runs once a minute. The check starts once the forecasts have read their histories back:
 * before that a full box could look empty and its missed stop go unreported.
 */
import type { Logger } from 'pino';
import type { AlertEngine } from '../../alerts/alert-engine.ts';
import type { FleetRegistry } from '../../fleet/core/registry.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import { SqliteCollectionLog } from '../../planning/adapters/sqlite-collection-log.ts';
import type { ForecastService } from '../../planning/forecast-service.ts';
import type { PlanService } from '../../planning/plan-service.ts';
import { ProgressService } from '../../planning/progress-service.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { Stack } from './stack.ts';

export function wirePlanProgress(
  deps: {
    operationalDb: SqliteDatabase;
    plans: Pick<PlanService, 'get' | 'listByDate'>;
    registry: Pick<FleetRegistry, 'get'>;
    forecasts: ForecastService;
    alerts: Pick<AlertEngine, 'applySystemCommands'>;
    pipeline: IngestPipeline;
    utcOffsetMinutes: number;
  },
  ctx: { logger: Logger; now: () => number; stack: Stack },
): ProgressService {
  const progress = new ProgressService({
    plans: deps.plans,
    log: new SqliteCollectionLog(deps.operationalDb),
    boxes: deps.registry,
    forecasts: deps.forecasts,
    alerts: deps.alerts,
    utcOffsetMinutes: deps.utcOffsetMinutes,
    now: ctx.now,
    logger: ctx.logger.child({ service: 'plan-progress' }),
  });
  const unsubscribe = deps.pipeline.onAccepted((message, device) => progress.observe(message, device));
  let stopped = false;
  void deps.forecasts.seeded.then(() => {
    if (!stopped) progress.start();
  });
  ctx.stack.push(() => {
    stopped = true;
    unsubscribe();
    progress.stop();
  });
  return progress;
}

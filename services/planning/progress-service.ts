/**
 * Proof of service (issue 13): accepted box collection events are kept in the collection log;
 * a plan's progress is worked out on request from the plan and the log (core/progress.ts); and
 * once a minute, plans whose collection window (shift + grace) has closed are checked once for
 * missed stops at boxes that are full now, which raise collection_missed. The box's next
 * collection resolves it.
 *
 * Restart-safe without a "checked" record: what was checked lives in memory, so after a restart
 * the plans of the last day whose window closed are checked again. The check is a level
 * condition (unserved and full now): raising again for a box that is still full and unserved
 * only counts one more occurrence on its open alert, and a box emptied since is not full.
 */
import type { Logger } from 'pino';
import type { BoxForecast, Device, DeviceMessage, Plan, PlanProgress } from '../../shared/contracts/index.ts';
import { PeriodicJob, type Timers } from '../../shared/periodic-job.ts';
import { DAY_MS, HOUR_MS, localDay } from '../../shared/units.ts';
import { collectionMissedCommands, collectionServedCommands } from '../alerts/core/collection-missed.ts';
import type { SystemAlertCommand } from '../alerts/core/ports.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import { COLLECTION_LOG_DAYS, loggedCollection, type CollectionLog } from './core/collection-log.ts';
import { collectionWindow, DEFAULT_GRACE_MINUTES, planProgress, windowClosed, type ProgressOptions } from './core/progress.ts';

export interface ProgressServiceOptions extends ProgressOptions {
  plans: { get(id: string): Plan | undefined; listByDate(date: string): Plan[] };
  log: CollectionLog;
  boxes: Pick<FleetRegistry, 'get'>;
  /** The live forecast's level and full level per compartment say whether a box is full now. */
  forecasts: { boxForecast(device: Device): BoxForecast | null };
  alerts: { applySystemCommands(commands: readonly SystemAlertCommand[]): void };
  utcOffsetMinutes: number;
  now: () => number;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** How often closed windows are looked for. Default a minute. */
  checkEveryMs?: number;
  timers?: Timers;
}

/** How far back a check looks for plans whose window closed: a restart after a day no longer raises for it. */
const CHECK_LOOKBACK_MS = DAY_MS;
const PRUNE_EVERY_MS = HOUR_MS;

export class ProgressService {
  readonly #o: ProgressServiceOptions;
  readonly #checked = new Set<string>();
  #lastPruneMs = -Infinity;
  readonly #job: PeriodicJob;

  constructor(options: ProgressServiceOptions) {
    this.#o = options;
    this.#job = new PeriodicJob({
      everyMs: options.checkEveryMs ?? 60_000,
      run: () => this.#tick(),
      onError: (err) => this.#o.logger?.error({ err }, 'proof-of-service check failed; tried again at the next'),
      timers: options.timers,
    });
  }

  /** undefined: no such plan. */
  progress(planId: string): PlanProgress | undefined {
    const plan = this.#o.plans.get(planId);
    if (plan === undefined) return undefined;
    const { fromMs, toMs } = collectionWindow(plan.shift, this.#grace);
    return planProgress(plan, this.#o.log.between(fromMs, toMs), this.#o.now(), this.#o);
  }

  /** Every accepted device message: collection events are logged, and resolve the box's collection_missed. */
  observe(message: DeviceMessage, device: Device): void {
    if (message.channel !== 'event/collection') return;
    const collection = loggedCollection(device, message.payload);
    if (!this.#o.log.record(collection)) return; // a replay or a duplicate: handled the first time
    this.#o.alerts.applySystemCommands(collectionServedCommands(device.id, this.#o.now()));
  }

  /** Checks now, then every checkEveryMs. Idempotent. */
  start(): void {
    this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /**
   * Each plan whose collection window closed within the last day, once: its missed stops at full
   * boxes raise collection_missed. Of plans for the same shift, only the newest is checked (the
   * vehicles follow the newest). Returns the raises made.
   */
  checkMissed(): SystemAlertCommand[] {
    const nowMs = this.#o.now();
    const raised: SystemAlertCommand[] = [];
    for (const plan of this.#closedPlans(nowMs)) {
      const progress = this.progress(plan.id);
      if (progress === undefined) continue;
      const commands = progress.routes.flatMap((route) =>
        route.stops
          .filter((stop) => stop.status === 'missed')
          .flatMap((stop) => {
            const device = this.#o.boxes.get(stop.deviceId);
            if (device === undefined) return []; // decommissioned since the plan was made
            return collectionMissedCommands({ device, planId: plan.id, plate: route.plate, forecast: this.#o.forecasts.boxForecast(device) }, nowMs);
          }),
      );
      this.#o.alerts.applySystemCommands(commands);
      this.#checked.add(plan.id);
      raised.push(...commands);
      this.#o.logger?.info({ planId: plan.id, missed: progress.totals.missed, raised: commands.length }, 'plan checked for missed stops');
    }
    return raised;
  }

  get #grace(): number {
    return this.#o.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  }

  #closedPlans(nowMs: number): Plan[] {
    // A shift's district day is at most a day before its window closes (a night shift ends the next morning).
    const offset = this.#o.utcOffsetMinutes;
    const days = new Set([localDay(nowMs - CHECK_LOOKBACK_MS - DAY_MS, offset), localDay(nowMs - DAY_MS, offset), localDay(nowMs, offset)]);
    const newestPerShift = new Map<string, Plan>();
    for (const day of days) {
      for (const plan of this.#o.plans.listByDate(day)) newestPerShift.set(`${plan.shift.startAt}/${plan.shift.endAt}`, plan); // oldest first: the last wins
    }
    return [...newestPerShift.values()].filter(
      (plan) =>
        !this.#checked.has(plan.id) &&
        windowClosed(plan.shift, nowMs, this.#grace) &&
        nowMs - collectionWindow(plan.shift, this.#grace).toMs <= CHECK_LOOKBACK_MS,
    );
  }

  /** Synchronous: start() has checked before it returns. A throw is logged by the job. */
  #tick(): void {
    this.checkMissed();
    const nowMs = this.#o.now();
    if (nowMs - this.#lastPruneMs >= PRUNE_EVERY_MS) {
      this.#lastPruneMs = nowMs;
      const deleted = this.#o.log.prune(nowMs - COLLECTION_LOG_DAYS * DAY_MS);
      if (deleted > 0) this.#o.logger?.info({ deleted }, 'old collections pruned');
    }
  }
}

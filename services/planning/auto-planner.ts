/**
 * Plans each shift of the calendar automatically, leadMinutes before it starts, unless a plan for
 * it exists already (an operator's, or one made before a restart). What an operator would do each
 * morning; with SIM_COLLECTION=plan it closes the loop without anyone at the console.
 */
import { NewPlan, type Plan } from '../../shared/contracts/index.ts';
import { PeriodicJob, type Timers } from '../../shared/periodic-job.ts';
import { type ScheduledShift, type ShiftTemplate, shiftsToPlan } from './core/shift-calendar.ts';

export const AUTO_PLANNER = 'auto-planner';

export interface AutoPlannerOptions {
  shifts: readonly ShiftTemplate[];
  leadMinutes: number;
  plans: { create(request: NewPlan, createdBy: string): Plan; listByDate(date: string): Plan[] };
  utcOffsetMinutes: number;
  now: () => number;
  logger: { info(fields: object, message: string): void; error(fields: object, message: string): void };
  /** How often the calendar is looked at; default a minute. */
  checkEveryMs?: number;
  timers?: Timers;
}

export class AutoPlanner {
  readonly #o: AutoPlannerOptions;
  readonly #job: PeriodicJob<Plan[]>;

  constructor(options: AutoPlannerOptions) {
    this.#o = options;
    this.#job = new PeriodicJob({
      everyMs: options.checkEveryMs ?? 60_000,
      run: () => this.check(),
      onError: (err) => options.logger.error({ err }, 'shift calendar check failed; tried again at the next'),
      timers: options.timers,
    });
  }

  /** Checks the calendar now, then every checkEveryMs; nothing without shifts. Idempotent. */
  start(): void {
    if (this.#o.shifts.length > 0) this.#job.start();
  }

  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** Plans every shift due now; returns the plans made. A failing shift is logged, the others still planned. */
  check(): Plan[] {
    const { shifts, leadMinutes, utcOffsetMinutes, plans, logger } = this.#o;
    const made: Plan[] = [];
    for (const shift of shiftsToPlan(shifts, this.#o.now(), utcOffsetMinutes, leadMinutes, (s) => this.#isPlanned(s))) {
      try {
        const plan = plans.create(NewPlan.parse({ date: shift.date, shift: { start: shift.start, end: shift.end } }), AUTO_PLANNER);
        logger.info({ planId: plan.id, date: shift.date, shift: `${shift.start}-${shift.end}`, stops: plan.totals.stops, km: plan.totals.km }, 'shift planned');
        made.push(plan);
      } catch (err) {
        logger.error({ err, date: shift.date, shift: `${shift.start}-${shift.end}` }, 'automatic shift plan failed');
      }
    }
    return made;
  }

  #isPlanned(shift: ScheduledShift): boolean {
    const startAt = new Date(shift.startMs).toISOString();
    return this.#o.plans.listByDate(shift.date).some((p) => p.shift.startAt === startAt);
  }
}

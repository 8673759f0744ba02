/**
 * Plans each shift of the calendar automatically, leadMinutes before it starts, unless a plan for
 * it exists already (an operator's, or one made before a restart). What an operator would do each
 * morning; with SIM_COLLECTION=plan it closes the loop without anyone at the console.
 */
import { NewPlan, type Plan } from '../../shared/contracts/index.ts';
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
}

export class AutoPlanner {
  readonly #o: AutoPlannerOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: AutoPlannerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#timer !== null || this.#o.shifts.length === 0) return;
    this.check();
    this.#timer = setInterval(() => this.check(), this.#o.checkEveryMs ?? 60_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
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

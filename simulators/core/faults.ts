/** Occasional faults: a constant-rate Poisson process per device and fault kind. */
import { exponential, uniform, type Random } from '../../shared/random.ts';
import { perDayToMeanGapMs } from './context.ts';
import type { Scheduler } from './scheduler.ts';

/** How long a fault lasts, in simulated minutes [min, max]. */
export const FAULT_MINUTES = {
  darkPeriod: [10, 40],
  lidStuck: [20, 90],
  overheat: [10, 30],
} as const satisfies Record<string, readonly [number, number]>;

export const faultDurationMs = (r: Random, [min, max]: readonly [number, number]): number =>
  Math.round(uniform(r, min, max) * 60_000);

/** Calls onEvent at the arrivals of a Poisson process of perDay events a day; none when perDay is 0. */
export function poissonProcess(scheduler: Scheduler, r: Random, perDay: number, onEvent: (nowMs: number) => void): void {
  if (!(perDay > 0)) return;
  const meanGap = perDayToMeanGapMs(perDay);
  const next = (fromMs: number): void =>
    scheduler.at(Math.ceil(fromMs + exponential(r, meanGap)), (t) => {
      next(t);
      onEvent(t);
    });
  next(scheduler.nowMs);
}

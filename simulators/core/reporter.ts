/**
 * Throttled reporting: a device reports when asked (a period elapsed, or its state changed),
 * but at most once per minimum interval. The interval is in simulated ms and comes from the
 * runner (5 real seconds × speed), so the core never looks at a real clock. A request inside
 * the interval is not lost: one report follows when the interval ends, with the state then.
 */
import type { Scheduler } from './scheduler.ts';

/** Devices report within this long after start-up (simulated ms): soon, but not the whole fleet in one second. */
export const BOOT_REPORT_WITHIN_MS = 30_000;

export class ThrottledReporter {
  #lastAt = -Infinity;
  #flushPending = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly minIntervalMs: () => number,
    private readonly report: (nowMs: number) => void,
  ) {}

  request(nowMs: number): void {
    const interval = this.minIntervalMs();
    if (nowMs - this.#lastAt >= interval) {
      this.#lastAt = nowMs;
      this.report(nowMs);
      return;
    }
    if (this.#flushPending) return;
    this.#flushPending = true;
    this.scheduler.at(Math.ceil(this.#lastAt + interval), (t) => {
      this.#flushPending = false;
      this.request(t);
    });
  }

  /** Forgets the last report, so the next request goes out at once (after a reconnect). */
  reset(): void {
    this.#lastAt = -Infinity;
  }
}

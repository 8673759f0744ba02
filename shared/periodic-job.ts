/**
 * The one way BinPulse runs periodic work (issue 16): retention, the ops snapshot, the ledger
 * check, proof of service, the auto-planner, the token expiry sweep. A job runs at start (or
 * first after one interval), then every `everyMs`; a run that comes while the previous one is
 * still going is skipped, not queued (a slow store must not pile runs up); a failing run is
 * reported and the next one simply tries again; stop() clears the timer and waits for the run
 * in progress. The timers are injectable so tests drive a job without waiting.
 */

/** Timer functions, injectable so tests can drive a job without waiting an hour. */
export interface Timers {
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

/** Node's timers, unref'd: the platform's servers keep the process alive; a forgotten stop() must not. */
export const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

export interface PeriodicJobOptions<T> {
  everyMs: number;
  /** The work. A synchronous run runs inside start() and runNow(), before they return. */
  run: () => T | Promise<T>;
  /** Told about a run that threw or rejected (logging); the job goes on. */
  onError: (error: unknown) => void;
  /** Run at start() (default), or first after one interval. */
  runAtStart?: boolean;
  timers?: Timers;
}

export class PeriodicJob<T = void> {
  readonly #o: PeriodicJobOptions<T>;
  readonly #timers: Timers;
  #handle: unknown = null;
  #inFlight: Promise<T | undefined> | null = null;

  constructor(options: PeriodicJobOptions<T>) {
    if (!(options.everyMs > 0) || !Number.isFinite(options.everyMs)) throw new RangeError(`everyMs ${options.everyMs}`);
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
  }

  get started(): boolean {
    return this.#handle !== null;
  }

  /** Runs now (unless runAtStart is false), then every everyMs. Idempotent. */
  start(): void {
    if (this.#handle !== null) return;
    this.#handle = this.#timers.setInterval(() => void this.runNow(), this.#o.everyMs);
    if (this.#o.runAtStart ?? true) void this.runNow();
  }

  /** Clears the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.#handle !== null) this.#timers.clearInterval(this.#handle);
    this.#handle = null;
    await this.#inFlight;
  }

  /**
   * One run, outside the schedule too: its result, or undefined when it was skipped (the
   * previous run still goes on) or failed (reported to onError). Never rejects.
   */
  runNow(): Promise<T | undefined> {
    if (this.#inFlight !== null) return Promise.resolve(undefined);
    let result: T | Promise<T>;
    try {
      result = this.#o.run();
    } catch (error) {
      this.#report(error);
      return Promise.resolve(undefined);
    }
    if (!(result instanceof Promise)) return Promise.resolve(result as T);
    // The callbacks run in a later microtask, after #inFlight is set below.
    const inFlight = (result as Promise<T>).then(
      (value) => {
        this.#inFlight = null;
        return value;
      },
      (error: unknown) => {
        this.#inFlight = null;
        this.#report(error);
        return undefined;
      },
    );
    this.#inFlight = inFlight;
    return inFlight;
  }

  #report(error: unknown): void {
    try {
      this.#o.onError(error);
    } catch {
      // A failing logger must not turn into an unhandled rejection or stop the schedule.
    }
  }
}

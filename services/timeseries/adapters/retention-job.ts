/**
 * Raw-data retention (RETENTION_RAW_DAYS): once an hour, deletes the SQLite store's raw readings
 * older than the retention. On InfluxDB 1.x the "raw" retention policy expires them on the
 * server, so the job is a no-op there. The composition root owns start() and stop().
 */
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import type { TimeSeriesStore } from '../core/store.ts';
import { type PruneResult, SqliteTimeSeriesStore } from './sqlite-store.ts';


export interface RetentionJobOptions {
  /** Raw readings older than this many days are deleted. */
  rawDays: number;
  /** Injected clock (tests). Default Date.now. */
  now?: () => number;
  /** How often to prune, ms. Default one hour. */
  intervalMs?: number;
  /** Rows per DELETE statement. Default 5 000. */
  batchSize?: number;
  /** Told about each prune's outcome (logging). */
  onPruned?: (result: PruneResult, cutoffMs: number) => void;
  onError?: (error: unknown) => void;
}

/** Timer functions, injectable so tests can drive the job without waiting an hour. */
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

export class RetentionJob {
  private handle: unknown = null;
  private running: Promise<PruneResult | null> | null = null;
  private readonly now: () => number;

  constructor(
    private readonly store: TimeSeriesStore,
    private readonly options: RetentionJobOptions,
    private readonly timers: Timers = realTimers,
  ) {
    if (!Number.isInteger(options.rawDays) || options.rawDays < 1) throw new RangeError(`rawDays ${options.rawDays}`);
    this.now = options.now ?? Date.now;
  }

  /** False for InfluxDB (its retention policy expires raw data): start() then does nothing. */
  get active(): boolean {
    return this.store instanceof SqliteTimeSeriesStore;
  }

  /** Prunes once now, then every intervalMs (hourly). Idempotent. */
  start(): void {
    if (!this.active || this.handle !== null) return;
    void this.runOnce();
    this.handle = this.timers.setInterval(() => void this.runOnce(), this.options.intervalMs ?? HOUR_MS);
  }

  /** Stops the timer and waits for a prune in progress. */
  async stop(): Promise<void> {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
    await this.running;
  }

  /** One prune (skipped while the previous one still runs); null for InfluxDB or when skipped. */
  async runOnce(): Promise<PruneResult | null> {
    if (!(this.store instanceof SqliteTimeSeriesStore) || this.running) return null;
    const store = this.store;
    const cutoff = this.now() - this.options.rawDays * DAY_MS;
    this.running = (async () => {
      try {
        const result = await store.pruneRawBefore(cutoff, { batchSize: this.options.batchSize });
        this.options.onPruned?.(result, cutoff);
        return result;
      } catch (error) {
        this.options.onError?.(error);
        return null;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

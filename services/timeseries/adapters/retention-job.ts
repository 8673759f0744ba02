/**
 * Raw-data retention (RETENTION_RAW_DAYS): once an hour, deletes the store's raw readings older
 * than the retention, for a store with the pruneRawBefore capability (SQLite). On InfluxDB 1.x
 * the "raw" retention policy expires them on the server, so the job is a no-op there. The
 * composition root owns start() and stop().
 */
import { PeriodicJob, type Timers } from '../../../shared/periodic-job.ts';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import type { RawPruneResult, TimeSeriesStore } from '../core/store.ts';

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
  onPruned?: (result: RawPruneResult, cutoffMs: number) => void;
  onError?: (error: unknown) => void;
}

export class RetentionJob {
  private readonly job: PeriodicJob<RawPruneResult | null>;
  private readonly now: () => number;

  constructor(
    private readonly store: TimeSeriesStore,
    private readonly options: RetentionJobOptions,
    timers?: Timers,
  ) {
    if (!Number.isInteger(options.rawDays) || options.rawDays < 1) throw new RangeError(`rawDays ${options.rawDays}`);
    this.now = options.now ?? Date.now;
    this.job = new PeriodicJob({
      everyMs: options.intervalMs ?? HOUR_MS,
      run: () => this.prune(),
      onError: (error) => this.options.onError?.(error),
      timers,
    });
  }

  /** False for InfluxDB (its retention policy expires raw data): start() then does nothing. */
  get active(): boolean {
    return this.store.pruneRawBefore !== undefined;
  }

  /** Prunes once now, then every intervalMs (hourly). Idempotent. */
  start(): void {
    if (this.active) this.job.start();
  }

  /** Stops the timer and waits for a prune in progress. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One prune (skipped while the previous one still runs); null for InfluxDB, when skipped or failed. */
  async runOnce(): Promise<RawPruneResult | null> {
    return (await this.job.runNow()) ?? null;
  }

  private async prune(): Promise<RawPruneResult | null> {
    if (this.store.pruneRawBefore === undefined) return null;
    const cutoff = this.now() - this.options.rawDays * DAY_MS;
    const result = await this.store.pruneRawBefore(cutoff, { batchSize: this.options.batchSize });
    this.options.onPruned?.(result, cutoff);
    return result;
  }
}

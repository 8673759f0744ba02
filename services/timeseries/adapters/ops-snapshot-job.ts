/**
 * Writes the operations snapshot (core/ops-snapshot.ts) to InfluxDB every OPS_SNAPSHOT_SECONDS:
 * once at start(), then on a timer that stop() clears. One write at a time: a tick that comes
 * while the previous write is still waiting on the server is skipped, not queued. A failed
 * write is reported and the next tick simply writes a fresh snapshot (a lost snapshot is a gap
 * in a chart, nothing to replay). The schedule is a PeriodicJob (shared/periodic-job.ts). The
 * composition root owns start() and stop().
 */
import { PeriodicJob, type Timers } from '../../../shared/periodic-job.ts';
import type { LinePoint } from '../core/influx-line-protocol.ts';
import { buildOpsSnapshot, countersOf, type OpsSnapshotInput, type SnapshotCounters } from '../core/ops-snapshot.ts';
import type { PointsWriteReport } from '../core/store.ts';

/** Where the points go: a store with the writePoints capability (InfluxDB). */
export interface PointsSink {
  writePoints(points: readonly LinePoint[]): Promise<PointsWriteReport>;
}

export interface OpsSnapshotJobOptions {
  sink: PointsSink;
  /** Gathers the snapshot's input at `at` (epoch ms). */
  collect: (at: number) => OpsSnapshotInput;
  intervalMs: number;
  /** Injected clock (tests). Default Date.now. */
  now?: () => number;
  /** Told about each write (logging: what was set aside). */
  onWritten?: (report: PointsWriteReport) => void;
  onError?: (error: unknown) => void;
}

export class OpsSnapshotJob {
  private readonly job: PeriodicJob<true>;
  private previous: SnapshotCounters | undefined;
  private readonly now: () => number;

  constructor(
    private readonly options: OpsSnapshotJobOptions,
    timers?: Timers,
  ) {
    if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs ${options.intervalMs}`);
    this.now = options.now ?? Date.now;
    this.job = new PeriodicJob({ everyMs: options.intervalMs, run: () => this.write(), onError: (error) => this.options.onError?.(error), timers });
  }

  /** Writes a snapshot now, then every intervalMs. Idempotent. */
  start(): void {
    this.job.start();
  }

  /** Clears the timer and waits for a write in progress. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** One snapshot; false when skipped (the previous write still runs) or failed. Never rejects. */
  async runOnce(): Promise<boolean> {
    return (await this.job.runNow()) === true;
  }

  private async write(): Promise<true> {
    const input = this.options.collect(this.now());
    const report = await this.options.sink.writePoints(buildOpsSnapshot(input, this.previous));
    // Rates are computed from the last snapshot that was stored, so a failed write only
    // widens the next rate's window instead of losing the count in between.
    this.previous = countersOf(input);
    this.options.onWritten?.(report);
    return true;
  }
}

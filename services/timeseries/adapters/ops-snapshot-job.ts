/**
 * Writes the operations snapshot (core/ops-snapshot.ts) to InfluxDB every OPS_SNAPSHOT_SECONDS:
 * once at start(), then on a timer that stop() clears. One write at a time: a tick that comes
 * while the previous write is still waiting on the server is skipped, not queued. A failed
 * write is reported and the next tick simply writes a fresh snapshot (a lost snapshot is a gap
 * in a chart, nothing to replay). The composition root owns start() and stop().
 */
import type { LinePoint } from '../core/influx-line-protocol.ts';
import { buildOpsSnapshot, countersOf, type OpsSnapshotInput, type SnapshotCounters } from '../core/ops-snapshot.ts';
import type { PointsWriteReport } from './influx-store.ts';
import { realTimers, type Timers } from './retention-job.ts';

/** Where the points go: InfluxTimeSeriesStore.writePoints. */
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
  private handle: unknown = null;
  private running: Promise<boolean> | null = null;
  private previous: SnapshotCounters | undefined;
  private readonly now: () => number;

  constructor(
    private readonly options: OpsSnapshotJobOptions,
    private readonly timers: Timers = realTimers,
  ) {
    if (!(options.intervalMs > 0)) throw new RangeError(`intervalMs ${options.intervalMs}`);
    this.now = options.now ?? Date.now;
  }

  /** Writes a snapshot now, then every intervalMs. Idempotent. */
  start(): void {
    if (this.handle !== null) return;
    void this.runOnce();
    this.handle = this.timers.setInterval(() => void this.runOnce(), this.options.intervalMs);
  }

  /** Clears the timer and waits for a write in progress. */
  async stop(): Promise<void> {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
    await this.running;
  }

  /** One snapshot; false when skipped (the previous write still runs) or failed. Never rejects. */
  runOnce(): Promise<boolean> {
    if (this.running) return Promise.resolve(false);
    this.running = (async () => {
      try {
        const input = this.options.collect(this.now());
        const report = await this.options.sink.writePoints(buildOpsSnapshot(input, this.previous));
        // Rates are computed from the last snapshot that was stored, so a failed write only
        // widens the next rate's window instead of losing the count in between.
        this.previous = countersOf(input);
        this.options.onWritten?.(report);
        return true;
      } catch (error) {
        this.options.onError?.(error);
        return false;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}

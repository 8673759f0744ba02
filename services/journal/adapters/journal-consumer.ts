/**
 * Feeds one downstream consumer (time-series store, alert engine) from the journal, at least
 * once and in order: read the entries after the committed offset, hand them over, commit the
 * offset only after the handler resolved. A rejected batch is retried, the same batch, with
 * backoff (STORE_BACKOFF, shared/retry.ts), for as long as it takes: never skipped, so an hour-long store
 * outage becomes an hour of backlog in the journal that is replayed in order when it returns.
 *
 * After a crash the batch that was handled but not yet committed is handled again, so
 * handlers must be idempotent (the stores are: a reading is keyed by device and time).
 *
 * Idle, the consumer waits for the journal's append notification rather than polling, so a
 * live publish reaches the handler milliseconds after its COMMIT.
 */
import type { Logger } from 'pino';
import type { JournalEntry, JournalSource, StartAt } from '../core/ports.ts';
import { backoffDelayMs, retryAfterOf, validateBackoffPolicy, type BackoffPolicy } from '../../../shared/retry.ts';

export interface JournalConsumerOptions {
  journal: JournalSource;
  /** The consumer's name in the journal's offsets table; keep it stable across releases. */
  name: string;
  batchSize: number;
  /** Must be idempotent (see above). Rejecting retries the same batch later. */
  handle: (entries: JournalEntry[]) => Promise<void>;
  backoff?: Partial<BackoffPolicy>;
  logger: Logger;
  /** Where a consumer registered for the first time starts (see StartAt). */
  startAt?: StartAt;
  /** [0, 1), as Math.random; injected by tests. */
  random?: () => number;
}

/**
 * How a consumer waits before handing a refused batch to its store again: "equal" jitter, since
 * a consumer is alone on its store and must never come back with a near-zero delay to a store
 * that just went down; a store's Retry-After (InfluxDB 429/503) is obeyed up to 5 minutes.
 */
export const STORE_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000, factor: 2, maxRetryAfterMs: 5 * 60_000, jitter: 'equal' };

export class JournalConsumer {
  private readonly policy: BackoffPolicy;
  private readonly logger: Logger;
  private running = false;
  private loop: Promise<void> | null = null;
  /**
   * Ends the current wait early. stop() ends any wait; an append only an idle one, never a
   * backoff (live traffic must not turn the backoff into hammering a store that is down).
   */
  private wake: { idle: boolean; now: () => void } | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: JournalConsumerOptions) {
    if (!(options.batchSize >= 1)) throw new RangeError(`batchSize must be at least 1, got ${options.batchSize}`);
    this.policy = validateBackoffPolicy({ ...STORE_BACKOFF, ...options.backoff });
    this.logger = options.logger.child({ consumer: options.name });
  }

  /** Registers the consumer (if new) and starts handling from its committed offset. */
  start(): void {
    if (this.running) return;
    const { journal, name } = this.options;
    journal.register(name, this.options.startAt);
    this.running = true;
    this.unsubscribe = journal.onAppend(() => {
      if (this.wake?.idle) this.wake.now();
    });
    this.loop = this.run().catch((err: unknown) => {
      // run() handles every failure itself; reaching here is a bug, not an outage.
      this.logger.fatal({ err }, 'journal consumer stopped unexpectedly');
    });
  }

  /**
   * Waits for the batch in flight (committed if it succeeds) and stops; a backoff wait is cut
   * short. Stop consumers before the journal they read.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.wake?.now();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    const { journal, name, batchSize } = this.options;
    while (this.running) {
      // An append notified while a batch was in flight finds no waiter; reading again here before
      // waiting is what picks it up.
      let entries: JournalEntry[];
      try {
        entries = journal.read(journal.offset(name), batchSize);
      } catch (err) {
        // The journal file itself failing (or closed before its consumers were stopped).
        this.logger.error({ err }, 'journal consumer cannot read the journal; retrying');
        await this.sleep(this.policy.capMs);
        continue;
      }
      if (entries.length === 0) await this.sleep(undefined);
      else await this.deliver(entries);
    }
  }

  /** Handles one batch until it succeeds and is committed, or the consumer stops. */
  private async deliver(entries: JournalEntry[]): Promise<void> {
    const { journal, name, handle } = this.options;
    const last = entries[entries.length - 1]!.seq;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handle(entries);
        // A failing commit (disk) counts as a failed attempt: the batch is handled again, harmless
        // for idempotent handlers, rather than the offset being lost.
        journal.commit(name, last);
        if (attempt > 1) this.logger.info({ attempts: attempt, upTo: last }, 'journal consumer recovered');
        return;
      } catch (err) {
        const delayMs = backoffDelayMs(attempt, this.policy, this.options.random ?? Math.random, retryAfterOf(err));
        const context = { err, attempt, delayMs, from: entries[0]!.seq, upTo: last };
        // One warning per outage; the retries after it only at debug (an hour of them otherwise).
        if (attempt === 1) this.logger.warn(context, 'journal consumer batch failed; retrying the same batch');
        else this.logger.debug(context, 'journal consumer batch failed again');
        if (!this.running) return;
        await this.sleep(delayMs);
        if (!this.running) return;
      }
    }
  }

  /** Resolves after `ms`, or (ms undefined: idle) at the next append; at once on stop(). */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => now(), ms);
      const now = (): void => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      this.wake = { idle: ms === undefined, now };
      if (!this.running) now();
    });
  }
}

/**
 * The publish journal in its own SQLite file (the platform opens `${DATA_DIR}/journal.db`).
 *
 * - Group commit: every append of one event-loop turn goes into one transaction, flushed on
 *   setImmediate; each append resolves with its seq only after COMMIT, and a failed COMMIT
 *   rejects the whole group. The broker sends PUBACK after that, so an acknowledged publish is
 *   on disk first.
 * - Durability: synchronous=FULL by default, so a COMMIT is fsynced to the WAL before the
 *   append resolves and an acknowledged publish survives an OS crash or power loss too, not
 *   only a process crash (NORMAL in WAL mode only survives the latter). The price is one fsync
 *   per event-loop turn with appends, shared by the whole group, and per consumer commit.
 * - seq is AUTOINCREMENT: once everything is pruned, a plain INTEGER PRIMARY KEY would hand out
 *   seqs again from 1, below the consumers' offsets, and they would skip those entries.
 * - Cap: `maxBytes` bounds the backlog the slowest registered consumer has not committed (with
 *   no consumer: every entry). Each row keeps the running byte total (cum_bytes), so the
 *   backlog is head total − total at the slowest offset, one index lookup, no scan.
 * - Pruning deletes entries at or below the slowest offset, periodically and in batches, so a
 *   long backlog that was just consumed does not block the event loop in one DELETE.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CapacityWatch, entryBytes, fits, type CapacityEvent, type CapacityListener } from '../core/capacity.ts';
import { JournalFullError, type JournalAppend, type JournalEntry, type JournalSource, type StartAt } from '../core/ports.ts';
import { registerJournalMetrics, type JournalMetrics } from './journal-metrics.ts';
import { openJournalTables, type JournalStatements, type JournalTables, type SizedAppend } from './journal-tables.ts';

export interface SqliteJournalOptions {
  /** The SQLite file; its directory is created if needed. */
  file: string;
  /** Cap of the unconsumed backlog, in payload + topic bytes. */
  maxBytes: number;
  logger: Logger;
  metrics: Registry;
  /** 'FULL' (default): acknowledged publishes survive an OS crash; 'NORMAL': only a process crash. */
  synchronous?: 'FULL' | 'NORMAL';
  pruneIntervalMs?: number;
  /** Entries deleted per DELETE statement; batches are separated by an event-loop turn. */
  pruneBatchSize?: number;
}

interface Pending extends SizedAppend {
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

export class SqliteJournal implements JournalSource {
  private readonly db: Database.Database;
  private readonly logger: Logger;
  private readonly metrics: JournalMetrics;
  private readonly watch: CapacityWatch;
  private readonly stmt: JournalStatements;
  private readonly insertGroup: JournalTables['insertGroup'];
  private readonly offsets = new Map<string, number>();
  private readonly listeners = new Set<(head: number) => void>();
  private readonly capacityListeners = new Set<CapacityListener>();
  private head: number;
  private headCum: number;
  /** Running byte total at the slowest offset; backlog bytes = headCum − floorCum. */
  private floorCum = 0;
  private entryCount: number;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  private flushHandle: NodeJS.Immediate | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<number> | null = null;
  private closed = false;

  constructor(private readonly options: SqliteJournalOptions) {
    this.logger = options.logger;
    this.watch = new CapacityWatch(options.maxBytes);
    const tables = openJournalTables(options.file, options.synchronous ?? 'FULL');
    this.db = tables.db;
    this.stmt = tables.stmt;
    this.insertGroup = tables.insertGroup;
    this.head = this.stmt.sequence.get()?.seq ?? 0;
    this.headCum = this.stmt.last.get()?.cum_bytes ?? 0;
    this.entryCount = this.stmt.count.get()?.n ?? 0;
    for (const row of this.stmt.consumers.all()) this.offsets.set(row.name, row.committed_seq);
    this.refreshFloor();
    this.metrics = registerJournalMetrics(options.metrics, {
      entries: () => this.entryCount,
      backlogBytes: () => this.backlogBytes(),
      maxBytes: options.maxBytes,
      backlogs: () => new Map([...this.offsets].map(([name, offset]) => [name, this.head - offset])),
    });
  }

  /** Starts periodic pruning. Appends and reads work from construction on. */
  start(): void {
    if (this.pruneTimer || this.closed) return;
    this.pruneTimer = setInterval(() => {
      this.prune().catch((err: unknown) => this.logger.error({ err }, 'journal prune failed; will retry'));
    }, this.options.pruneIntervalMs ?? 10_000);
    this.pruneTimer.unref();
  }

  /** Commits what is pending, stops pruning and closes the file. Later appends reject. */
  async stop(): Promise<void> {
    if (this.closed) return;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.pruning?.catch(() => undefined);
    this.flush();
    this.closed = true;
    this.db.close();
  }

  /**
   * Resolves with the entry's seq once it is committed to disk. Rejects with JournalFullError
   * when it would take the backlog past the cap: the broker then refuses the publish, and the
   * device keeps it and retries. Never acknowledge what we cannot keep: accepting it and
   * dropping it (or the oldest) later would lose readings the device believes delivered.
   */
  append(entry: JournalAppend): Promise<number> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    const size = entryBytes(entry.topic, entry.payload);
    const backlog = this.backlogBytes() + this.pendingBytes;
    if (!fits(backlog, size, this.options.maxBytes)) {
      this.metrics.fullRefusals.inc();
      if (this.watch.refused()) {
        this.logger.error(
          { backlogBytes: backlog, maxBytes: this.options.maxBytes, slowest: this.slowestConsumer() },
          'journal full: refusing device publishes until consumers catch up (devices keep and resend them)',
        );
      }
      return Promise.reject(new JournalFullError(backlog, this.options.maxBytes));
    }
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ entry, size, resolve, reject });
      this.pendingBytes += size;
      this.observeCapacity();
      this.flushHandle ??= setImmediate(() => this.flush());
    });
  }

  register(consumer: string, startAt: StartAt = 'oldest'): number {
    const known = this.offsets.get(consumer);
    if (known !== undefined) return known;
    // 'oldest' = just before the first entry still kept: the backlog gauge stays head − offset.
    const offset = startAt === 'head' ? this.head : (this.stmt.first.get()?.seq ?? this.head + 1) - 1;
    this.stmt.register.run(consumer, offset, Date.now());
    this.offsets.set(consumer, offset);
    this.refreshFloor();
    return offset;
  }

  /** Forgets a consumer for good; a registered consumer that never runs again would block pruning and fill the cap. */
  unregister(consumer: string): void {
    this.stmt.unregister.run(consumer);
    this.offsets.delete(consumer);
    this.refreshFloor();
  }

  consumers(): string[] {
    return [...this.offsets.keys()];
  }

  offset(consumer: string): number {
    const offset = this.offsets.get(consumer);
    if (offset === undefined) throw new Error(`journal consumer ${consumer} is not registered`);
    return offset;
  }

  commit(consumer: string, seq: number): void {
    const current = this.offset(consumer);
    if (seq > this.head) throw new RangeError(`cannot commit ${consumer} at ${seq}: the journal ends at ${this.head}`);
    if (seq <= current) return;
    this.stmt.commit.run(seq, consumer);
    this.offsets.set(consumer, seq);
    this.refreshFloor();
  }

  read(afterSeq: number, limit: number): JournalEntry[] {
    return this.stmt.read.all(afterSeq, limit).map((r) => ({
      seq: r.seq,
      receivedAt: r.received_at,
      deviceId: r.device_id,
      topic: r.topic,
      payload: r.payload,
    }));
  }

  onAppend(listener: (head: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Capacity watch transitions: nearCap true once when the backlog passes 80 % of the cap, false
   * once when it is back below 70 % (not per append or commit). The listener is also called at
   * once with the current state, so a subscriber learns of a backlog found at start-up (and can
   * clear what a previous run left raised). A throwing listener is logged and skipped.
   */
  onCapacity(listener: CapacityListener): () => void {
    this.capacityListeners.add(listener);
    this.notifyCapacity(listener, this.capacityEvent(this.backlogBytes() + this.pendingBytes, this.watch.nearCap));
    return () => this.capacityListeners.delete(listener);
  }

  private capacityEvent(backlogBytes: number, nearCap: boolean): CapacityEvent {
    const slowest = this.slowestConsumer();
    return { backlogBytes, maxBytes: this.options.maxBytes, nearCap, ...(slowest === undefined ? {} : { slowest }) };
  }

  private notifyCapacity(listener: CapacityListener, event: CapacityEvent): void {
    try {
      listener(event);
    } catch (err) {
      this.logger.error({ err }, 'journal capacity listener failed');
    }
  }

  /** The last committed seq (0 for a journal that never had an entry). */
  headSeq(): number {
    return this.head;
  }

  /** Bytes the slowest consumer has not committed (appends still waiting for COMMIT excluded). */
  backlogBytes(): number {
    return this.headCum - this.floorCum;
  }

  /**
   * Deletes entries every registered consumer has committed, in batches of pruneBatchSize with
   * an event-loop turn between them. With no consumer registered nothing is deleted. Answers
   * the number of entries deleted.
   */
  prune(): Promise<number> {
    this.pruning ??= this.pruneBatches().finally(() => {
      this.pruning = null;
    });
    return this.pruning;
  }

  private async pruneBatches(): Promise<number> {
    const batchSize = this.options.pruneBatchSize ?? 5_000;
    let deleted = 0;
    while (!this.closed && this.offsets.size > 0) {
      const first = this.stmt.first.get();
      const floor = this.minOffset();
      if (!first || first.seq > floor) break;
      const changes = this.stmt.prune.run(Math.min(floor, first.seq + batchSize - 1)).changes;
      this.entryCount -= changes;
      deleted += changes;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return deleted;
  }

  private flush(): void {
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = null;
    const group = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (group.length === 0) return;
    let seqs: number[];
    try {
      seqs = this.insertGroup(group, this.headCum);
    } catch (err) {
      this.logger.error({ err, entries: group.length }, 'journal commit failed; the publishes are refused');
      for (const p of group) p.reject(err);
      return;
    }
    this.head = seqs[seqs.length - 1]!;
    for (const p of group) this.headCum += p.size;
    this.entryCount += group.length;
    this.metrics.appends.inc(group.length);
    group.forEach((p, i) => p.resolve(seqs[i]!));
    for (const listener of this.listeners) {
      try {
        listener(this.head);
      } catch (err) {
        this.logger.error({ err }, 'journal append listener failed');
      }
    }
  }

  private minOffset(): number {
    if (this.offsets.size === 0) return 0;
    return Math.min(...this.offsets.values());
  }

  private slowestConsumer(): string | undefined {
    const floor = this.minOffset();
    return [...this.offsets].find(([, offset]) => offset === floor)?.[0];
  }

  /** Recomputes the running total at the slowest offset; called whenever that offset may have moved. */
  private refreshFloor(): void {
    const floor = this.minOffset();
    const below = this.stmt.cumAtOrBelow.get(floor);
    if (below) this.floorCum = below.cum_bytes;
    else {
      // Everything at or below the floor is pruned: the total just before the first kept entry.
      const first = this.stmt.first.get();
      this.floorCum = first ? first.cum_bytes - first.size : this.headCum;
    }
    this.observeCapacity();
  }

  private observeCapacity(): void {
    const backlogBytes = this.backlogBytes() + this.pendingBytes;
    const change = this.watch.observe(backlogBytes);
    if (change === null) return;
    const context = { backlogBytes, maxBytes: this.options.maxBytes, slowest: this.slowestConsumer() };
    if (change === 'near_full') {
      this.logger.warn(context, 'journal backlog above 80% of its cap: a consumer is behind (store down?)');
    }
    if (change === 'recovered') this.logger.info(context, 'journal backlog back below 70% of its cap');
    const event = this.capacityEvent(backlogBytes, change === 'near_full');
    for (const listener of this.capacityListeners) this.notifyCapacity(listener, event);
  }
}

/**
 * Rejected publishes, kept in SQLite so operators can see why a device's data is missing.
 * Bounded: only the newest rows are kept (a misbehaving device can publish garbage forever),
 * while the per-reason counts live in their own table so pruning never lowers them.
 *
 * Idempotent on journal replays: an entry carrying a journal seq is keyed by (journal_seq,
 * received_at), so the batch a journal consumer handles again after a crash adds no second row
 * and no second count. received_at is part of the key because seqs restart at 1 if the journal
 * file is ever replaced while this database is kept; the same entry replayed always carries the
 * same receivedAt (the journal's). Rows pruned since are not remembered, which is harmless: only
 * the last uncommitted batch is ever replayed, far fewer rows than the bound.
 */
import { Counter, type Registry } from 'prom-client';
import {
  DEAD_LETTER_REASONS,
  type DeadLetter,
  type DeadLetterReason,
} from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { DeadLetterEntry, DeadLetterReader, DeadLetterRecorder } from '../core/ports.ts';

export const DEAD_LETTER_DEFAULTS = {
  maxRows: 10_000,
  /** Prune after this many inserts: one DELETE per batch instead of one per insert. */
  pruneEvery: 500,
  previewBytes: 512,
} as const;

/** Topics come from devices; MQTT allows 64 KiB, the dead-letter table need not. */
const MAX_TOPIC_CHARS = 256;
const MAX_DETAIL_CHARS = 1000;

export interface SqliteDeadLetterOptions {
  metrics: Registry;
  maxRows?: number;
  pruneEvery?: number;
}

interface DeadLetterRow {
  id: number;
  received_at: number;
  topic: string;
  device_id: string | null;
  reason: DeadLetterReason;
  detail: string;
  payload_preview: string;
}

export class SqliteDeadLetterStore implements DeadLetterReader, DeadLetterRecorder {
  private readonly maxRows: number;
  private readonly pruneEvery: number;
  private insertsSincePrune = 0;
  private readonly counter: Counter<'reason'>;
  private readonly insertRow;
  private readonly bumpCount;
  private readonly pruneRows;
  private readonly selectCounts;
  private readonly selectRecent;
  private readonly selectRecentOfReason;
  private readonly insertWithCount: (entry: DeadLetterEntry) => boolean;

  constructor(
    db: SqliteDatabase,
    options: SqliteDeadLetterOptions,
  ) {
    this.maxRows = options.maxRows ?? DEAD_LETTER_DEFAULTS.maxRows;
    this.pruneEvery = options.pruneEvery ?? DEAD_LETTER_DEFAULTS.pruneEvery;
    if (!(this.maxRows >= 1 && this.pruneEvery >= 1)) throw new RangeError('maxRows and pruneEvery must be >= 1');
    db.exec(`
      CREATE TABLE IF NOT EXISTS dead_letters (
        -- AUTOINCREMENT: ids are never reused after pruning, so an id the API showed stays unique.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        topic TEXT NOT NULL,
        device_id TEXT,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        payload_preview TEXT NOT NULL,
        -- The journal entry it came from; NULL for publishes handled without the journal.
        journal_seq INTEGER
      );
      CREATE INDEX IF NOT EXISTS dead_letters_reason_id ON dead_letters (reason, id);
      CREATE TABLE IF NOT EXISTS dead_letter_counts (
        reason TEXT PRIMARY KEY,
        count INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    migrateJournalSeq(db);
    // Only the replay conflict is ignored (not OR IGNORE, which would also swallow NOT NULL
    // violations): changes = 0 then says "already recorded".
    this.insertRow = db.prepare(
      `INSERT INTO dead_letters (received_at, topic, device_id, reason, detail, payload_preview, journal_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (journal_seq, received_at) WHERE journal_seq IS NOT NULL DO NOTHING`,
    );
    this.bumpCount = db.prepare(
      `INSERT INTO dead_letter_counts (reason, count) VALUES (?, 1)
       ON CONFLICT (reason) DO UPDATE SET count = count + 1`,
    );
    // Everything older than the maxRows-th newest row goes.
    this.pruneRows = db.prepare(
      `DELETE FROM dead_letters
       WHERE id < (SELECT id FROM dead_letters ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    );
    this.selectCounts = db.prepare('SELECT reason, count FROM dead_letter_counts');
    this.selectRecent = db.prepare('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?');
    this.selectRecentOfReason = db.prepare('SELECT * FROM dead_letters WHERE reason = ? ORDER BY id DESC LIMIT ?');
    this.insertWithCount = db.transaction((entry: DeadLetterEntry): boolean => {
      const { changes } = this.insertRow.run(
        entry.receivedAtMs,
        entry.topic.slice(0, MAX_TOPIC_CHARS),
        entry.deviceId,
        entry.reason,
        entry.detail.slice(0, MAX_DETAIL_CHARS),
        payloadPreview(entry.payload),
        entry.journalSeq ?? null,
      );
      if (changes === 0) return false;
      this.bumpCount.run(entry.reason);
      return true;
    });

    this.counter = new Counter({
      name: 'binpulse_dead_letters_total',
      help: 'Device publishes rejected by the ingest pipeline, by reason',
      labelNames: ['reason'],
      registers: [options.metrics],
    });
    // Every reason is exported from the start, so a rate() over it never lacks a series.
    for (const reason of DEAD_LETTER_REASONS) this.counter.inc({ reason }, 0);

    this.prune();
  }

  /**
   * Answers whether a row was added: false for a replay of an entry already recorded (same
   * journalSeq and receivedAtMs), which counts nothing.
   */
  record(entry: DeadLetterEntry): boolean {
    if (entry.journalSeq !== undefined && !Number.isSafeInteger(entry.journalSeq)) {
      throw new RangeError(`journalSeq must be an integer, got ${entry.journalSeq}`);
    }
    if (!this.insertWithCount(entry)) return false;
    this.counter.inc({ reason: entry.reason });
    if (++this.insertsSincePrune >= this.pruneEvery) this.prune();
    return true;
  }

  /** Deletes all but the newest maxRows rows. */
  prune(): void {
    this.insertsSincePrune = 0;
    this.pruneRows.run(this.maxRows - 1);
  }

  counts(): Record<DeadLetterReason, number> {
    const counts = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 0])) as Record<DeadLetterReason, number>;
    const rows = this.selectCounts.all() as {
      reason: string;
      count: number;
    }[];
    for (const row of rows) {
      if (Object.hasOwn(counts, row.reason)) counts[row.reason as DeadLetterReason] = row.count;
    }
    return counts;
  }

  recent(limit: number, reason?: DeadLetterReason): DeadLetter[] {
    const capped = Math.max(0, Math.min(Math.floor(limit), this.maxRows));
    const rows = (
      reason === undefined
        ? this.selectRecent.all(capped)
        : this.selectRecentOfReason.all(reason, capped)
    ) as DeadLetterRow[];
    return rows.map((row) => ({
      id: row.id,
      receivedAt: new Date(row.received_at).toISOString(),
      topic: row.topic,
      deviceId: row.device_id,
      reason: row.reason,
      detail: row.detail,
      payloadPreview: row.payload_preview,
    }));
  }
}

/**
 * Tables created before the journal lack journal_seq: add it (existing rows keep NULL, so they
 * never conflict), then the replay key. Both steps are no-ops on an up-to-date table; IMMEDIATE
 * so two processes opening the file at once cannot both try the ALTER.
 */
function migrateJournalSeq(db: SqliteDatabase): void {
  db.transaction(() => {
    const columns = db.prepare('PRAGMA table_info(dead_letters)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'journal_seq')) {
      db.exec('ALTER TABLE dead_letters ADD COLUMN journal_seq INTEGER');
    }
    db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_journal_seq
      ON dead_letters (journal_seq, received_at) WHERE journal_seq IS NOT NULL`);
  }).immediate();
}

/** The first bytes as text; invalid UTF-8 (or a character cut at the end) becomes U+FFFD. */
export function payloadPreview(payload: Buffer): string {
  return payload.subarray(0, DEAD_LETTER_DEFAULTS.previewBytes).toString('utf8');
}

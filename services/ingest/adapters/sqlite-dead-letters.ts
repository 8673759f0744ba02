/**
 * Rejected publishes, kept in SQLite so operators can see why a device's data is missing.
 * Bounded: only the newest rows are kept (a misbehaving device can publish garbage forever),
 * while the per-reason counts live in their own table so pruning never lowers them.
 */
import { Counter, type Registry } from 'prom-client';
import {
  DEAD_LETTER_REASONS,
  type DeadLetter,
  type DeadLetterReason,
} from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../platform/adapters/sqlite.ts';
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
  private readonly insertWithCount: (entry: DeadLetterEntry) => void;

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
        payload_preview TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS dead_letters_reason_id ON dead_letters (reason, id);
      CREATE TABLE IF NOT EXISTS dead_letter_counts (
        reason TEXT PRIMARY KEY,
        count INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.insertRow = db.prepare(
      `INSERT INTO dead_letters (received_at, topic, device_id, reason, detail, payload_preview)
       VALUES (?, ?, ?, ?, ?, ?)`,
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
    this.insertWithCount = db.transaction((entry: DeadLetterEntry) => {
      this.insertRow.run(
        entry.receivedAtMs,
        entry.topic.slice(0, MAX_TOPIC_CHARS),
        entry.deviceId,
        entry.reason,
        entry.detail.slice(0, MAX_DETAIL_CHARS),
        payloadPreview(entry.payload),
      );
      this.bumpCount.run(entry.reason);
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

  record(entry: DeadLetterEntry): void {
    this.insertWithCount(entry);
    this.counter.inc({ reason: entry.reason });
    if (++this.insertsSincePrune >= this.pruneEvery) this.prune();
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

/** The first bytes as text; invalid UTF-8 (or a character cut at the end) becomes U+FFFD. */
export function payloadPreview(payload: Buffer): string {
  return payload.subarray(0, DEAD_LETTER_DEFAULTS.previewBytes).toString('utf8');
}

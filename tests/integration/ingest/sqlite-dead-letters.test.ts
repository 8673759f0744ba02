import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS, DeadLetter, type DeadLetterReason } from '../../../shared/contracts/index.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import type { DeadLetterEntry } from '../../../services/ingest/core/ports.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';

const T0 = Date.parse('2026-11-26T02:00:00Z');
const entry = (i: number, reason: DeadLetterReason = 'invalid_json', payload = Buffer.from(`garbage ${i}`)): DeadLetterEntry => ({
  receivedAtMs: T0 + i,
  topic: `binpulse/v1/box-0001/telemetry`,
  deviceId: 'box-0001',
  reason,
  detail: `detail ${i}`,
  payload,
});

async function counterValues(metrics: Registry): Promise<Record<string, number>> {
  const metric = await metrics.getSingleMetric('binpulse_dead_letters_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.reason), v.value]));
}

describe('SqliteDeadLetterStore', () => {
  let dir: string;
  let file: string;
  const open: SqliteDatabase[] = [];
  const db = () => {
    const d = openDatabase(file);
    open.push(d);
    return d;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-dl-'));
    file = join(dir, 'ingest.db');
  });
  afterEach(() => {
    for (const d of open.splice(0)) if (d.open) d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records and lists newest first, filtered by reason, in the API shape', () => {
    const store = new SqliteDeadLetterStore(db(), { metrics: new Registry() });
    store.record(entry(1, 'invalid_json'));
    store.record(entry(2, 'schema_violation'));
    store.record({ ...entry(3, 'unknown_topic'), deviceId: null, topic: 'nowhere' });
    const recent = store.recent(10);
    expect(recent.map((d) => d.reason)).toEqual(['unknown_topic', 'schema_violation', 'invalid_json']);
    expect(recent[2]).toEqual({
      id: recent[2]!.id,
      receivedAt: new Date(T0 + 1).toISOString(),
      topic: 'binpulse/v1/box-0001/telemetry',
      deviceId: 'box-0001',
      reason: 'invalid_json',
      detail: 'detail 1',
      payloadPreview: 'garbage 1',
    });
    for (const d of recent) expect(DeadLetter.parse(d)).toEqual(d);
    expect(store.recent(10, 'schema_violation').map((d) => d.detail)).toEqual(['detail 2']);
    expect(store.recent(1)).toHaveLength(1);
  });

  it('keeps a bounded preview: first 512 bytes, invalid UTF-8 replaced', () => {
    const store = new SqliteDeadLetterStore(db(), { metrics: new Registry() });
    store.record(entry(1, 'invalid_json', Buffer.alloc(20_000, 'x')));
    store.record(entry(2, 'invalid_json', Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x41, 0xe4, 0xb8])));
    const [binary, long] = store.recent(2);
    expect(long!.payloadPreview).toBe('x'.repeat(512));
    expect(binary!.payloadPreview).toBe('{\uFFFD\uFFFD\u0000A\uFFFD');
  });

  it('counts every reason, in SQLite and in the prom counter', async () => {
    const metrics = new Registry();
    const store = new SqliteDeadLetterStore(db(), { metrics });
    const zeros = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 0]));
    expect(store.counts()).toEqual(zeros);
    expect(await counterValues(metrics)).toEqual(zeros);
    DEAD_LETTER_REASONS.forEach((reason, i) => {
      for (let n = 0; n <= i; n++) store.record(entry(n, reason));
    });
    const expected = Object.fromEntries(DEAD_LETTER_REASONS.map((r, i) => [r, i + 1]));
    expect(store.counts()).toEqual(expected);
    expect(await counterValues(metrics)).toEqual(expected);
  });

  it('keeps only the newest 10,000 rows, pruning in batches; counts never drop', () => {
    const conn = db();
    const store = new SqliteDeadLetterStore(conn, { metrics: new Registry() });
    const total = 10_600;
    for (let i = 1; i <= total; i++) store.record(entry(i));
    const rowCount = () => (conn.prepare('SELECT COUNT(*) AS n FROM dead_letters').get() as { n: number }).n;
    // Pruned at every 500th insert, not at each: between prunes the table may exceed the bound.
    expect(rowCount()).toBe(10_100);
    store.prune();
    expect(rowCount()).toBe(10_000);
    expect(conn.prepare('SELECT detail FROM dead_letters ORDER BY id LIMIT 1').get()).toEqual({ detail: 'detail 601' });
    expect(store.counts().invalid_json).toBe(total);
    expect(store.recent(5).map((d) => d.detail)).toEqual(['detail 10600', 'detail 10599', 'detail 10598', 'detail 10597', 'detail 10596']);
  });

  it('smaller bounds work the same way, and counts and ids survive a reopen', () => {
    const first = new SqliteDeadLetterStore(db(), { metrics: new Registry(), maxRows: 5, pruneEvery: 3 });
    for (let i = 1; i <= 12; i++) first.record(entry(i, i % 2 ? 'invalid_json' : 'unknown_device'));
    const lastId = first.recent(1)[0]!.id;
    const second = new SqliteDeadLetterStore(db(), { metrics: new Registry(), maxRows: 5, pruneEvery: 3 });
    expect(second.counts()).toMatchObject({ invalid_json: 6, unknown_device: 6 });
    expect(second.recent(100).map((d) => d.detail)).toEqual(['detail 12', 'detail 11', 'detail 10', 'detail 9', 'detail 8']);
    second.record(entry(13));
    // AUTOINCREMENT: an id is never handed out twice, even after pruning.
    expect(second.recent(1)[0]!.id).toBe(lastId + 1);
  });

  it('records an entry with a journal seq once, however often it is replayed; without a seq, every time', async () => {
    const metrics = new Registry();
    const conn = db();
    const store = new SqliteDeadLetterStore(conn, { metrics, maxRows: 3, pruneEvery: 1 });
    expect(store.record({ ...entry(1), journalSeq: 7 })).toBe(true);
    expect(store.record({ ...entry(1), journalSeq: 7 })).toBe(false);
    expect(store.record({ ...entry(2, 'unknown_device'), journalSeq: 8 })).toBe(true);
    expect(store.record({ ...entry(2, 'unknown_device'), journalSeq: 8 })).toBe(false);
    // The same seq at another receive time is another entry (a journal file replaced, seqs restarted).
    expect(store.record({ ...entry(3), journalSeq: 7 })).toBe(true);
    expect(store.record(entry(4))).toBe(true);
    expect(store.record(entry(4))).toBe(true);
    expect(store.counts()).toMatchObject({ invalid_json: 4, unknown_device: 1 });
    expect(await counterValues(metrics)).toMatchObject({ invalid_json: 4, unknown_device: 1 });
    expect(conn.prepare('SELECT journal_seq FROM dead_letters ORDER BY id').all()).toEqual([
      { journal_seq: 7 },
      { journal_seq: null },
      { journal_seq: null },
    ]);
    expect(() => store.record({ ...entry(5), journalSeq: 1.5 })).toThrow(RangeError);
    // A replay is still rejected by a second store on the same file.
    const reopened = new SqliteDeadLetterStore(db(), { metrics: new Registry(), maxRows: 3, pruneEvery: 1 });
    expect(reopened.record({ ...entry(3), journalSeq: 7 })).toBe(false);
    expect(reopened.counts().invalid_json).toBe(4);
  });

  it('migrates a table from before the journal: adds journal_seq and its unique index, keeps rows and counts', () => {
    const old = db();
    old.exec(`
      CREATE TABLE dead_letters (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        topic TEXT NOT NULL,
        device_id TEXT,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        payload_preview TEXT NOT NULL
      );
      CREATE INDEX dead_letters_reason_id ON dead_letters (reason, id);
      CREATE TABLE dead_letter_counts (reason TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO dead_letters (received_at, topic, device_id, reason, detail, payload_preview)
        VALUES (1, 't', 'box-0001', 'invalid_json', 'old 1', 'x'), (2, 't', 'box-0001', 'invalid_json', 'old 2', 'y');
      INSERT INTO dead_letter_counts VALUES ('invalid_json', 2);
    `);
    old.close();

    const conn = db();
    const store = new SqliteDeadLetterStore(conn, { metrics: new Registry() });
    const columns = conn.prepare('PRAGMA table_info(dead_letters)').all() as { name: string; notnull: number }[];
    expect(columns.find((c) => c.name === 'journal_seq')).toMatchObject({ notnull: 0 });
    const index = conn.prepare("SELECT sql FROM sqlite_master WHERE name = 'dead_letters_journal_seq'").get() as { sql: string };
    expect(index.sql).toMatch(/UNIQUE INDEX dead_letters_journal_seq[\s\S]*WHERE journal_seq IS NOT NULL/);
    expect(store.recent(10).map((d) => d.detail)).toEqual(['old 2', 'old 1']);
    expect(store.counts().invalid_json).toBe(2);
    expect(store.record({ ...entry(3), journalSeq: 1 })).toBe(true);
    expect(store.record({ ...entry(3), journalSeq: 1 })).toBe(false);
    expect(store.counts().invalid_json).toBe(3);
    // Opening the migrated file again changes nothing.
    expect(new SqliteDeadLetterStore(db(), { metrics: new Registry() }).counts().invalid_json).toBe(3);
  });

  it('rejects a bound below one', () => {
    expect(() => new SqliteDeadLetterStore(db(), { metrics: new Registry(), maxRows: 0 })).toThrow(RangeError);
  });
});

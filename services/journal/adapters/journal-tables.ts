/**
 * The journal file's schema and prepared statements (see sqlite-journal.ts for the why).
 * Its own SQLite file, not binpulse.db: the journal is written on every publish with its own
 * synchronous setting, and a busy operational database must not delay PUBACKs.
 */
import Database from 'better-sqlite3';
import { ownerOnlyDatabaseFile } from '../../storage/sqlite.ts';
import type { JournalAppend } from '../core/ports.ts';

export interface EntryRow {
  seq: number;
  received_at: number;
  device_id: string;
  topic: string;
  payload: Buffer;
}

export type JournalStatements = ReturnType<typeof prepare>;

export interface JournalTables {
  db: Database.Database;
  stmt: JournalStatements;
  /** Inserts a group in one transaction (one COMMIT); answers the seqs, in order. */
  insertGroup: (group: readonly SizedAppend[], startCum: number) => number[];
}

/** An append with its weight for the cap (core/capacity.ts entryBytes). */
export interface SizedAppend {
  entry: JournalAppend;
  size: number;
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[number, string, string, Buffer, number, number]>(
      'INSERT INTO entries (received_at, device_id, topic, payload, size, cum_bytes) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    read: db.prepare<[number, number], EntryRow>(
      'SELECT seq, received_at, device_id, topic, payload FROM entries WHERE seq > ? ORDER BY seq LIMIT ?',
    ),
    cumAtOrBelow: db.prepare<[number], { cum_bytes: number }>(
      'SELECT cum_bytes FROM entries WHERE seq <= ? ORDER BY seq DESC LIMIT 1',
    ),
    first: db.prepare<[], { seq: number; cum_bytes: number; size: number }>(
      'SELECT seq, cum_bytes, size FROM entries ORDER BY seq LIMIT 1',
    ),
    last: db.prepare<[], { cum_bytes: number }>('SELECT cum_bytes FROM entries ORDER BY seq DESC LIMIT 1'),
    // AUTOINCREMENT's high-water mark: the head even when every entry has been pruned.
    sequence: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'entries'"),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM entries'),
    consumers: db.prepare<[], { name: string; committed_seq: number }>('SELECT name, committed_seq FROM consumers'),
    register: db.prepare<[string, number, number]>(
      'INSERT OR IGNORE INTO consumers (name, committed_seq, registered_at) VALUES (?, ?, ?)',
    ),
    unregister: db.prepare<[string]>('DELETE FROM consumers WHERE name = ?'),
    commit: db.prepare<[number, string]>('UPDATE consumers SET committed_seq = ? WHERE name = ?'),
    prune: db.prepare<[number]>('DELETE FROM entries WHERE seq <= ?'),
  };
}

export function openJournalTables(file: string, synchronous: 'FULL' | 'NORMAL'): JournalTables {
  // Owner-only (0700 folder, 0600 files): the journal holds every device's messages (issue 15).
  ownerOnlyDatabaseFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  // Readers (an operator's sqlite3 shell) must not make a COMMIT fail with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS entries (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      received_at INTEGER NOT NULL,
      device_id   TEXT NOT NULL,
      topic       TEXT NOT NULL,
      payload     BLOB NOT NULL,
      size        INTEGER NOT NULL, -- payload + topic bytes, what the cap counts
      cum_bytes   INTEGER NOT NULL  -- running total of size up to this entry
    );
    CREATE TABLE IF NOT EXISTS consumers (
      name          TEXT PRIMARY KEY,
      committed_seq INTEGER NOT NULL,
      registered_at INTEGER NOT NULL
    );`);
  const stmt = prepare(db);
  const insertGroup = db.transaction((group: readonly SizedAppend[], startCum: number) => {
    let cum = startCum;
    return group.map(({ entry, size }) => {
      cum += size;
      return Number(stmt.insert.run(entry.receivedAt, entry.deviceId, entry.topic, entry.payload, size, cum).lastInsertRowid);
    });
  });
  return { db, stmt, insertGroup };
}

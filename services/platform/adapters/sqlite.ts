/** Opens an embedded SQLite file the way every BinPulse store expects it. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export function openDatabase(file: string): SqliteDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  // WAL lets the CLI and the API read while the pipeline writes; NORMAL sync keeps WAL durable
  // across process crashes (only an OS crash can lose the last transactions).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The fleet CLI may write while the platform runs: wait instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

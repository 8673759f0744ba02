/**
 * Opens an embedded SQLite file the way every BinPulse store expects it. It lives below the
 * services that use it (stores, the fleet CLI, the composition root) so no import runs back up
 * to services/platform (issue 16).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * A database file and its companions readable by the owner only (issue 15): the folder is
 * made 0700, the file created 0600 before SQLite opens it (SQLite gives the -wal and -shm
 * files the database's own mode) and an existing file and companions are set to 0600.
 */
export function ownerOnlyDatabaseFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      if (existsSync(path)) chmodSync(path, 0o600);
    } catch {
      // Not ours to change (another owner): it still opens as before; the platform warns (services/platform/adapters/data-dir.ts).
    }
  }
}

export function openDatabase(file: string): SqliteDatabase {
  ownerOnlyDatabaseFile(file);
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

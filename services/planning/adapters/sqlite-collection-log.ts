/**
 * Box collection events in the operational SQLite file, for proof of service (issue 13): one row
 * per (device, event id), so a journal replay after a restart records nothing twice; indexed by
 * time for the shift windows progress reads. Pruned by the caller (prune(beforeMs)).
 */
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { CollectionLog, LoggedCollection } from '../core/collection-log.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS collections (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ts INTEGER NOT NULL,        -- when the box says it was emptied, epoch ms
    vehicle_id TEXT NOT NULL,
    kg_by_category TEXT NOT NULL, -- JSON {category: kg}
    PRIMARY KEY (device_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS collections_by_ts ON collections (ts);
`;

interface Row {
  device_id: string;
  event_id: string;
  ts: number;
  vehicle_id: string;
  kg_by_category: string;
}

export class SqliteCollectionLog implements CollectionLog {
  readonly #insert;
  readonly #between;
  readonly #prune;

  constructor(db: SqliteDatabase) {
    db.exec(SCHEMA);
    this.#insert = db.prepare<[string, string, number, string, string]>(
      'INSERT OR IGNORE INTO collections (device_id, event_id, ts, vehicle_id, kg_by_category) VALUES (?, ?, ?, ?, ?)',
    );
    this.#between = db.prepare<[number, number], Row>('SELECT * FROM collections WHERE ts BETWEEN ? AND ? ORDER BY ts, device_id, event_id');
    this.#prune = db.prepare<[number]>('DELETE FROM collections WHERE ts < ?');
  }

  record(c: LoggedCollection): boolean {
    return this.#insert.run(c.deviceId, c.eventId, c.atMs, c.vehicleId, JSON.stringify(c.kgByCategory)).changes === 1;
  }

  between(fromMs: number, toMs: number): LoggedCollection[] {
    return this.#between.all(fromMs, toMs).map((row) => ({
      deviceId: row.device_id,
      eventId: row.event_id,
      atMs: row.ts,
      vehicleId: row.vehicle_id,
      kgByCategory: JSON.parse(row.kg_by_category) as Record<string, number>,
    }));
  }

  prune(beforeMs: number): number {
    return this.#prune.run(beforeMs).changes;
  }
}

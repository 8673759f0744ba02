/**
 * The chain after the box in the embedded store (issue 14): weigh tickets, sorting reports and
 * the reads of the mass balance (tickets, reports, box emptyings). Kept apart from
 * sqlite-store.ts, which calls in here, so the deposit and reading tables stay where they were.
 * Keys are the records' idempotency keys (device + eventId), as for every other event.
 */
import type { Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { CollectionRecord, KgByCategory, SortingReportRecord, TimeRange, TimeSeriesRecord, WeighTicketRecord } from '../core/store.ts';

export const CHAIN_SCHEMA = `
  CREATE TABLE IF NOT EXISTS weigh_tickets (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    ticket_id TEXT NOT NULL,
    plate TEXT NOT NULL,
    direction TEXT NOT NULL,        -- in | out
    gross_kg REAL NOT NULL,
    tare_kg REAL NOT NULL,
    net_kg REAL NOT NULL,
    category TEXT,                  -- NULL for a mixed load
    reference TEXT,                 -- transfer note number
    plate_known INTEGER NOT NULL,
    PRIMARY KEY (device_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS weigh_tickets_ts ON weigh_tickets (ts);

  CREATE TABLE IF NOT EXISTS sorting_reports (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    ts INTEGER NOT NULL,            -- end of the period
    period_start INTEGER NOT NULL,
    recovered_kg TEXT NOT NULL,     -- JSON {category: kg}
    residue_kg REAL NOT NULL,
    PRIMARY KEY (device_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS sorting_reports_ts ON sorting_reports (ts);

  CREATE INDEX IF NOT EXISTS collections_ts ON collections (ts);
`;

/**
 * Collections did not keep their community before issue 14 (the balance groups by it). A file
 * from before gets the column, filled from the same box's deposits (a box never moves community).
 */
function addCollectionCommunity(db: SqliteDatabase): void {
  const columns = db.prepare(`PRAGMA table_info(collections)`).all() as { name: string }[];
  if (columns.some((c) => c.name === 'community')) return;
  db.transaction(() => {
    db.exec(`ALTER TABLE collections ADD COLUMN community TEXT NOT NULL DEFAULT ''`);
    db.exec(`UPDATE collections SET community = COALESCE(
      (SELECT community FROM deposits WHERE deposits.device_id = collections.device_id LIMIT 1), '')`);
  })();
}

type ChainRecord = Extract<TimeSeriesRecord, { type: 'weigh_ticket' | 'sorting_report' | 'collection' }>;

interface TicketRow extends Omit<WeighTicketRecord, 'plateKnown'> {
  plateKnown: number;
}
interface ReportRow extends Omit<SortingReportRecord, 'recoveredKg'> {
  recoveredKg: string;
}
interface CollectionRow {
  deviceId: string;
  subdistrict: Subdistrict;
  community: string;
  ts: number;
  eventId: string;
  collectorId: string;
  vehicleId: string;
  category: WasteCategory;
  weightKg: number;
}

/** Creates the tables (run inside the store's construction, after TIMESERIES_SCHEMA) and prepares the statements. */
export function openChainTables(db: SqliteDatabase) {
  db.exec(CHAIN_SCHEMA);
  addCollectionCommunity(db);
  const insertTicket = db.prepare(
    `INSERT OR IGNORE INTO weigh_tickets (device_id, event_id, site_id, ts, ticket_id, plate, direction, gross_kg, tare_kg, net_kg,
       category, reference, plate_known) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertReport = db.prepare(
    `INSERT OR IGNORE INTO sorting_reports (device_id, event_id, site_id, ts, period_start, recovered_kg, residue_kg)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCollection = db.prepare(
    `INSERT OR IGNORE INTO collections (device_id, event_id, category, ts, weight_kg, collector_id, vehicle_id, subdistrict, community)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectTickets = db.prepare(
    `SELECT device_id AS deviceId, site_id AS siteId, ts, event_id AS eventId, ticket_id AS ticketId, plate, direction,
            gross_kg AS grossKg, tare_kg AS tareKg, net_kg AS netKg, category, reference, plate_known AS plateKnown
     FROM weigh_tickets WHERE ts >= ? AND ts < ? ORDER BY ts, event_id, device_id`,
  );
  const selectReports = db.prepare(
    `SELECT device_id AS deviceId, site_id AS siteId, ts, period_start AS periodStart, event_id AS eventId,
            recovered_kg AS recoveredKg, residue_kg AS residueKg
     FROM sorting_reports WHERE ts >= ? AND ts < ? ORDER BY ts, event_id, device_id`,
  );
  const selectCollections = db.prepare(
    `SELECT device_id AS deviceId, subdistrict, community, ts, event_id AS eventId, collector_id AS collectorId,
            vehicle_id AS vehicleId, category, weight_kg AS weightKg
     FROM collections WHERE ts >= ? AND ts < ? ORDER BY ts, event_id, device_id, category`,
  );

  return {
    /** Writes one record of the chain; part of the store's write transaction. */
    write(r: ChainRecord): void {
      const id = r.tags.deviceId;
      switch (r.type) {
        case 'weigh_ticket':
          insertTicket.run(id, r.eventId, r.siteId, r.ts, r.ticketId, r.plate, r.direction, r.grossKg, r.tareKg, r.netKg, r.category,
            r.reference, r.plateKnown ? 1 : 0);
          break;
        case 'sorting_report':
          insertReport.run(id, r.eventId, r.siteId, r.ts, r.periodStart, JSON.stringify(r.recoveredKg), r.residueKg);
          break;
        case 'collection':
          for (const c of r.compartments) {
            insertCollection.run(id, r.eventId, c.category, r.ts, c.weightKg, r.collectorId, r.vehicleId, r.tags.subdistrict,
              r.tags.community);
          }
          break;
      }
    },
    weighTickets(range: TimeRange): WeighTicketRecord[] {
      return (selectTickets.all(range.from, range.to) as TicketRow[]).map((row) => ({ ...row, plateKnown: row.plateKnown === 1 }));
    },
    sortingReports(range: TimeRange): SortingReportRecord[] {
      return (selectReports.all(range.from, range.to) as ReportRow[]).map((row) => ({
        ...row,
        recoveredKg: JSON.parse(row.recoveredKg) as KgByCategory,
      }));
    },
    /** One record per emptying: its per-category rows folded back together. */
    collections(range: TimeRange): CollectionRecord[] {
      const out: CollectionRecord[] = [];
      let last: CollectionRecord | undefined;
      for (const row of selectCollections.all(range.from, range.to) as CollectionRow[]) {
        if (!last || last.deviceId !== row.deviceId || last.eventId !== row.eventId || last.ts !== row.ts) {
          const { category: _c, weightKg: _w, ...rest } = row;
          last = { ...rest, kgByCategory: {} };
          out.push(last);
        }
        last.kgByCategory[row.category] = row.weightKg;
      }
      return out;
    },
  };
}

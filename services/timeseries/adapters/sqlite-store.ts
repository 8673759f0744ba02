/**
 * The embedded time-series store: SQLite, one file of its own (the platform opens
 * DATA_DIR/timeseries.db). Writes are idempotent (INSERT OR IGNORE on each record's key) and
 * a deposit updates the daily tonnage rollup (a reading its hourly fill rollup) in the same
 * transaction only when its row was really inserted, so replays never double-count. One
 * write() is one transaction with prepared statements, all or nothing: the journal hands over
 * a batch at a time and retries the whole batch when it fails.
 */
import { statSync } from 'node:fs';
import type { SeriesPoint, TonnageRow, WasteCategory } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import { FillHourlyBatch, TonnageBatch } from '../core/batch-rollups.ts';
import { milligramsToKg } from '../core/tonnage.ts';
import type {
  CollectionRecord,
  ParticipationQuery,
  ParticipationRow,
  SortingReportRecord,
  TimeRange,
  TimeSeriesRecord,
  TimeSeriesStore,
  TonnageQuery,
  WeighTicketRecord,
} from '../core/store.ts';
import {
  BACKFILL_FILL_HOURLY,
  DEPOSITS_RESIDENT_MIGRATION,
  HOUR_MS,
  PARTICIPATION_SQL,
  pruneBatchSql,
  RAW_TABLES,
  type RawTable,
  REBUILD_TONNAGE_DAILY,
  TIMESERIES_SCHEMA,
  UPSERT_FILL_HOURLY,
} from './sqlite-schema.ts';
import { openChainTables } from './sqlite-chain.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

export interface SqliteTimeSeriesStoreOptions {
  /**
   * The district's offset: the daily rollup is computed with it, so tonnage() only answers
   * queries with the same offset. When it differs from the one the file was built with, the
   * rollup is rebuilt from the deposits at open.
   */
  utcOffsetMinutes: number;
}

const OFFSET_KEY = 'utc_offset_minutes';
/** The write-ahead log's size past which the store checkpoints on its own thread after all. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
const FILL_HOURLY_KEY = 'fill_hourly_backfilled';

/** One hour of a compartment's fill level (SqliteTimeSeriesStore.fillHourly). */
export interface FillHourlyRow {
  /** Hour start, epoch ms (UTC hour; the same as the local hour at whole-hour offsets). */
  hour: number;
  deviceId: string;
  category: WasteCategory;
  maxFillingLevel: number;
  /** The level of the hour's latest reading (lastTs). */
  lastFillingLevel: number;
  lastTs: number;
}

export interface PruneOptions {
  /** Rows per DELETE statement; the event loop gets a turn between statements. Default 5 000. */
  batchSize?: number;
}

/** Rows deleted per raw table by one prune. */
export type PruneResult = Record<RawTable, number>;

interface SeriesRow {
  ts: number;
  metric: string;
  category: WasteCategory | null;
  value: number;
}

/** Every numeric metric of one device in [from, to); newest first so LIMIT keeps the latest. */
const SERIES_SQL = `
  SELECT ts, metric, category, value FROM (
    SELECT ts, 'fillingLevel' AS metric, category, filling_level AS value FROM compartment_readings
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'weightKg', category, weight_kg FROM compartment_readings
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'temperatureC', NULL, temperature_c FROM box_readings
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'batteryPercent', NULL, battery_percent FROM box_readings
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to AND battery_percent IS NOT NULL
    UNION ALL SELECT ts, 'rssiDbm', NULL, rssi_dbm FROM box_readings
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'frameRate', NULL, frame_rate FROM camera_heartbeats
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'uptimeS', NULL, uptime_s FROM camera_heartbeats
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
    UNION ALL SELECT ts, 'depositKg', category, weight_kg FROM deposits
      WHERE device_id = @deviceId AND ts >= @from AND ts < @to
  )
  ORDER BY ts DESC, metric DESC, category DESC
  LIMIT @limit
`;

export class SqliteTimeSeriesStore implements TimeSeriesStore {
  readonly utcOffsetMinutes: number;
  private closed = false;
  private readonly writeAll: (records: readonly TimeSeriesRecord[]) => void;
  private readonly selectSeries;
  private readonly selectTonnage;
  private readonly selectTonnageOfSubdistrict;
  private readonly selectFillHourly;
  private readonly chain: ReturnType<typeof openChainTables>;
  private readonly selectParticipation;
  /** WAL checkpoints off the event loop (a file in WAL mode only). */
  private readonly checkpointer: WalCheckpointer | null;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteTimeSeriesStoreOptions,
  ) {
    if (!Number.isInteger(options.utcOffsetMinutes)) throw new RangeError('utcOffsetMinutes must be an integer');
    this.utcOffsetMinutes = options.utcOffsetMinutes;
    db.exec(TIMESERIES_SCHEMA);
    this.migrateDepositsResident();
    this.alignRollupOffset();
    this.backfillFillHourly();
    this.chain = openChainTables(db);
    this.checkpointer = this.checkpointOffThread();

    const insert = {
      boxReading: db.prepare(
        `INSERT OR IGNORE INTO box_readings (device_id, ts, temperature_c, battery_percent, rssi_dbm, lid_open)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      compartment: db.prepare(
        `INSERT OR IGNORE INTO compartment_readings (device_id, ts, category, filling_level, weight_kg, overflow)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      heartbeat: db.prepare(
        `INSERT OR IGNORE INTO camera_heartbeats (device_id, ts, stream_ok, frame_rate, uptime_s) VALUES (?, ?, ?, ?, ?)`,
      ),
      status: db.prepare(`INSERT OR IGNORE INTO device_status (device_id, ts, online) VALUES (?, ?, ?)`),
      deposit: db.prepare(
        `INSERT OR IGNORE INTO deposits (device_id, event_id, ts, category, weight_kg, points, subdistrict, community, resident_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      fillHourly: db.prepare(UPSERT_FILL_HOURLY),
      rollup: db.prepare(
        `INSERT INTO tonnage_daily (day, subdistrict, category, mg, deposits) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (day, subdistrict, category) DO UPDATE SET mg = mg + excluded.mg, deposits = deposits + excluded.deposits`,
      ),
      fault: db.prepare(`INSERT OR IGNORE INTO faults (device_id, event_id, ts, fault, active) VALUES (?, ?, ?, ?, ?)`),
      detection: db.prepare(
        `INSERT OR IGNORE INTO detections (device_id, event_id, phase, ts, type, confidence, zone, snapshot_ref)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    const bool = (b: boolean): number => (b ? 1 : 0);

    this.writeAll = db.transaction((records: readonly TimeSeriesRecord[]) => {
      // Rollups are summed per row and folded in once per write (core/batch-rollups.ts): a
      // journal batch's ~5,150 compartment readings touch ~2,300 rows, its ~190 deposits ~20.
      const tonnage = new TonnageBatch(this.utcOffsetMinutes);
      const fill = new FillHourlyBatch();
      for (const r of records) {
        const id = r.tags.deviceId;
        switch (r.type) {
          case 'box_reading':
            insert.boxReading.run(id, r.ts, r.temperatureC, r.batteryPercent, r.rssiDbm, bool(r.lidOpen));
            for (const c of r.compartments) {
              const info = insert.compartment.run(id, r.ts, c.category, c.fillingLevel, c.weightKg, c.overflow === undefined ? null : bool(c.overflow));
              // Only a reading seen for the first time is folded into its hour (replays are no-ops).
              if (info.changes === 1) fill.add(id, r.ts, c.category, c.fillingLevel);
            }
            break;
          case 'deposit': {
            const info = insert.deposit.run(
              id, r.eventId, r.ts, r.category, r.weightKg, r.points, r.tags.subdistrict, r.tags.community, r.residentHash ?? null,
            );
            // Only a deposit seen for the first time counts: a replay inserted nothing.
            if (info.changes === 1) tonnage.add(r.ts, r.tags.subdistrict, r.category, r.weightKg);
            break;
          }
          case 'collection':
          case 'weigh_ticket':
          case 'sorting_report':
            this.chain.write(r);
            break;
          case 'fault':
            insert.fault.run(id, r.eventId, r.ts, r.fault, bool(r.active));
            break;
          case 'camera_heartbeat':
            insert.heartbeat.run(id, r.ts, bool(r.streamOk), r.frameRate, r.uptimeS);
            break;
          case 'detection':
            insert.detection.run(id, r.eventId, r.phase, r.ts, r.detectionType, r.confidence, r.zone, r.snapshotRef);
            break;
          case 'status':
            insert.status.run(id, r.ts, bool(r.online));
            break;
        }
      }
      for (const row of tonnage.deltas()) insert.rollup.run(row.day, row.subdistrict, row.category, row.mg, row.deposits);
      for (const row of fill.deltas()) insert.fillHourly.run(row);
    });

    this.selectSeries = db.prepare(SERIES_SQL);
    // kg straight from SQL: mg / 1e6 is the same IEEE division as milligramsToKg, and a year is
    // ~15,000 rows, which copying into new objects in JavaScript took as long as the query.
    const tonnageSql = `SELECT day, category, subdistrict, mg / 1000000.0 AS kg, deposits FROM tonnage_daily WHERE day >= ? AND day <= ?`;
    this.selectTonnage = db.prepare(`${tonnageSql} ORDER BY day, subdistrict, category`);
    this.selectTonnageOfSubdistrict = db.prepare(`${tonnageSql} AND subdistrict = ? ORDER BY day, subdistrict, category`);
    this.selectParticipation = db.prepare(PARTICIPATION_SQL);
    this.selectFillHourly = db.prepare(
      `SELECT hour, device_id AS deviceId, category, max_filling_level AS maxFillingLevel,
              last_filling_level AS lastFillingLevel, last_ts AS lastTs
       FROM fill_hourly WHERE device_id = ? AND hour > ? AND hour < ? ORDER BY hour, category`,
    );
  }

  async write(records: readonly TimeSeriesRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.writeAll(records);
    if (this.checkpointer) this.checkpointAfterWrite(this.checkpointer);
  }

  /** The newest `limit` points of the range, returned oldest first. */
  async deviceSeries(deviceId: string, range: TimeRange, limit: number): Promise<SeriesPoint[]> {
    if (!(limit > 0)) return [];
    const rows = this.selectSeries.all({ deviceId, from: range.from, to: range.to, limit: Math.floor(limit) }) as SeriesRow[];
    return rows.reverse().map((row) => ({
      ts: new Date(row.ts).toISOString(),
      metric: row.metric,
      category: row.category,
      value: row.value,
    }));
  }

  async tonnage(query: TonnageQuery): Promise<TonnageRow[]> {
    if (query.utcOffsetMinutes !== this.utcOffsetMinutes) {
      throw new RangeError(
        `tonnage is rolled up at UTC offset ${this.utcOffsetMinutes} min; a query at ${query.utcOffsetMinutes} min cannot be answered`,
      );
    }
    return (
      query.subdistrict === undefined
        ? this.selectTonnage.all(query.fromDay, query.toDay)
        : this.selectTonnageOfSubdistrict.all(query.fromDay, query.toDay, query.subdistrict)
    ) as TonnageRow[];
  }

  async participation(query: ParticipationQuery): Promise<ParticipationRow[]> {
    const rows = this.selectParticipation.all({
      from: query.range.from,
      to: query.range.to,
      subdistrict: query.subdistrict ?? null,
    }) as (Omit<ParticipationRow, 'kg'> & { mg: number })[];
    return rows.map(({ mg, ...row }) => ({ ...row, kg: milligramsToKg(mg) }));
  }

  async weighTickets(range: TimeRange): Promise<WeighTicketRecord[]> {
    return this.chain.weighTickets(range);
  }

  async sortingReports(range: TimeRange): Promise<SortingReportRecord[]> {
    return this.chain.sortingReports(range);
  }

  async collections(range: TimeRange): Promise<CollectionRecord[]> {
    return this.chain.collections(range);
  }

  /**
   * The hourly fill-level rollup of one device: every hour overlapping [from, to), oldest first
   * (then by category). Kept beyond the raw readings' retention.
   */
  async fillHourly(deviceId: string, range: TimeRange): Promise<FillHourlyRow[]> {
    return this.selectFillHourly.all(deviceId, range.from - HOUR_MS, range.to) as FillHourlyRow[];
  }

  /**
   * Retention: deletes raw readings (box and compartment readings, camera heartbeats, device
   * status) stamped before cutoffMs, in batches of `batchSize` rows with an event-loop turn
   * between batches so ingest is never blocked for long. Events (deposits, collections, faults,
   * detections), the daily tonnage rollup and the hourly fill rollup are kept, so tonnage() and
   * fillHourly() are unchanged.
   */
  async pruneRawBefore(cutoffMs: number, options: PruneOptions = {}): Promise<PruneResult> {
    if (!Number.isSafeInteger(cutoffMs)) throw new RangeError(`cutoff ${cutoffMs} is not an epoch millisecond`);
    const limit = options.batchSize ?? 5_000;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`batchSize ${limit}`);
    const result = Object.fromEntries(RAW_TABLES.map((t) => [t.table, 0])) as PruneResult;
    for (const entry of RAW_TABLES) {
      if (this.closed) return result; // closed between batches: stop quietly
      const statement = this.db.prepare(pruneBatchSql(entry));
      let deleted = 0;
      for (;;) {
        const { changes } = statement.run({ cutoff: cutoffMs, limit });
        deleted += changes;
        if (changes < limit) break;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.closed) break;
      }
      result[entry.table] = deleted;
    }
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer?.stop();
    this.db.close();
  }

  /**
   * SQLite checkpoints the WAL inside the COMMIT that passes 1,000 pages, on this thread; the
   * worker does it instead (adapters/wal-checkpointer.ts). Should it fail, SQLite does it again.
   */
  private checkpointOffThread(): WalCheckpointer | null {
    if (this.db.memory || this.db.pragma('journal_mode', { simple: true }) !== 'wal') return null;
    this.db.pragma('wal_autocheckpoint = 0');
    // A log the worker reset is cut back to this size, so a burst does not keep the disk.
    this.db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    return new WalCheckpointer(this.db.name, () => {
      if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
    });
  }

  /**
   * The worker checkpoints between writes; under writes that never pause it cannot finish, and
   * the log would grow without end. Past WAL_LIMIT_BYTES this thread checkpoints itself (RESTART:
   * the next write starts the log again), as SQLite did before, only rarely.
   */
  private checkpointAfterWrite(checkpointer: WalCheckpointer): void {
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.db.name}-wal`).size;
    } catch {
      // No log file (yet): nothing to checkpoint.
    }
    if (walBytes > WAL_LIMIT_BYTES) this.db.pragma('wal_checkpoint(RESTART)');
    else checkpointer.request();
  }

  /** See DEPOSITS_RESIDENT_MIGRATION; IMMEDIATE so two processes opening the file cannot both ALTER. */
  private migrateDepositsResident(): void {
    this.db.transaction(() => {
      const columns = this.db.prepare('PRAGMA table_info(deposits)').all() as { name: string }[];
      if (DEPOSITS_RESIDENT_MIGRATION.needed(columns)) this.db.exec(DEPOSITS_RESIDENT_MIGRATION.addColumn);
      this.db.exec(DEPOSITS_RESIDENT_MIGRATION.index);
    }).immediate();
  }

  /** Builds the hourly fill rollup once from the readings of a file written before it existed. */
  private backfillFillHourly(): void {
    if (this.db.prepare('SELECT 1 FROM store_meta WHERE key = ?').get(FILL_HOURLY_KEY)) return;
    this.db.transaction(() => {
      this.db.exec(BACKFILL_FILL_HOURLY);
      this.db.prepare('INSERT INTO store_meta (key, value) VALUES (?, ?)').run(FILL_HOURLY_KEY, '1');
    })();
  }

  /** Rebuilds the rollup when the file was rolled up at another offset (or never recorded one). */
  private alignRollupOffset(): void {
    const stored = this.db.prepare('SELECT value FROM store_meta WHERE key = ?').get(OFFSET_KEY) as
      | { value: string }
      | undefined;
    if (stored && Number(stored.value) === this.utcOffsetMinutes) return;
    this.db.transaction(() => {
      this.db.exec('DELETE FROM tonnage_daily');
      this.db.prepare(REBUILD_TONNAGE_DAILY).run({ offsetMs: this.utcOffsetMinutes * 60_000 });
      this.db
        .prepare('INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(OFFSET_KEY, String(this.utcOffsetMinutes));
    })();
  }
}

/**
 * Tables of the embedded time-series store. Every primary key is the record's idempotency
 * key, so INSERT OR IGNORE makes a replay a no-op. Event keys include the device id: event
 * ids are made by devices, and two devices may well pick the same one.
 */
export const TIMESERIES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS box_readings (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,            -- device time, epoch ms
    temperature_c REAL NOT NULL,
    battery_percent REAL,
    rssi_dbm REAL NOT NULL,
    lid_open INTEGER NOT NULL,
    PRIMARY KEY (device_id, ts)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS compartment_readings (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    category TEXT NOT NULL,
    filling_level REAL NOT NULL,
    weight_kg REAL NOT NULL,
    overflow INTEGER,
    PRIMARY KEY (device_id, ts, category)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS camera_heartbeats (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    stream_ok INTEGER NOT NULL,
    frame_rate REAL NOT NULL,
    uptime_s INTEGER NOT NULL,
    PRIMARY KEY (device_id, ts)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS device_status (
    device_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    online INTEGER NOT NULL,
    PRIMARY KEY (device_id, ts)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS deposits (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    category TEXT NOT NULL,
    weight_kg REAL NOT NULL,
    points INTEGER NOT NULL,
    subdistrict TEXT NOT NULL,      -- tags at write time, so the rollup can be rebuilt
    community TEXT NOT NULL,
    resident_hash TEXT,             -- the card's SHA-256 (issue 14); NULL in rows from before it was kept
    PRIMARY KEY (device_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS deposits_device_ts ON deposits (device_id, ts);

  CREATE TABLE IF NOT EXISTS collections (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    category TEXT NOT NULL,
    ts INTEGER NOT NULL,
    weight_kg REAL NOT NULL,
    collector_id TEXT NOT NULL,
    vehicle_id TEXT NOT NULL,
    subdistrict TEXT NOT NULL,
    PRIMARY KEY (device_id, event_id, category)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS collections_device_ts ON collections (device_id, ts);

  CREATE TABLE IF NOT EXISTS faults (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ts INTEGER NOT NULL,
    fault TEXT NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (device_id, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS faults_device_ts ON faults (device_id, ts);

  CREATE TABLE IF NOT EXISTS detections (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    phase TEXT NOT NULL,
    ts INTEGER NOT NULL,
    type TEXT NOT NULL,
    confidence REAL NOT NULL,
    zone TEXT NOT NULL,
    snapshot_ref TEXT NOT NULL,
    PRIMARY KEY (device_id, event_id, phase, ts)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS detections_device_ts ON detections (device_id, ts);

  -- Raw readings are pruned by age (pruneRawBefore): these indexes find the oldest rows.
  CREATE INDEX IF NOT EXISTS box_readings_ts ON box_readings (ts);
  CREATE INDEX IF NOT EXISTS compartment_readings_ts ON compartment_readings (ts);
  CREATE INDEX IF NOT EXISTS camera_heartbeats_ts ON camera_heartbeats (ts);
  CREATE INDEX IF NOT EXISTS device_status_ts ON device_status (ts);

  -- Deposited mass per district-local day: tonnage reads this, never the deposits table,
  -- so a year's report costs ~366 x 6 x 7 rows instead of millions. Integer milligrams keep
  -- the sums exact whatever order deposits arrive in.
  CREATE TABLE IF NOT EXISTS tonnage_daily (
    day TEXT NOT NULL,              -- YYYY-MM-DD at store_meta.utc_offset_minutes
    subdistrict TEXT NOT NULL,
    category TEXT NOT NULL,
    mg INTEGER NOT NULL,
    deposits INTEGER NOT NULL,
    PRIMARY KEY (day, subdistrict, category)
  ) WITHOUT ROWID;

  -- Fill level per UTC hour (the same hours as local ones at whole-hour offsets) x device x
  -- compartment, kept in the transaction that inserts the compartment reading. Never pruned:
  -- fill history outlives the raw readings' retention.
  CREATE TABLE IF NOT EXISTS fill_hourly (
    device_id TEXT NOT NULL,
    hour INTEGER NOT NULL,          -- hour start, epoch ms
    category TEXT NOT NULL,
    max_filling_level REAL NOT NULL,
    last_filling_level REAL NOT NULL,
    last_ts INTEGER NOT NULL,       -- ts of the reading last_filling_level comes from
    PRIMARY KEY (device_id, hour, category)
  ) WITHOUT ROWID;
`;

export const HOUR_MS = 3_600_000;

/**
 * Folds newly inserted compartment readings of one hour into it: one reading, or a write's
 * readings of that hour summed in memory first (core/batch-rollups.ts FillHourDelta:
 * @deviceId, @hour, @category, @maxLevel, @lastLevel, @lastTs).
 */
export const UPSERT_FILL_HOURLY = `
  INSERT INTO fill_hourly (device_id, hour, category, max_filling_level, last_filling_level, last_ts)
  VALUES (@deviceId, @hour, @category, @maxLevel, @lastLevel, @lastTs)
  ON CONFLICT (device_id, hour, category) DO UPDATE SET
    max_filling_level = MAX(max_filling_level, excluded.max_filling_level),
    last_filling_level = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_filling_level ELSE last_filling_level END,
    last_ts = MAX(last_ts, excluded.last_ts)
`;

/**
 * Fills the hourly rollup from the compartment readings still stored; run once, when a file
 * written before the rollup existed is opened (INSERT OR IGNORE leaves hours already there).
 */
export const BACKFILL_FILL_HOURLY = `
  INSERT OR IGNORE INTO fill_hourly (device_id, hour, category, max_filling_level, last_filling_level, last_ts)
  SELECT device_id, hour, category, MAX(filling_level), MAX(last_level), MAX(ts) FROM (
    SELECT device_id, (ts / ${HOUR_MS}) * ${HOUR_MS} AS hour, category, filling_level, ts,
           FIRST_VALUE(filling_level) OVER (PARTITION BY device_id, category, ts / ${HOUR_MS} ORDER BY ts DESC) AS last_level
    FROM compartment_readings
  )
  GROUP BY device_id, hour, category
`;

/**
 * Recomputes the rollup from the deposits (run after DELETE FROM tonnage_daily), e.g. when the
 * district's UTC offset changed. Same day rule as shared/units.ts localDay.
 */
export const REBUILD_TONNAGE_DAILY = `
  INSERT INTO tonnage_daily (day, subdistrict, category, mg, deposits)
  SELECT date(CAST((ts + @offsetMs) / 1000 AS INTEGER), 'unixepoch'), subdistrict, category,
         SUM(CAST(round(weight_kg * 1000000) AS INTEGER)), COUNT(*)
  FROM deposits
  GROUP BY 1, 2, 3
`;

/**
 * The raw-reading tables that retention prunes, with their primary key columns (the tables are
 * WITHOUT ROWID, so a batch is picked by key). Events (deposits, collections, faults,
 * detections), tonnage_daily and fill_hourly are never pruned.
 */
export const RAW_TABLES = [
  { table: 'box_readings', key: ['device_id', 'ts'] },
  { table: 'compartment_readings', key: ['device_id', 'ts', 'category'] },
  { table: 'camera_heartbeats', key: ['device_id', 'ts'] },
  { table: 'device_status', key: ['device_id', 'ts'] },
] as const;

export type RawTable = (typeof RAW_TABLES)[number]['table'];

/** Deletes at most @limit rows of the table older than @cutoff, oldest first, through its ts index. */
export function pruneBatchSql(entry: (typeof RAW_TABLES)[number]): string {
  const key = entry.key.join(', ');
  return `DELETE FROM ${entry.table} WHERE (${key}) IN (
    SELECT ${key} FROM ${entry.table} INDEXED BY ${entry.table}_ts WHERE ts < @cutoff ORDER BY ts LIMIT @limit
  )`;
}

/**
 * Files written before deposits kept the resident (issue 14) lack deposits.resident_hash: add
 * it, nullable, so old rows count no one. Then the index participation() reads a range by:
 * covering (every column the read needs), so a month of the district (~600,000 deposits) is
 * read from the index alone, ~1 s instead of ~4 s with a lookup of each row. Both steps are
 * no-ops on an up-to-date file.
 */
export const DEPOSITS_RESIDENT_MIGRATION = {
  needed: (columns: readonly { name: string }[]): boolean => !columns.some((c) => c.name === 'resident_hash'),
  addColumn: 'ALTER TABLE deposits ADD COLUMN resident_hash TEXT',
  index: `DROP INDEX IF EXISTS deposits_ts;
    CREATE INDEX IF NOT EXISTS deposits_participation ON deposits (ts, subdistrict, community, resident_hash, weight_kg, points)`,
} as const;

/**
 * Per community over [@from, @to): distinct residents, deposits, mg, points (participation()).
 * COUNT(DISTINCT) ignores NULL, so deposits from before residents were kept count no one.
 */
export const PARTICIPATION_SQL = `
  SELECT subdistrict, community, COUNT(DISTINCT resident_hash) AS residents, COUNT(*) AS deposits,
         SUM(CAST(round(weight_kg * 1000000) AS INTEGER)) AS mg, SUM(points) AS points
  FROM deposits
  WHERE ts >= @from AND ts < @to AND (@subdistrict IS NULL OR subdistrict = @subdistrict)
  GROUP BY subdistrict, community
  ORDER BY subdistrict, community
`;

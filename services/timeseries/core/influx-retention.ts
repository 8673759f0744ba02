/**
 * Raw-data retention on InfluxDB 1.x (RETENTION_RAW_DAYS). Pure: statements and decisions.
 *
 * Two retention policies in the database:
 *   - "raw" (DEFAULT, DURATION <RETENTION_RAW_DAYS>d): readings — box_reading, box_health,
 *     camera_heartbeat, device_status. InfluxDB drops whole expired shards, so deleting is free.
 *   - "forever" (INF): events — deposit, collection, fault, detection, weigh_ticket,
 *     sorting_report (residents' points, tonnage and the mass balance's evidence
 *     must never expire) — and the continuous queries' rollups (daily tonnage, hourly
 *     fill level, so fill history outlives the raw readings).
 * Writes name the policy per measurement (rp= on /write), reads name it in FROM.
 */
import { quoteIdent, TONNAGE_AGGREGATE, tonnageGroupBy } from './influx-query.ts';
import { MEASUREMENTS } from './influx-schema.ts';
import type { TimeSeriesRecordType } from './store.ts';

export const RAW_RP = 'raw';
export const FOREVER_RP = 'forever';
export const TONNAGE_CQ = 'cq_tonnage_daily';
export const TONNAGE_DAILY_MEASUREMENT = 'tonnage_daily';
export const FILL_CQ = 'cq_fill_hourly';
export const FILL_HOURLY_MEASUREMENT = 'fill_hourly';

// Weigh tickets and sorting reports are the mass balance's evidence (issue 14): kept like collections.
const EVENT_TYPES: ReadonlySet<TimeSeriesRecordType> = new Set([
  'deposit',
  'collection',
  'fault',
  'detection',
  'weigh_ticket',
  'sorting_report',
]);

/** The policy a record's points are written to. */
export const rpOfRecord = (type: TimeSeriesRecordType): string => (EVENT_TYPES.has(type) ? FOREVER_RP : RAW_RP);

/** The policy each measurement lives in, for reads (QueryTarget.measurementRp). */
export const MEASUREMENT_RP: Readonly<Record<string, string>> = {
  [MEASUREMENTS.boxReading]: RAW_RP,
  [MEASUREMENTS.boxHealth]: RAW_RP,
  [MEASUREMENTS.cameraHeartbeat]: RAW_RP,
  [MEASUREMENTS.deviceStatus]: RAW_RP,
  [MEASUREMENTS.deposit]: FOREVER_RP,
  [MEASUREMENTS.collection]: FOREVER_RP,
  [MEASUREMENTS.fault]: FOREVER_RP,
  [MEASUREMENTS.detection]: FOREVER_RP,
  [MEASUREMENTS.weighTicket]: FOREVER_RP,
  [MEASUREMENTS.sortingReport]: FOREVER_RP,
  [TONNAGE_DAILY_MEASUREMENT]: FOREVER_RP,
  [FILL_HOURLY_MEASUREMENT]: FOREVER_RP,
};

/** How SHOW RETENTION POLICIES prints a duration of whole days ("2160h0m0s"); INF is "0s". */
export const showDuration = (days: number): string => `${days * 24}h0m0s`;

export interface ExistingRp {
  name: string;
  duration: string;
  default: boolean;
}

/** The statements that bring the database's policies to the wanted state; none when it is there. */
export function retentionStatements(db: string, rawDays: number, existing: readonly ExistingRp[]): string[] {
  if (!Number.isInteger(rawDays) || rawDays < 1) throw new RangeError(`rawDays ${rawDays}`);
  const on = `ON ${quoteIdent(db)}`;
  const statements: string[] = [];
  const raw = existing.find((rp) => rp.name === RAW_RP);
  if (raw === undefined) {
    statements.push(`CREATE RETENTION POLICY ${quoteIdent(RAW_RP)} ${on} DURATION ${rawDays}d REPLICATION 1 DEFAULT`);
  } else if (raw.duration !== showDuration(rawDays) || !raw.default) {
    statements.push(`ALTER RETENTION POLICY ${quoteIdent(RAW_RP)} ${on} DURATION ${rawDays}d DEFAULT`);
  }
  const forever = existing.find((rp) => rp.name === FOREVER_RP);
  if (forever === undefined) {
    statements.push(`CREATE RETENTION POLICY ${quoteIdent(FOREVER_RP)} ${on} DURATION INF REPLICATION 1`);
  } else if (forever.duration !== '0s') {
    statements.push(`ALTER RETENTION POLICY ${quoteIdent(FOREVER_RP)} ${on} DURATION INF`);
  }
  return statements;
}

/**
 * How far back the tonnage CQ re-aggregates, every hour: a deposit that reaches InfluxDB up to
 * this late (a journal backlog after an outage) is folded into its day's rollup within the hour.
 * Later ones need rollUpTonnage() (core/influx-rollup.ts).
 */
export const TONNAGE_CQ_RESAMPLE_DAYS = 7;

/**
 * Deposits per local day × category × subdistrict into "forever"."tonnage_daily", re-run every
 * hour over the last TONNAGE_CQ_RESAMPLE_DAYS days (a plain CQ rolls a day up once, as it
 * closes, and never sees a late deposit). Rewriting a day's point overwrites it: idempotent.
 */
export function tonnageCqStatement(db: string, utcOffsetMinutes: number): string {
  const d = quoteIdent(db);
  return (
    `CREATE CONTINUOUS QUERY ${quoteIdent(TONNAGE_CQ)} ON ${d} RESAMPLE EVERY 1h FOR ${TONNAGE_CQ_RESAMPLE_DAYS}d BEGIN ` +
    `SELECT ${TONNAGE_AGGREGATE} ` +
    `INTO ${d}.${quoteIdent(FOREVER_RP)}.${quoteIdent(TONNAGE_DAILY_MEASUREMENT)} ` +
    `FROM ${d}.${quoteIdent(FOREVER_RP)}.${quoteIdent(MEASUREMENTS.deposit)} ` +
    `${tonnageGroupBy(utcOffsetMinutes)} END`
  );
}

export const dropTonnageCqStatement = (db: string): string => `DROP CONTINUOUS QUERY ${quoteIdent(TONNAGE_CQ)} ON ${quoteIdent(db)}`;

/** Max and last fillingLevel per hour × device × category into "forever"."fill_hourly". */
export function fillCqStatement(db: string): string {
  const d = quoteIdent(db);
  return (
    `CREATE CONTINUOUS QUERY ${quoteIdent(FILL_CQ)} ON ${d} BEGIN ` +
    `SELECT max("fillingLevel") AS "maxFillingLevel", last("fillingLevel") AS "lastFillingLevel" ` +
    `INTO ${d}.${quoteIdent(FOREVER_RP)}.${quoteIdent(FILL_HOURLY_MEASUREMENT)} ` +
    `FROM ${d}.${quoteIdent(RAW_RP)}.${quoteIdent(MEASUREMENTS.boxReading)} ` +
    `GROUP BY time(1h), "deviceId", "category" END`
  );
}

export const dropFillCqStatement = (db: string): string => `DROP CONTINUOUS QUERY ${quoteIdent(FILL_CQ)} ON ${quoteIdent(db)}`;

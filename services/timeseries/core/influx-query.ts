/**
 * InfluxQL text for the store's reads. Pure. InfluxQL (GET/POST /query) is the one query
 * language that 1.x, 2.x (through a DBRP mapping) and 3.x all answer; Flux is 2.x only.
 *
 * Every value is quoted here ("identifiers", 'strings'), so a device id or subdistrict can
 * never change the statement. Times are epoch milliseconds with the `ms` suffix.
 */
import { DAY_MS, localDayStart } from '../../../shared/units.ts';
import { MEASUREMENTS } from './influx-schema.ts';
import type { TimeRange, TonnageQuery } from './store.ts';

export const quoteIdent = (name: string): string => `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
export const quoteString = (value: string): string => `'${value.replace(/[\\']/g, (ch) => `\\${ch}`)}'`;

/** Where the data lives: "measurement", or "db"."rp"."measurement" when a retention policy is set. */
export interface QueryTarget {
  db: string;
  rp?: string;
  /** Per-measurement policies (managed retention: core/influx-retention.ts); wins over rp. */
  measurementRp?: Readonly<Record<string, string>>;
}

export function from(target: QueryTarget, measurement: string): string {
  const rp = target.measurementRp?.[measurement] ?? target.rp;
  return rp === undefined ? quoteIdent(measurement) : `${quoteIdent(target.db)}.${quoteIdent(rp)}.${quoteIdent(measurement)}`;
}

export function msLiteral(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${ms} is not an epoch millisecond`);
  return `${ms}ms`;
}

/** One statement per measurement the series draws on, in this order. */
export const SERIES_STATEMENTS = [
  { measurement: MEASUREMENTS.boxReading, fields: ['fillingLevel', 'weightKg'], byCategory: true },
  { measurement: MEASUREMENTS.boxHealth, fields: ['temperatureC', 'batteryPercent', 'rssiDbm'], byCategory: false },
  { measurement: MEASUREMENTS.cameraHeartbeat, fields: ['frameRate', 'uptimeS'], byCategory: false },
  { measurement: MEASUREMENTS.deposit, fields: ['weightKg'], byCategory: true },
] as const;

/**
 * The newest `limit` rows of each measurement (per category) in [from, to): every row yields at
 * least one point, so the newest `limit` points overall are among them; the result parser merges
 * and cuts to `limit`.
 */
export function deviceSeriesQuery(target: QueryTarget, deviceId: string, range: TimeRange, limit: number): string {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit ${limit}`);
  const where = `WHERE "deviceId" = ${quoteString(deviceId)} AND time >= ${msLiteral(range.from)} AND time < ${msLiteral(range.to)}`;
  return SERIES_STATEMENTS.map(
    (s) =>
      `SELECT ${s.fields.map(quoteIdent).join(', ')} FROM ${from(target, s.measurement)} ${where}` +
      `${s.byCategory ? ' GROUP BY "category"' : ''} ORDER BY time DESC LIMIT ${limit}`,
  ).join('; ');
}

/**
 * GROUP BY time offset that makes InfluxDB's day buckets start at local midnight. Buckets start
 * at epoch + offset + k·1d; local midnight at UTC+8 is 16:00 UTC, i.e. offset −8h (≡ +16h).
 * A fixed offset rather than tz('Asia/Shanghai'): the configuration is an offset in minutes,
 * and it needs no time zone database on the server.
 */
export const dayBucketOffset = (utcOffsetMinutes: number): string => `${-utcOffsetMinutes}m`;

/** The instants [from, to) covering the local days fromDay..toDay. */
export function tonnageRange(query: TonnageQuery): TimeRange {
  const from = localDayStart(query.fromDay, query.utcOffsetMinutes);
  const to = localDayStart(query.toDay, query.utcOffsetMinutes) + DAY_MS;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError(`not days: ${query.fromDay}..${query.toDay}`);
  return { from, to };
}

/**
 * The one definition of the tonnage aggregation over deposits: the raw scan below, the daily
 * rollup's continuous query and its backfill (core/influx-rollup.ts) all use it, so the
 * rollup holds exactly what the raw scan would answer.
 */
export const TONNAGE_AGGREGATE = 'SUM("weightKg") AS "kg", COUNT("weightKg") AS "deposits"';
export const tonnageGroupBy = (utcOffsetMinutes: number): string =>
  `GROUP BY time(1d, ${dayBucketOffset(utcOffsetMinutes)}), "category", "subdistrict"`;

/** Deposited kg and deposit count per local day × category × subdistrict. */
export function tonnageQuery(target: QueryTarget, query: TonnageQuery): string {
  if (!Number.isInteger(query.utcOffsetMinutes)) throw new RangeError('utcOffsetMinutes must be an integer');
  return rawTonnageQuery(target, tonnageRange(query), query.utcOffsetMinutes, query.subdistrict);
}

/** The raw scan over [from, to), which must start and end on local midnights. */
export function rawTonnageQuery(target: QueryTarget, range: TimeRange, utcOffsetMinutes: number, subdistrict?: string): string {
  return (
    `SELECT ${TONNAGE_AGGREGATE} FROM ${from(target, MEASUREMENTS.deposit)}` +
    ` WHERE time >= ${msLiteral(range.from)} AND time < ${msLiteral(range.to)}${subdistrictFilter(subdistrict)}` +
    ` ${tonnageGroupBy(utcOffsetMinutes)} fill(none)`
  );
}

export const subdistrictFilter = (subdistrict: string | undefined): string =>
  subdistrict === undefined ? '' : ` AND "subdistrict" = ${quoteString(subdistrict)}`;

/** Idempotent on 1.x: creating an existing database is a no-op. */
export const createDatabaseStatement = (db: string): string => `CREATE DATABASE ${quoteIdent(db)}`;
export const dropDatabaseStatement = (db: string): string => `DROP DATABASE ${quoteIdent(db)}`;

/**
 * Which time-series store the platform runs: InfluxDB when INFLUX_URL is set, else the
 * embedded SQLite file. The composition root needs one line:
 *
 *   const timeseries = await openTimeSeriesStore(config, () => openDatabase(join(config.DATA_DIR, 'timeseries.db')));
 *
 * openSqlite is only called for SQLite, so no file appears when InfluxDB is used.
 */
import { type Config, ConfigError } from '../../../shared/config.ts';
import { isRetriable } from '../../../shared/retry.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { TimeSeriesStore } from '../core/store.ts';
import { InfluxTimeSeriesStore, type InfluxStoreConfig } from './influx-store.ts';
import { SqliteTimeSeriesStore } from './sqlite-store.ts';

export interface CreateStoreOptions {
  /** InfluxDB only: told about records the server refused (to dead-letter them). */
  onRejected?: InfluxStoreConfig['onRejected'];
  /** InfluxDB only: replaces fetch for v1 writes, queries and ping (tests). */
  fetch?: typeof fetch;
  /**
   * InfluxDB only: it did not answer at start-up. The platform starts anyway (issue 15): the
   * journal keeps device data and the store sets itself up on first use once it answers.
   */
  onUnreachable?: (error: Error) => void;
}

type InfluxConfigKeys =
  | 'INFLUX_URL'
  | 'INFLUX_API'
  | 'INFLUX_TOKEN'
  | 'INFLUX_ORG'
  | 'INFLUX_BUCKET'
  | 'INFLUX_DB'
  | 'INFLUX_RP'
  | 'INFLUX_USER'
  | 'INFLUX_PASSWORD'
  | 'DISTRICT_UTC_OFFSET_MIN';

/** The InfluxDB store's settings from the configuration; ConfigError names what is missing. */
export function influxStoreConfig(
  config: Pick<Config, InfluxConfigKeys> & Partial<Pick<Config, 'RETENTION_RAW_DAYS'>>,
  options: CreateStoreOptions = {}): InfluxStoreConfig {
  const url = config.INFLUX_URL;
  if (url === undefined) throw new ConfigError('INFLUX_URL: required for the InfluxDB store');
  const problems: string[] = [];
  if (config.INFLUX_API === 'v2') {
    if (config.INFLUX_TOKEN === undefined) problems.push('INFLUX_TOKEN: required when INFLUX_API=v2 (an API token with write access to the bucket)');
    if (config.INFLUX_ORG === undefined) problems.push('INFLUX_ORG: required when INFLUX_API=v2 (the organisation owning INFLUX_BUCKET)');
  } else {
    if (config.INFLUX_USER !== undefined && config.INFLUX_PASSWORD === undefined) problems.push('INFLUX_PASSWORD: required when INFLUX_USER is set');
    if (config.INFLUX_PASSWORD !== undefined && config.INFLUX_USER === undefined) problems.push('INFLUX_USER: required when INFLUX_PASSWORD is set');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    url,
    api: config.INFLUX_API,
    token: config.INFLUX_TOKEN,
    org: config.INFLUX_ORG,
    bucket: config.INFLUX_BUCKET,
    db: config.INFLUX_DB,
    rp: config.INFLUX_RP,
    user: config.INFLUX_USER,
    password: config.INFLUX_PASSWORD,
    utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN,
    // v1 without INFLUX_RP: the store manages the "raw"/"forever" retention policies.
    rawRetentionDays: config.RETENTION_RAW_DAYS,
    fetch: options.fetch,
    onRejected: options.onRejected,
  };
}

/** The store, not yet checked: one with the init() capability (InfluxDB) needs it before use. */
export function createTimeSeriesStore(
  config: Config,
  openSqlite: () => SqliteDatabase,
  options: CreateStoreOptions = {},
): TimeSeriesStore {
  if (config.INFLUX_URL !== undefined) return new InfluxTimeSeriesStore(influxStoreConfig(config, options));
  return new SqliteTimeSeriesStore(openSqlite(), { utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN });
}

/**
 * createTimeSeriesStore plus the start-up check (InfluxDB: ping, and the 1.x database exists).
 * An unreachable server (a retriable failure) does not stop start-up: onUnreachable is told.
 * One that answers with a refusal (bad token, no permission) does: that is configuration.
 */
export async function openTimeSeriesStore(
  config: Config,
  openSqlite: () => SqliteDatabase,
  options: CreateStoreOptions = {},
): Promise<TimeSeriesStore> {
  const store = createTimeSeriesStore(config, openSqlite, options);
  if (store.init !== undefined) {
    try {
      await store.init();
    } catch (error) {
      if (!isRetriable(error)) throw error;
      options.onUnreachable?.(error as Error);
    }
  }
  return store;
}

/**
 * The time-series store on InfluxDB (1.x over /write, or 1.8+/2.x/3.x over /api/v2/write; reads
 * in InfluxQL over /query everywhere). Schema and idempotency: core/influx-schema.ts and
 * docs/influxdb.md.
 *
 * write() makes one attempt: it resolves when the batch is stored apart from lines the server
 * (or the encoder) rejected, which are set aside with their reason, and rejects with an
 * InfluxWriteError (retriable or not, retryAfterMs) when the batch was not stored. Retrying is
 * the caller's job: replays are harmless, since a rewritten point overwrites itself.
 *
 * The platform starts while InfluxDB is unreachable (issue 15): the broker, journal, alerts and
 * API do not depend on it. So a store whose init() failed (ping, 1.x database, retention
 * policies) sets itself up on first use: every write and read first completes init(), tried
 * again on the next call while it fails. Until then writes reject (the journal's 'timeseries' consumer keeps
 * the batch and retries: nothing is lost) and reads reject (the API answers 503). health() says
 * whether the server answered the last request.
 */
import type { SeriesPoint, TonnageRow } from '../../../shared/contracts/index.ts';
import { createDatabaseStatement, deviceSeriesQuery, type QueryTarget, quoteIdent, tonnageQuery } from '../core/influx-query.ts';
import { seriesFromResults, tonnageFromResults } from '../core/influx-results.ts';
import { PARTICIPATION_STATEMENTS, participationFromResults, participationQuery } from '../core/influx-participation.ts';
import { formatLine, type LinePoint, UnencodableError } from '../core/influx-line-protocol.ts';
import { type EncodedBatch, InfluxLineEncoder } from '../core/influx-encode.ts';
import {
  dropFillCqStatement,
  dropTonnageCqStatement,
  fillCqStatement,
  type ExistingRp,
  MEASUREMENT_RP,
  RAW_RP,
  retentionStatements,
  rpOfRecord,
  tonnageCqStatement,
} from '../core/influx-retention.ts';
import { InfluxWriteError } from '../core/influx-write-errors.ts';
import type { StoreHealth } from '../core/store.ts';
import {
  collectionsFromResults,
  collectionsQuery,
  sortingReportsFromResults,
  sortingReportsQuery,
  weighTicketsFromResults,
  weighTicketsQuery,
} from '../core/influx-chain.ts';
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
import { type InfluxConnection, InfluxHttp } from './influx-http.ts';
import { readTonnage, type RollupConnection, rollUpTonnage } from './influx-rollup.ts';

export interface InfluxStoreConfig extends InfluxConnection {
  /** The district's offset; tonnage answers queries at this offset only, like the SQLite store. */
  utcOffsetMinutes: number;
  /** Told about every record part that was set aside, so it can be dead-lettered. */
  onRejected?: (report: WriteReport) => void;
  /**
   * RETENTION_RAW_DAYS. v1 without an explicit rp only: init() sets up the "raw" (this many
   * days, DEFAULT) and "forever" retention policies and the daily tonnage continuous query;
   * readings are written to "raw", events to "forever" (core/influx-retention.ts). Unset, or
   * with INFLUX_RP or v2: everything goes where it went before (v2: the bucket's retention).
   */
  rawRetentionDays?: number;
}

export interface RejectedRecord {
  record: TimeSeriesRecord;
  /** The refused line protocol line, or null when the record could not be encoded at all. */
  line: string | null;
  reason: string;
}

export interface WriteReport {
  /** Lines the server accepted. */
  written: number;
  rejected: RejectedRecord[];
  /** The server dropped points without naming them (1.x: field type conflict, retention). */
  unattributed: string | null;
}

/** What writePoints() stored and set aside. */
export interface PointsWriteReport {
  written: number;
  rejected: { line: string | null; reason: string }[];
  unattributed: string | null;
}

export class InfluxTimeSeriesStore implements TimeSeriesStore {
  readonly utcOffsetMinutes: number;
  private readonly http: InfluxHttp;
  private readonly target: QueryTarget;
  private closed = false;
  /** Managed retention (see rawRetentionDays): write readings to "raw", events to "forever". */
  readonly managedRetention: boolean;
  /** init() failed: it must succeed before the next write or read. */
  private needsInit = false;
  private initializing: Promise<void> | null = null;
  private reachability: StoreHealth = { store: 'influxdb', up: false, since: null, error: 'not reached yet' };
  /** Kept across writes: it escapes each device's tag values once, not once per line. */
  private readonly encoder = new InfluxLineEncoder();

  constructor(private readonly config: InfluxStoreConfig) {
    if (!Number.isInteger(config.utcOffsetMinutes)) throw new RangeError('utcOffsetMinutes must be an integer');
    this.utcOffsetMinutes = config.utcOffsetMinutes;
    this.http = new InfluxHttp(config);
    // With a retention policy, 1.x writes land in it, so reads must name it too.
    this.managedRetention = config.api === 'v1' && config.rp === undefined && config.rawRetentionDays !== undefined;
    this.target = this.managedRetention
      ? { db: config.db, measurementRp: MEASUREMENT_RP }
      : { db: config.db, rp: config.api === 'v1' ? config.rp : undefined };
  }

  /** Set-up: the server answers, and (1.x) the database and retention policies exist. Done once it succeeds. */
  async init(): Promise<void> {
    try {
      await this.tracked(async () => {
        await this.http.ping();
        if (this.config.api === 'v1') await this.http.query(createDatabaseStatement(this.config.db));
        if (this.managedRetention) await this.ensureRetention(this.config.rawRetentionDays!);
      });
    } catch (error) {
      this.needsInit = true;
      throw error;
    }
    this.needsInit = false;
  }

  /** Whether InfluxDB answered the last request (false until it first has). */
  health(): StoreHealth {
    return { ...this.reachability };
  }

  /** After a failed init(), init() again before any use; concurrent callers share one attempt. */
  private ensureReady(): Promise<void> {
    if (!this.needsInit) return Promise.resolve();
    this.initializing ??= this.init().finally(() => {
      this.initializing = null;
    });
    return this.initializing;
  }

  /** Runs one conversation with the server and notes whether it answered (a retriable failure: it did not). */
  private async tracked<T>(run: () => Promise<T>): Promise<T> {
    try {
      const value = await run();
      if (!this.reachability.up) this.reachability = { store: 'influxdb', up: true, since: Date.now(), error: null };
      return value;
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable === true) {
        const message = error instanceof Error ? error.message : String(error);
        const since = this.reachability.up || this.reachability.since === null ? Date.now() : this.reachability.since;
        this.reachability = { store: 'influxdb', up: false, since, error: message };
      }
      throw error;
    }
  }

  /** A write that did not go through is an error here (tracked as such). */
  private async writeLines(lines: readonly string[], rp: string | undefined) {
    await this.ensureReady();
    return this.tracked(async () => {
      const verdict = await this.http.write(lines, rp);
      if (verdict.kind === 'failed') throw verdict.error;
      return verdict;
    });
  }

  private async query(statement: string, statements?: number) {
    await this.ensureReady();
    return this.tracked(() => this.http.query(statement, statements));
  }

  /** Creates or alters the "raw" and "forever" policies, and (re)creates the tonnage and fill CQs. */
  private async ensureRetention(rawDays: number): Promise<void> {
    const { db } = this.config;
    const [policies] = await this.http.query(`SHOW RETENTION POLICIES ON ${quoteIdent(db)}`);
    const existing: ExistingRp[] = (policies ?? []).flatMap((series) => {
      const col = (name: string) => series.columns.indexOf(name);
      return series.values.map((row) => ({
        name: String(row[col('name')]),
        duration: String(row[col('duration')]),
        default: row[col('default')] === true,
      }));
    });
    for (const statement of retentionStatements(db, rawDays, existing)) await this.http.query(statement);
    // Creating an identical CQ is a no-op; one defined differently (another UTC offset) is
    // replaced. It only rolls up intervals from now on.
    await this.ensureCq(tonnageCqStatement(db, this.utcOffsetMinutes), dropTonnageCqStatement(db));
    await this.ensureCq(fillCqStatement(db), dropFillCqStatement(db));
  }

  private async ensureCq(create: string, drop: string): Promise<void> {
    try {
      await this.http.query(create);
    } catch (error) {
      if (!/already exists/i.test(error instanceof Error ? error.message : '')) throw error;
      await this.http.query(drop);
      await this.http.query(create);
    }
  }

  /** One attempt; see the file comment. What was set aside goes to onRejected. */
  async write(records: readonly TimeSeriesRecord[]): Promise<void> {
    await this.writeReporting(records);
  }

  /** write(), returning what was set aside as well. */
  async writeReporting(records: readonly TimeSeriesRecord[]): Promise<WriteReport> {
    if (this.closed) {
      throw new InfluxWriteError('the InfluxDB store is closed', { kind: 'rejected', retriable: false });
    }
    const batch = this.encoder.encode(records);
    const report: WriteReport = {
      written: 0,
      rejected: batch.unencodable.map(({ index, reason }) => ({ record: records[index]!, line: null, reason })),
      unattributed: null,
    };
    const unattributed: string[] = [];
    // One request per batch, or with managed retention one per retention policy (a replay is
    // harmless if a later request fails after an earlier one was stored).
    for (const { rp, lines, lineIndexes } of this.requestsOf(records, batch)) {
      if (lines.length === 0) continue;
      const verdict = await this.writeLines(lines, rp);
      report.written += lines.length;
      if (verdict.kind === 'partial') {
        for (const { lineNumber, reason } of verdict.rejected) {
          const i = lineIndexes ? lineIndexes[lineNumber - 1]! : lineNumber - 1;
          report.rejected.push({ record: records[batch.recordOf[i]!]!, line: batch.lines[i]!, reason });
        }
        report.written -= verdict.rejected.length;
        if (verdict.unattributed !== null) unattributed.push(verdict.unattributed);
      }
    }
    if (unattributed.length > 0) report.unattributed = unattributed.join('; ');
    if (report.rejected.length > 0 || report.unattributed !== null) this.config.onRejected?.(report);
    return report;
  }

  /**
   * The requests of one encoded batch: all its lines in one, or with managed retention one per
   * retention policy, with the batch index of each line (absent: the same as in the request).
   */
  private requestsOf(
    records: readonly TimeSeriesRecord[],
    batch: EncodedBatch,
  ): { rp: string | undefined; lines: readonly string[]; lineIndexes?: number[] }[] {
    if (!this.managedRetention) return [{ rp: undefined, lines: batch.lines }];
    const groups = new Map<string, { rp: string; lines: string[]; lineIndexes: number[] }>();
    batch.lines.forEach((line, i) => {
      const rp = rpOfRecord(records[batch.recordOf[i]!]!.type);
      let group = groups.get(rp);
      if (!group) groups.set(rp, (group = { rp, lines: [], lineIndexes: [] }));
      group.lines.push(line);
      group.lineIndexes.push(i);
    });
    return [...groups.values()];
  }

  /**
   * Points that are not device records (the operations snapshot, core/ops-snapshot.ts) through
   * the same write path: one attempt, no retry; under managed retention into "raw", with the
   * readings. Resolves with what was set aside (unencodable, or refused by the server); rejects
   * with an InfluxWriteError when nothing was stored.
   */
  async writePoints(points: readonly LinePoint[]): Promise<PointsWriteReport> {
    if (this.closed) {
      throw new InfluxWriteError('the InfluxDB store is closed', { kind: 'rejected', retriable: false });
    }
    const report: PointsWriteReport = { written: 0, rejected: [], unattributed: null };
    const lines: string[] = [];
    for (const point of points) {
      try {
        lines.push(formatLine(point));
      } catch (error) {
        if (!(error instanceof UnencodableError)) throw error;
        report.rejected.push({ line: null, reason: error.message });
      }
    }
    if (lines.length === 0) return report;
    const verdict = await this.writeLines(lines, this.managedRetention ? RAW_RP : undefined);
    report.written = lines.length;
    if (verdict.kind === 'partial') {
      for (const { lineNumber, reason } of verdict.rejected) report.rejected.push({ line: lines[lineNumber - 1] ?? null, reason });
      report.written -= verdict.rejected.length;
      report.unattributed = verdict.unattributed;
    }
    return report;
  }

  async deviceSeries(deviceId: string, range: TimeRange, limit: number): Promise<SeriesPoint[]> {
    const n = Math.floor(limit);
    if (!(n > 0) || !(range.from < range.to)) return [];
    const statement = deviceSeriesQuery(this.target, deviceId, range, n);
    return seriesFromResults(await this.query(statement, 4), n);
  }

  async tonnage(query: TonnageQuery): Promise<TonnageRow[]> {
    if (query.utcOffsetMinutes !== this.utcOffsetMinutes) {
      // InfluxDB could answer any offset, but the API must not depend on which store runs.
      throw new RangeError(
        `this store reports tonnage at UTC offset ${this.utcOffsetMinutes} min; a query at ${query.utcOffsetMinutes} min is not answered`,
      );
    }
    // Managed retention has the daily rollup (core/influx-rollup.ts); elsewhere, sum the deposits.
    if (this.managedRetention) return readTonnage(this.rollup, query, Date.now());
    const results = await this.query(tonnageQuery(this.target, query));
    return tonnageFromResults(results, query.utcOffsetMinutes);
  }

  /**
   * Backfills the daily tonnage rollup over the complete days of `range` (managed retention
   * only; otherwise there is no rollup and nothing to do). After writing many past days at once.
   */
  async rollUpTonnage(range: TimeRange): Promise<void> {
    if (this.managedRetention) await rollUpTonnage(this.rollup, range, Date.now());
  }

  private get rollup(): RollupConnection {
    return { target: this.target, utcOffsetMinutes: this.utcOffsetMinutes, query: (statement, statements) => this.query(statement, statements) };
  }

  async participation(query: ParticipationQuery): Promise<ParticipationRow[]> {
    if (!(query.range.from < query.range.to)) return [];
    const results = await this.query(participationQuery(this.target, query), PARTICIPATION_STATEMENTS);
    return participationFromResults(results);
  }

  async weighTickets(range: TimeRange): Promise<WeighTicketRecord[]> {
    if (!(range.from < range.to)) return [];
    return weighTicketsFromResults(await this.query(weighTicketsQuery(this.target, range)));
  }

  async sortingReports(range: TimeRange): Promise<SortingReportRecord[]> {
    if (!(range.from < range.to)) return [];
    return sortingReportsFromResults(await this.query(sortingReportsQuery(this.target, range)));
  }

  async collections(range: TimeRange): Promise<CollectionRecord[]> {
    if (!(range.from < range.to)) return [];
    return collectionsFromResults(await this.query(collectionsQuery(this.target, range)));
  }

  /** Nothing is buffered here, so there is nothing to flush; later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

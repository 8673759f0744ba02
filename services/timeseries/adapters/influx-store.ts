/**
 * The time-series store on InfluxDB (1.x over /write, or 1.8+/2.x/3.x over /api/v2/write; reads
 * in InfluxQL over /query everywhere). Schema and idempotency: core/influx-schema.ts and
 * docs/influxdb.md.
 *
 * write() makes one attempt: it resolves when the batch is stored apart from lines the server
 * (or the encoder) rejected, which are set aside with their reason, and rejects with an
 * InfluxWriteError (retriable or not, retryAfterMs) when the batch was not stored. Retrying is
 * the caller's job: replays are harmless, since a rewritten point overwrites itself.
 */
import type { SeriesPoint, TonnageRow } from '../../../shared/contracts/index.ts';
import { createDatabaseStatement, deviceSeriesQuery, type QueryTarget, tonnageQuery } from '../core/influx-query.ts';
import { seriesFromResults, tonnageFromResults } from '../core/influx-results.ts';
import { encodeRecords } from '../core/influx-schema.ts';
import { InfluxWriteError } from '../core/influx-write-errors.ts';
import type { TimeRange, TimeSeriesRecord, TimeSeriesStore, TonnageQuery } from '../core/store.ts';
import { type InfluxConnection, InfluxHttp } from './influx-http.ts';

export interface InfluxStoreConfig extends InfluxConnection {
  /** The district's offset; tonnage answers queries at this offset only, like the SQLite store. */
  utcOffsetMinutes: number;
  /** Told about every record part that was set aside, so it can be dead-lettered. */
  onRejected?: (report: WriteReport) => void;
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

export class InfluxTimeSeriesStore implements TimeSeriesStore {
  readonly utcOffsetMinutes: number;
  private readonly http: InfluxHttp;
  private readonly target: QueryTarget;
  private closed = false;

  constructor(private readonly config: InfluxStoreConfig) {
    if (!Number.isInteger(config.utcOffsetMinutes)) throw new RangeError('utcOffsetMinutes must be an integer');
    this.utcOffsetMinutes = config.utcOffsetMinutes;
    this.http = new InfluxHttp(config);
    // With a retention policy, 1.x writes land in it, so reads must name it too.
    this.target = { db: config.db, rp: config.api === 'v1' ? config.rp : undefined };
  }

  /** Start-up check: the server answers, and (1.x) the database exists. */
  async init(): Promise<void> {
    await this.http.ping();
    if (this.config.api === 'v1') await this.http.query(createDatabaseStatement(this.config.db));
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
    const batch = encodeRecords(records);
    const report: WriteReport = {
      written: 0,
      rejected: batch.unencodable.map(({ index, reason }) => ({ record: records[index]!, line: null, reason })),
      unattributed: null,
    };
    if (batch.lines.length > 0) {
      const verdict = await this.http.write(batch.lines);
      if (verdict.kind === 'failed') throw verdict.error;
      report.written = batch.lines.length;
      if (verdict.kind === 'partial') {
        for (const { lineNumber, reason } of verdict.rejected) {
          const i = lineNumber - 1;
          report.rejected.push({ record: records[batch.recordOf[i]!]!, line: batch.lines[i]!, reason });
        }
        report.written -= verdict.rejected.length;
        report.unattributed = verdict.unattributed;
      }
    }
    if (report.rejected.length > 0 || report.unattributed !== null) this.config.onRejected?.(report);
    return report;
  }

  async deviceSeries(deviceId: string, range: TimeRange, limit: number): Promise<SeriesPoint[]> {
    const n = Math.floor(limit);
    if (!(n > 0) || !(range.from < range.to)) return [];
    const statement = deviceSeriesQuery(this.target, deviceId, range, n);
    return seriesFromResults(await this.http.query(statement, 4), n);
  }

  async tonnage(query: TonnageQuery): Promise<TonnageRow[]> {
    if (query.utcOffsetMinutes !== this.utcOffsetMinutes) {
      // InfluxDB could answer any offset, but the API must not depend on which store runs.
      throw new RangeError(
        `this store reports tonnage at UTC offset ${this.utcOffsetMinutes} min; a query at ${query.utcOffsetMinutes} min is not answered`,
      );
    }
    const results = await this.http.query(tonnageQuery(this.target, query));
    return tonnageFromResults(results, query.utcOffsetMinutes);
  }

  /** Nothing is buffered here, so there is nothing to flush; later writes are refused. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

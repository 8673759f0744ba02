/**
 * The time-series path of ingest: the journal's 'timeseries' consumer hands its batches to
 * writeEntries(), which writes the valid messages' records in one store write. A rejected write
 * rejects the batch, and the consumer retries that same batch later, in order, for as long as
 * the store is down: nothing is buffered in memory and nothing is dropped; the journal is the
 * buffer. Replays are harmless because store writes are idempotent (readings are keyed by
 * device and time, events by eventId).
 *
 * Invalid messages are skipped silently: the live path (pipeline.ts) dead-letters them.
 */
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { isRetriable, retryAfterOf } from '../../shared/retry.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import type { JournalEntry } from '../journal/core/ports.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../timeseries/core/store.ts';
import { decodeDeviceMessage } from './core/decode.ts';
import type { IngestLimits } from './core/ports.ts';
import { toTimeSeriesRecords } from './core/records.ts';

export interface TimeSeriesWriterOptions {
  registry: Pick<FleetRegistry, 'get'>;
  store: TimeSeriesStore;
  /** The same limits as the live path, so both agree on which entries are valid. */
  limits: IngestLimits;
  logger: Logger;
  metrics: Registry;
  /** Whether a registry vehicle has this plate (weigh tickets, issue 14); absent: every plate is unknown. */
  isKnownPlate?: (plate: string) => boolean;
}

export class TimeSeriesWriter {
  private readonly logger: Logger;
  private readonly recordsWritten: Counter;
  private readonly storeWriteErrors: Counter;
  private readonly unknownPlates: Counter;
  /** One warning per outage; the retries after it only at debug. */
  private failing = false;

  constructor(private readonly options: TimeSeriesWriterOptions) {
    this.logger = options.logger;
    const registers = [options.metrics];
    this.recordsWritten = new Counter({
      name: 'binpulse_timeseries_records_written_total',
      help: 'Records written to the time-series store (a replayed batch counts again)',
      registers,
    });
    this.storeWriteErrors = new Counter({
      name: 'binpulse_store_write_errors_total',
      help: 'Failed time-series store writes (the journal consumer retries the same batch)',
      registers,
    });
    this.unknownPlates = new Counter({
      name: 'binpulse_weigh_tickets_unknown_plate_total',
      help: 'Weigh tickets stored with a plate no registry vehicle has (kept, flagged plateKnown=false; a replayed batch counts again)',
      registers,
    });
  }

  /**
   * The 'timeseries' journal consumer's handler. Resolves once the batch's records are stored;
   * rejects with the store's error when they are not, so the same batch is retried. A failing
   * registry lookup rejects too (that is not the entry's fault, so it is not skipped).
   */
  async writeEntries(entries: readonly JournalEntry[]): Promise<void> {
    const records = this.recordsOf(entries);
    if (records.length === 0) return;
    try {
      await this.options.store.write(records);
    } catch (err) {
      this.storeWriteErrors.inc();
      const context = {
        err,
        records: records.length,
        from: entries[0]?.seq,
        upTo: entries.at(-1)?.seq,
        ...retryHints(err),
      };
      if (this.failing) this.logger.debug(context, 'time-series write failed again');
      else this.logger.warn(context, 'time-series write failed; the batch will be retried');
      this.failing = true;
      throw err;
    }
    this.recordsWritten.inc(records.length);
    const unknown = records.filter((r) => r.type === 'weigh_ticket' && !r.plateKnown).length;
    if (unknown > 0) this.unknownPlates.inc(unknown);
    if (this.failing) {
      this.failing = false;
      this.logger.info({ records: records.length, upTo: entries.at(-1)?.seq }, 'time-series writes recovered');
    }
  }

  private recordsOf(entries: readonly JournalEntry[]): TimeSeriesRecord[] {
    const decodeOptions = { lookupDevice: (id: string) => this.options.registry.get(id), ...this.options.limits };
    const context = { isKnownPlate: this.options.isKnownPlate };
    const records: TimeSeriesRecord[] = [];
    for (const entry of entries) {
      const result = decodeDeviceMessage(entry.topic, entry.payload, entry.receivedAt, decodeOptions);
      if (!result.ok) continue;
      for (const record of toTimeSeriesRecords(result.message, result.device, entry.receivedAt, context)) records.push(record);
    }
    return records;
  }
}

/** For the log: retriable / retryAfterMs when the store's error says (read by shared/retry.ts). */
function retryHints(err: unknown): { retriable?: boolean; retryAfterMs?: number } {
  const retryAfterMs = retryAfterOf(err);
  return {
    ...(typeof err === 'object' && err !== null && 'retriable' in err && { retriable: isRetriable(err) }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
}

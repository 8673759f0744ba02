/**
 * Durable ingest: the broker appends every accepted device publish to the journal before it
 * acknowledges it; two consumers read the journal from their own offsets:
 *   live        dead letters, device state, alert rules (never held up by the store)
 *   timeseries  the time-series store (an outage only grows its backlog; replayed in order)
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../../../shared/config.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import type { FleetRegistry, SiteRegistry } from '../../fleet/core/registry.ts';
import { SqliteDeadLetterStore } from '../../ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../ingest/pipeline.ts';
import { TimeSeriesWriter } from '../../ingest/timeseries-writer.ts';
import { JournalConsumer } from '../../journal/adapters/journal-consumer.ts';
import { SqliteJournal } from '../../journal/adapters/sqlite-journal.ts';
import type { WriteReport } from '../../timeseries/adapters/influx-store.ts';
import type { StoreHealth, TimeSeriesStore } from '../../timeseries/core/store.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { Stack } from './stack.ts';

export interface IngestWiring {
  journal: SqliteJournal;
  pipeline: IngestPipeline;
  deadLetters: SqliteDeadLetterStore;
  deviceState: SqliteDeviceStateStore;
  /** Starts the consumers: call once everything listening to the pipeline is attached. */
  startConsumers(): void;
}

export function wireIngest(
  deps: { config: Config; operationalDb: SqliteDatabase; registry: FleetRegistry & Pick<SiteRegistry, 'vehicleByPlate'>; timeseries: TimeSeriesStore },
  ctx: { logger: Logger; metrics: Registry; now: () => number; stack: Stack },
): IngestWiring {
  const { config, operationalDb, registry, timeseries } = deps;
  const { logger, metrics, now, stack } = ctx;
  const journal = new SqliteJournal({
    file: join(config.DATA_DIR, 'journal.db'),
    maxBytes: config.JOURNAL_MAX_MB * 1024 * 1024,
    synchronous: config.JOURNAL_SYNC === 'full' ? 'FULL' : 'NORMAL',
    logger: logger.child({ service: 'journal' }),
    metrics,
  });
  journal.start();
  stack.push(() => journal.stop());

  const limits = { maxFutureSkewMs: config.INGEST_MAX_FUTURE_SKEW_S * 1000, maxAgeMs: config.INGEST_MAX_AGE_H * HOUR_MS };
  const ingestLogger = logger.child({ service: 'ingest' });
  const deadLetters = new SqliteDeadLetterStore(operationalDb, { metrics });
  const deviceState = new SqliteDeviceStateStore(operationalDb, { logger, now });
  const pipeline = new IngestPipeline({ registry, deadLetters, deviceState, now, limits, logger: ingestLogger, metrics });
  pipeline.start();
  stack.push(() => pipeline.stop());
  const isKnownPlate = (plate: string) => registry.vehicleByPlate(plate) !== undefined;
  const writer = new TimeSeriesWriter({ registry, store: timeseries, limits, logger: ingestLogger, metrics, isKnownPlate });

  const consumers = [
    new JournalConsumer({ journal, name: 'live', batchSize: 500, handle: (entries) => pipeline.handleEntries(entries), logger }),
    new JournalConsumer({ journal, name: 'timeseries', batchSize: 2000, handle: (entries) => writer.writeEntries(entries), logger }),
  ];
  return {
    journal,
    pipeline,
    deadLetters,
    deviceState,
    startConsumers() {
      for (const consumer of consumers) {
        consumer.start();
        stack.push(() => consumer.stop());
      }
    },
  };
}

/** A remote store's health as /healthz shows it: `{store, up, since (ISO), error}`. */
export function storeHealthOut(health: StoreHealth) {
  return { ...health, since: health.since === null ? null : new Date(health.since).toISOString() };
}

/**
 * InfluxDB refused some lines of a batch (400 partial write): the rest was stored, these are
 * set aside with their reason — logged and counted, never retried (they would fail again).
 */
export function storeRejections(logger: Logger, metrics: Registry): (report: WriteReport) => void {
  const rejected = new Counter({
    name: 'binpulse_store_rejected_records_total',
    help: 'Records the time-series store refused (partial writes), set aside with their reason',
    registers: [metrics],
  });
  return (report) => {
    rejected.inc(report.rejected.length);
    const sample = report.rejected.slice(0, 5).map((r) => ({ type: r.record.type, deviceId: r.record.tags.deviceId, reason: r.reason }));
    logger.error({ rejected: report.rejected.length, unattributed: report.unattributed, sample }, 'time-series store refused records');
  };
}

/**
 * The operations snapshot for the Grafana dashboards (docs/dashboards.md): on InfluxDB only,
 * every OPS_SNAPSHOT_SECONDS, the fleet's online/offline counts, open alerts, ingest and
 * dead-letter counters and the journal backlog are written beside the device data. The embedded
 * SQLite store needs none: the API answers those questions directly.
 */
import type { Logger } from 'pino';
import type { Config } from '../../../shared/config.ts';
import type { AlertService } from '../../alerts/core/ports.ts';
import type { FleetRegistry } from '../../fleet/core/registry.ts';
import type { DeadLetterReader, DeviceStateReader } from '../../ingest/core/ports.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import type { SqliteJournal } from '../../journal/adapters/sqlite-journal.ts';
import { OpsSnapshotJob } from '../../timeseries/adapters/ops-snapshot-job.ts';
import type { OpsSnapshotInput } from '../../timeseries/core/ops-snapshot.ts';
import type { TimeSeriesStore } from '../../timeseries/core/store.ts';
import type { Stack } from './stack.ts';

export interface OpsSnapshotSources {
  registry: Pick<FleetRegistry, 'list'>;
  deviceState: DeviceStateReader;
  alerts: Pick<AlertService, 'list'>;
  deadLetters: Pick<DeadLetterReader, 'counts'>;
  journal: Pick<SqliteJournal, 'consumers' | 'offset' | 'headSeq' | 'backlogBytes'>;
  journalMaxBytes: number;
  /** Valid messages accepted since start. */
  messagesAccepted: () => number;
}

/** Reads the snapshot's input from the running platform. */
export function collectOpsSnapshot(sources: OpsSnapshotSources, at: number): OpsSnapshotInput {
  const states = sources.deviceState.all();
  const devices = sources.registry.list().map((device) => {
    const state = states.get(device.id);
    return {
      kind: device.kind,
      subdistrict: device.subdistrict,
      online: state?.online ?? false,
      maxFillingLevel: state?.maxFillingLevel ?? null,
    };
  });
  const { journal } = sources;
  const head = journal.headSeq();
  return {
    at,
    devices,
    // A COUNT per type × severity (limit 0: no rows are read), rather than every open alert's record.
    openAlerts: (type, severity) => sources.alerts.list({ status: 'open', type, severity, limit: 0, offset: 0 }).total,
    messagesAccepted: sources.messagesAccepted(),
    deadLetters: sources.deadLetters.counts(),
    journal: {
      backlogBytes: journal.backlogBytes(),
      maxBytes: sources.journalMaxBytes,
      backlogs: new Map(journal.consumers().map((name) => [name, head - journal.offset(name)])),
    },
  };
}

/**
 * Starts the snapshot job when the store can write points (InfluxDB); nothing otherwise. Call
 * before the journal consumers start, so the accepted-message count sees every message.
 */
export function wireOpsSnapshot(
  deps: {
    config: Config;
    timeseries: TimeSeriesStore;
    pipeline: Pick<IngestPipeline, 'onAccepted'>;
  } & Omit<OpsSnapshotSources, 'journalMaxBytes' | 'messagesAccepted'>,
  { logger, now, stack }: { logger: Logger; now: () => number; stack: Stack },
): void {
  const { config, timeseries } = deps;
  const writePoints = timeseries.writePoints?.bind(timeseries);
  if (writePoints === undefined) return;
  let accepted = 0;
  const unsubscribe = deps.pipeline.onAccepted(() => {
    accepted += 1;
  });
  stack.push(() => void unsubscribe());
  const log = logger.child({ service: 'ops-snapshot' });
  const sources: OpsSnapshotSources = { ...deps, journalMaxBytes: config.JOURNAL_MAX_MB * 1024 * 1024, messagesAccepted: () => accepted };
  let failing = false;
  const job = new OpsSnapshotJob({
    sink: { writePoints },
    collect: (at) => collectOpsSnapshot(sources, at),
    intervalMs: config.OPS_SNAPSHOT_SECONDS * 1000,
    now,
    onWritten: (report) => {
      if (failing) log.info('operations snapshot written again');
      failing = false;
      if (report.rejected.length > 0 || report.unattributed !== null) {
        log.error({ rejected: report.rejected.slice(0, 5), unattributed: report.unattributed }, 'InfluxDB refused part of the operations snapshot');
      }
    },
    // Once per outage: the ingest path already reports the store being down.
    onError: (error) => {
      if (!failing) log.warn({ err: error }, 'operations snapshot not written; trying again at the next interval');
      failing = true;
    },
  });
  job.start();
  stack.push(() => job.stop());
  log.info({ intervalS: config.OPS_SNAPSHOT_SECONDS }, 'operations snapshot for the dashboards started');
}

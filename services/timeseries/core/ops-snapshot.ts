/**
 * The operations snapshot: what the platform knows only in memory or in its own SQLite files
 * (who is online, open alerts, ingest counters, dead letters, the journal backlog), written to
 * InfluxDB periodically so Grafana can chart it beside the device data (docs/dashboards.md).
 * Pure: the job (adapters/ops-snapshot-job.ts) gathers the input and writes the points.
 *
 * The same rules as the device records (core/influx-schema.ts): bounded tags only (kind,
 * subdistrict, alert type and severity, dead-letter reason, journal consumer), numeric fields
 * always floats. Every combination of the bounded tags is written on every snapshot, zeros
 * included, so a value that drops to nothing reads 0 rather than its last non-zero value.
 * Every point of one snapshot carries the same timestamp; their tags tell them apart.
 */
import {
  ALERT_TYPES,
  DEAD_LETTER_REASONS,
  DEVICE_KINDS,
  SEVERITIES,
  SUBDISTRICTS,
  type AlertType,
  type DeadLetterReason,
  type DeviceKind,
  type Severity,
  type Subdistrict,
} from '../../../shared/contracts/index.ts';
import type { LinePoint } from './influx-line-protocol.ts';
import { RAW_RP } from './influx-retention.ts';
import { timestampNs } from './influx-schema.ts';

export const OPS_MEASUREMENTS = {
  fleetStatus: 'fleet_status',
  alertsOpen: 'alerts_open',
  ingestStats: 'ingest_stats',
  journalBacklog: 'journal_backlog',
  deadLetters: 'dead_letters',
} as const;

/** Snapshots are readings: under managed retention they expire with the raw data. */
export const OPS_SNAPSHOT_RP = RAW_RP;

/** A box "to empty": any compartment at or above this fillingLevel (as GET /api/v1/summary counts it). */
export const FULL_FILLING_LEVEL = 0.9;

export interface SnapshotDevice {
  kind: DeviceKind;
  subdistrict: Subdistrict;
  /** Its latest state says online (a device never heard from is offline). */
  online: boolean;
  /** Highest fillingLevel of its compartments in its latest reading; null for cameras or before one. */
  maxFillingLevel: number | null;
}

/** The counters the next snapshot's rates are computed from. */
export interface SnapshotCounters {
  at: number;
  messagesAccepted: number;
  deadLetters: Readonly<Record<DeadLetterReason, number>>;
}

export interface OpsSnapshotInput extends SnapshotCounters {
  /** Every registered device (removed devices' leftover states are not part of the fleet). */
  devices: readonly SnapshotDevice[];
  openAlerts: (type: AlertType, severity: Severity) => number;
  journal: {
    backlogBytes: number;
    maxBytes: number;
    /** Entries each registered consumer has not committed yet. */
    backlogs: ReadonlyMap<string, number>;
  };
}

/** Per second between two readings of a counter; null for the first, a reset (restart) or no time passed. */
export function ratePerSecond(previous: number | undefined, current: number, elapsedMs: number): number | null {
  if (previous === undefined || !(elapsedMs > 0) || current < previous) return null;
  return ((current - previous) * 1000) / elapsedMs;
}

/**
 * The snapshot's points. `previous` is the last snapshot's counters (same process), for the
 * per-second rates; without it the rate fields are left out of this one.
 */
export function buildOpsSnapshot(input: OpsSnapshotInput, previous?: SnapshotCounters): LinePoint[] {
  const timestamp = timestampNs(input.at);
  const elapsedMs = previous ? input.at - previous.at : 0;
  const points: LinePoint[] = [];

  for (const kind of DEVICE_KINDS) {
    for (const subdistrict of SUBDISTRICTS) {
      const here = input.devices.filter((d) => d.kind === kind && d.subdistrict === subdistrict);
      const online = here.filter((d) => d.online).length;
      points.push({
        measurement: OPS_MEASUREMENTS.fleetStatus,
        tags: { kind, subdistrict },
        fields: {
          devices: here.length,
          online,
          offline: here.length - online,
          boxesAbove90:
            kind === 'box' ? here.filter((d) => (d.maxFillingLevel ?? 0) >= FULL_FILLING_LEVEL).length : undefined,
        },
        timestampNs: timestamp,
      });
    }
  }

  for (const type of ALERT_TYPES) {
    for (const severity of SEVERITIES) {
      points.push({
        measurement: OPS_MEASUREMENTS.alertsOpen,
        tags: { type, severity },
        fields: { count: input.openAlerts(type, severity) },
        timestampNs: timestamp,
      });
    }
  }

  points.push({
    measurement: OPS_MEASUREMENTS.ingestStats,
    tags: {},
    fields: {
      messagesAccepted: input.messagesAccepted,
      messagesPerSecond: ratePerSecond(previous?.messagesAccepted, input.messagesAccepted, elapsedMs),
      journalBacklogBytes: input.journal.backlogBytes,
      journalMaxBytes: input.journal.maxBytes,
    },
    timestampNs: timestamp,
  });

  for (const [consumer, entries] of [...input.journal.backlogs].sort(([a], [b]) => a.localeCompare(b))) {
    points.push({
      measurement: OPS_MEASUREMENTS.journalBacklog,
      tags: { consumer },
      fields: { entries },
      timestampNs: timestamp,
    });
  }

  for (const reason of DEAD_LETTER_REASONS) {
    const total = input.deadLetters[reason] ?? 0;
    points.push({
      measurement: OPS_MEASUREMENTS.deadLetters,
      tags: { reason },
      fields: { total, perSecond: ratePerSecond(previous?.deadLetters[reason], total, elapsedMs) },
      timestampNs: timestamp,
    });
  }
  return points;
}

/** What the next snapshot needs of this one. */
export const countersOf = (input: OpsSnapshotInput): SnapshotCounters => ({
  at: input.at,
  messagesAccepted: input.messagesAccepted,
  deadLetters: { ...input.deadLetters },
});

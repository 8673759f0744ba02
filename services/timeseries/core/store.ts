/**
 * The time-series store port, implemented by the embedded SQLite store and by InfluxDB, so no
 * caller changes when the store does. What only one of them can do is an optional method (a
 * capability: health, init, pruneRawBefore, writePoints): callers ask for the method, never
 * for the class (issue 16).
 *
 * Writes must be idempotent: a record written twice (a replay after a crash) is stored once.
 * Readings are keyed by device + time (+ compartment), events by their eventId.
 */
import type {
  CompartmentReading,
  DetectionType,
  DeviceKind,
  FaultType,
  SeriesPoint,
  Subdistrict,
  TonnageRow,
  WasteCategory,
} from '../../../shared/contracts/index.ts';
import type { LinePoint } from './influx-line-protocol.ts';

export type WeighDirection = 'in' | 'out';
/** Kilograms per waste category; a category with nothing is absent. */
export type KgByCategory = Partial<Record<WasteCategory, number>>;

/** Tags of bounded cardinality that every record carries, from the fleet registry. */
export interface DeviceTags {
  deviceId: string;
  kind: DeviceKind;
  subdistrict: Subdistrict;
  community: string;
}

interface RecordBase {
  tags: DeviceTags;
  /** Device time, epoch milliseconds. */
  ts: number;
}

export type TimeSeriesRecord =
  | (RecordBase & {
      type: 'box_reading';
      compartments: CompartmentReading[];
      temperatureC: number;
      batteryPercent: number | null;
      rssiDbm: number;
      lidOpen: boolean;
    })
  | (RecordBase & {
      type: 'deposit';
      eventId: string;
      category: WasteCategory;
      weightKg: number;
      points: number;
      /**
       * The resident's card, already a SHA-256 hash on the box (never a raw identity), kept for
       * participation (issue 14). Absent on records made before it was kept.
       */
      residentHash?: string;
    })
  | (RecordBase & {
      type: 'collection';
      eventId: string;
      collectorId: string;
      vehicleId: string;
      compartments: { category: WasteCategory; weightKg: number }[];
    })
  | (RecordBase & { type: 'fault'; eventId: string; fault: FaultType; active: boolean })
  | (RecordBase & { type: 'camera_heartbeat'; streamOk: boolean; frameRate: number; uptimeS: number })
  | (RecordBase & {
      type: 'detection';
      eventId: string;
      phase: 'start' | 'update' | 'end';
      detectionType: DetectionType;
      confidence: number;
      zone: string;
      snapshotRef: string;
    })
  | (RecordBase & { type: 'status'; online: boolean })
  | (RecordBase & {
      type: 'weigh_ticket';
      /** The scale's site (Device.siteId), resolved at ingest: a ticket is about a place, not a device. */
      siteId: string;
      eventId: string;
      ticketId: string;
      plate: string;
      direction: WeighDirection;
      grossKg: number;
      tareKg: number;
      netKg: number;
      category: WasteCategory | null;
      reference: string | null;
      /** Whether the plate is a registry vehicle's; an unknown plate's ticket is kept, flagged (issue 14). */
      plateKnown: boolean;
    })
  | (RecordBase & {
      type: 'sorting_report';
      siteId: string;
      eventId: string;
      /** Epoch ms; the period ends at ts. */
      periodStart: number;
      recoveredKg: KgByCategory;
      residueKg: number;
    });

export type TimeSeriesRecordType = TimeSeriesRecord['type'];

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

export interface TonnageQuery {
  /** First and last (inclusive) district-local days, YYYY-MM-DD. */
  fromDay: string;
  toDay: string;
  subdistrict?: Subdistrict;
  utcOffsetMinutes: number;
}

/**
 * The reads of the mass balance (issue 14): each stage of the chain box → vehicle → transfer
 * station → sorting centre as plain rows, oldest first (ties in eventId order), ts in the
 * range [from, to). Kilograms as written; no rounding, no grouping: the balance does that.
 */

/** One weighbridge ticket (event/weigh). */
export interface WeighTicketRecord {
  /** The scale that weighed. */
  deviceId: string;
  /** Its site (a transfer station or a sorting centre id). */
  siteId: string;
  ts: number;
  eventId: string;
  ticketId: string;
  /** As the scale sent it; match with normalizePlate (shared/contracts/sites.ts rules, no '·'). */
  plate: string;
  direction: WeighDirection;
  grossKg: number;
  tareKg: number;
  netKg: number;
  /** Absent for a mixed collection trip. */
  category: WasteCategory | null;
  /** The transfer note (联单) linking a shipment's weigh-out and weigh-in. */
  reference: string | null;
  plateKnown: boolean;
}

/** One sorting centre report (event/sorting): recovered kg per category and residue over [periodStart, ts). */
export interface SortingReportRecord {
  deviceId: string;
  siteId: string;
  /** End of the period reported, epoch ms (the range selects on this). */
  ts: number;
  periodStart: number;
  eventId: string;
  recoveredKg: KgByCategory;
  residueKg: number;
}

/** One box emptying (event/collection): kg taken per category, by which vehicle. */
export interface CollectionRecord {
  /** The box. */
  deviceId: string;
  subdistrict: Subdistrict;
  community: string;
  ts: number;
  eventId: string;
  collectorId: string;
  vehicleId: string;
  kgByCategory: KgByCategory;
}

/** Deposits in a range, optionally of one subdistrict (TimeSeriesStore.participation). */
export interface ParticipationQuery {
  range: TimeRange;
  subdistrict?: Subdistrict;
}

/**
 * One community's deposits in a range: distinct residents (deposits without a residentHash are
 * not counted as anyone), deposits, kg (rounded to whole mg, as tonnage), points credited.
 */
export interface ParticipationRow {
  subdistrict: Subdistrict;
  community: string;
  residents: number;
  deposits: number;
  kg: number;
  points: number;
}

/** Whether a store on another server answered its last request (GET /healthz shows it). */
export interface StoreHealth {
  store: 'influxdb';
  up: boolean;
  /** Epoch ms since when it is up or down; null: never reached yet. */
  since: number | null;
  /** Why it is down. */
  error: string | null;
}

/** Raw rows deleted per table by one prune. */
export type RawPruneResult = Readonly<Record<string, number>>;

/** What writePoints() stored and set aside. */
export interface PointsWriteReport {
  written: number;
  rejected: { line: string | null; reason: string }[];
  unattributed: string | null;
}

export interface TimeSeriesStore {
  /** Capability: a store on another server says whether it answers; an embedded one has none. */
  health?(): StoreHealth;
  /**
   * Capability: a store on another server checks at start-up that it answers and that its
   * database exists (InfluxDB). Rejects with a `retriable` error when it is merely unreachable.
   */
  init?(): Promise<void>;
  /**
   * Capability: a store that expires raw readings itself deletes those older than the cutoff
   * (SQLite); InfluxDB's retention policy does it on the server, so it has none.
   */
  pruneRawBefore?(cutoffMs: number, options?: { batchSize?: number }): Promise<RawPruneResult>;
  /** Capability: writes operational points beside the readings, for the dashboards (InfluxDB). */
  writePoints?(points: readonly LinePoint[]): Promise<PointsWriteReport>;
  /**
   * Capability: a store whose daily tonnage rollup is kept by the server on a schedule (InfluxDB's
   * continuous query) rolls up the complete days of the range now, after many past days were
   * written at once; SQLite keeps its rollup in each write's transaction, so it has none.
   */
  rollUpTonnage?(range: TimeRange): Promise<void>;
  write(records: readonly TimeSeriesRecord[]): Promise<void>;
  /**
   * A device's numeric series in the range, oldest first, at most `limit` points:
   * metrics fillingLevel and weightKg (per category), temperatureC, batteryPercent, rssiDbm,
   * frameRate, uptimeS, depositKg (per category).
   * When the range holds more, the newest `limit` points are returned (still oldest first):
   * a chart of the last hours must show the latest readings.
   */
  deviceSeries(deviceId: string, range: TimeRange, limit: number): Promise<SeriesPoint[]>;
  /** Deposited kg and deposit count by local day × category × subdistrict; days with nothing are absent. */
  tonnage(query: TonnageQuery): Promise<TonnageRow[]>;
  /** Per community with deposits in the range (others absent), ordered by subdistrict, community. */
  participation(query: ParticipationQuery): Promise<ParticipationRow[]>;
  /** Weigh tickets with ts in the range, oldest first. */
  weighTickets(range: TimeRange): Promise<WeighTicketRecord[]>;
  /** Sorting reports whose period ends (ts) in the range, oldest first. */
  sortingReports(range: TimeRange): Promise<SortingReportRecord[]>;
  /** Box emptyings with ts in the range, oldest first. */
  collections(range: TimeRange): Promise<CollectionRecord[]>;
  close(): Promise<void>;
}

/**
 * The time-series store port. The embedded SQLite store implements it now; InfluxDB will
 * implement it too, so no caller changes when the store does.
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
  | (RecordBase & { type: 'deposit'; eventId: string; category: WasteCategory; weightKg: number; points: number })
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
  | (RecordBase & { type: 'status'; online: boolean });

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

export interface TimeSeriesStore {
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
  close(): Promise<void>;
}

/**
 * BinPulse's InfluxDB schema: which measurement, tags and fields each record becomes
 * (docs/influxdb.md describes it for people). Pure.
 *
 * Tags are the bounded, queried dimensions only (device, kind, subdistrict, community,
 * category, detectionType, fault): every distinct tag set is a series in InfluxDB's index.
 * Event ids, collector and vehicle ids, zones and snapshot refs are fields.
 *
 * A point is identified by measurement + tag set + timestamp, so writing it again overwrites
 * it: replays are idempotent by construction. Two distinct events of one device in the same
 * millisecond must not overwrite each other, though, and their ids cannot be tags. So events
 * get a deterministic sub-millisecond offset (0..999 999 ns) derived from a hash of their
 * event id: a replay lands on the same nanosecond, a different event on another one. Device
 * time keeps its millisecond resolution, reads ask for epoch=ms (the offset truncates away)
 * and ranges in ms stay exact, since the offset never leaves the millisecond.
 */
import type { TimeSeriesRecord } from './store.ts';
import { type LinePoint, UnencodableError } from './influx-line-protocol.ts';

export const MEASUREMENTS = {
  boxReading: 'box_reading',
  boxHealth: 'box_health',
  deposit: 'deposit',
  collection: 'collection',
  fault: 'fault',
  cameraHeartbeat: 'camera_heartbeat',
  detection: 'detection',
  deviceStatus: 'device_status',
  weighTicket: 'weigh_ticket',
  sortingReport: 'sorting_report',
} as const;

/** A sorting report's recovered kg of one category is the field `recoveredKg_<category>`. */
export const recoveredField = (category: string): string => `recoveredKg_${category}`;

const NS_PER_MS = 1_000_000;
/** The largest ms whose ns count still fits InfluxDB's int64 timestamps. */
const MAX_MS = 9_223_372_036_853;

const fnvStep = (hash: number, byte: number): number => Math.imul(hash ^ byte, 0x01000193) >>> 0;

/**
 * 32-bit FNV-1a over UTF-8: tiny, stable across processes and versions (unlike a seeded hash).
 * The UTF-8 bytes are made on the fly, as TextEncoder would make them (a lone surrogate is
 * U+FFFD), without allocating a buffer per event id (issue 16: GC on the store path).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      hash = fnvStep(hash, code);
      continue;
    }
    if (code < 0x800) {
      hash = fnvStep(hash, 0xc0 | (code >> 6));
      hash = fnvStep(hash, 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        hash = fnvStep(hash, 0xf0 | (point >> 18));
        hash = fnvStep(hash, 0x80 | ((point >> 12) & 0x3f));
        hash = fnvStep(hash, 0x80 | ((point >> 6) & 0x3f));
        hash = fnvStep(hash, 0x80 | (point & 0x3f));
        continue;
      }
      code = 0xfffd;
    }
    hash = fnvStep(hash, 0xe0 | (code >> 12));
    hash = fnvStep(hash, 0x80 | ((code >> 6) & 0x3f));
    hash = fnvStep(hash, 0x80 | (code & 0x3f));
  }
  return hash;
}

/** The event's nanosecond within its millisecond: same id, same offset, on every replay. */
export function eventOffsetNs(eventKey: string): number {
  return fnv1a32(eventKey) % NS_PER_MS;
}

/** ms + sub-ms offset as decimal ns, built as text: ms × 10^6 overflows exact JS numbers. */
export function timestampNs(ms: number, offsetNs = 0): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_MS) {
    throw new UnencodableError(`ts ${ms} is not an epoch millisecond InfluxDB can store`);
  }
  if (!Number.isInteger(offsetNs) || offsetNs < 0 || offsetNs >= NS_PER_MS) throw new RangeError(`offset ${offsetNs} ns`);
  return ms === 0 ? String(offsetNs) : `${ms}${String(offsetNs).padStart(6, '0')}`;
}

/** The points of one record, in a fixed order. Throws UnencodableError for unstorable values. */
export function recordToPoints(record: TimeSeriesRecord): LinePoint[] {
  const device = {
    deviceId: record.tags.deviceId,
    kind: record.tags.kind,
    subdistrict: record.tags.subdistrict,
    community: record.tags.community,
  };
  const at = timestampNs(record.ts);
  switch (record.type) {
    case 'box_reading':
      return [
        {
          measurement: MEASUREMENTS.boxHealth,
          tags: device,
          fields: {
            temperatureC: record.temperatureC,
            batteryPercent: record.batteryPercent,
            rssiDbm: record.rssiDbm,
            lidOpen: record.lidOpen,
          },
          timestampNs: at,
        },
        ...record.compartments.map((c) => ({
          measurement: MEASUREMENTS.boxReading,
          tags: { ...device, category: c.category },
          fields: { fillingLevel: c.fillingLevel, weightKg: c.weightKg, overflow: c.overflow },
          timestampNs: at,
        })),
      ];
    case 'deposit':
      return [
        {
          measurement: MEASUREMENTS.deposit,
          tags: { ...device, category: record.category },
          // residentHash is a field, never a tag: one series per resident would swamp the index.
          fields: { weightKg: record.weightKg, points: record.points, eventId: record.eventId, residentHash: record.residentHash },
          timestampNs: timestampNs(record.ts, eventOffsetNs(record.eventId)),
        },
      ];
    case 'collection': {
      const ts = timestampNs(record.ts, eventOffsetNs(record.eventId));
      return record.compartments.map((c) => ({
        measurement: MEASUREMENTS.collection,
        tags: { ...device, category: c.category },
        fields: { weightKg: c.weightKg, eventId: record.eventId, collectorId: record.collectorId, vehicleId: record.vehicleId },
        timestampNs: ts,
      }));
    }
    case 'fault':
      return [
        {
          measurement: MEASUREMENTS.fault,
          tags: { ...device, fault: record.fault },
          fields: { active: record.active, eventId: record.eventId },
          timestampNs: timestampNs(record.ts, eventOffsetNs(record.eventId)),
        },
      ];
    case 'camera_heartbeat':
      return [
        {
          measurement: MEASUREMENTS.cameraHeartbeat,
          tags: device,
          fields: { streamOk: record.streamOk, frameRate: record.frameRate, uptimeS: record.uptimeS },
          timestampNs: at,
        },
      ];
    case 'detection':
      return [
        {
          measurement: MEASUREMENTS.detection,
          tags: { ...device, detectionType: record.detectionType },
          fields: {
            confidence: record.confidence,
            phase: record.phase,
            eventId: record.eventId,
            zone: record.zone,
            snapshotRef: record.snapshotRef,
          },
          // start/update/end of one case may share a millisecond: the phase is part of the key.
          timestampNs: timestampNs(record.ts, eventOffsetNs(`${record.eventId}\u0000${record.phase}`)),
        },
      ];
    case 'status':
      return [{ measurement: MEASUREMENTS.deviceStatus, tags: device, fields: { online: record.online }, timestampNs: at }];
    case 'weigh_ticket':
      return [
        {
          measurement: MEASUREMENTS.weighTicket,
          // siteId and direction are few; the category tag is left out for a mixed load.
          tags: { ...device, siteId: record.siteId, direction: record.direction, category: record.category ?? '' },
          fields: {
            netKg: record.netKg,
            grossKg: record.grossKg,
            tareKg: record.tareKg,
            plateKnown: record.plateKnown,
            eventId: record.eventId,
            ticketId: record.ticketId,
            plate: record.plate,
            reference: record.reference,
          },
          timestampNs: timestampNs(record.ts, eventOffsetNs(record.eventId)),
        },
      ];
    case 'sorting_report':
      return [
        {
          measurement: MEASUREMENTS.sortingReport,
          tags: { ...device, siteId: record.siteId },
          fields: {
            residueKg: record.residueKg,
            periodStart: record.periodStart,
            eventId: record.eventId,
            ...Object.fromEntries(Object.entries(record.recoveredKg).map(([category, kg]) => [recoveredField(category), kg])),
          },
          timestampNs: timestampNs(record.ts, eventOffsetNs(record.eventId)),
        },
      ];
  }
}

/**
 * Encodes a batch of records as line protocol with little garbage (issue 16: building lines
 * raised GC to 16 % of the busy thread on InfluxDB). Pure.
 *
 * recordToPoints + formatLine (influx-schema.ts, influx-line-protocol.ts) remain the readable
 * definition of the schema. The four record types that make ~99 % of the traffic (readings,
 * camera heartbeats, deposits, status) are written here straight into their lines instead: no
 * point objects, tag copies, sorted key arrays or field arrays per line, and each tag value is
 * checked and escaped once per encoder, not once per line. The rarer types go through the
 * readable path. tests/unit/timeseries/influx-encode.test.ts holds both to the same bytes.
 */
import { escapeKey, formatFloat, formatLine, quoteString, UnencodableError } from './influx-line-protocol.ts';
import { eventOffsetNs, MEASUREMENTS, recordToPoints, timestampNs } from './influx-schema.ts';
import type { TimeSeriesRecord } from './store.ts';

export interface EncodedBatch {
  /** The request body's lines, in order. */
  lines: string[];
  /** For each line, the index of the record it came from. */
  recordOf: number[];
  /** Records that cannot be written at all, with why. */
  unencodable: { index: number; reason: string }[];
}

/** Distinct values kept per tag key; the fleet's are a few thousand, so this is only a bound. */
const MAX_CACHED_VALUES = 20_000;

/** `,key=value` for one tag key, checked and escaped once per distinct value. */
class TagSegments {
  private readonly cache = new Map<string, string>();
  constructor(private readonly key: string) {}

  /** '' for an empty value (line protocol has none); throws UnencodableError as formatLine does. */
  of(value: string): string {
    let segment = this.cache.get(value);
    if (segment !== undefined) return segment;
    if (value === '') return '';
    // Same refusals and messages as formatLine's checkName.
    if (/[\r\n]/.test(value)) throw new UnencodableError(`tag ${this.key} ${JSON.stringify(value)} contains a line break`);
    if (value.endsWith('\\')) throw new UnencodableError(`tag ${this.key} ${JSON.stringify(value)} ends with a backslash`);
    segment = `,${this.key}=${escapeKey(value)}`;
    if (this.cache.size >= MAX_CACHED_VALUES) this.cache.clear();
    this.cache.set(value, segment);
    return segment;
  }
}

function num(key: string, value: number): string {
  if (!Number.isFinite(value)) throw new UnencodableError(`field ${key}: ${value} is not a finite number`);
  return formatFloat(value);
}

const bool = (value: boolean): string => (value ? 'true' : 'false');

/** A device's tag segments: community, then deviceId + kind + subdistrict (a line's category tag sorts before both). */
interface DeviceSegments {
  community: string;
  kind: string;
  subdistrict: string;
  head: string;
  tail: string;
  /** head + tail. */
  all: string;
}

/**
 * Keep one per store: its tag caches serve every batch. encode() sets aside a record that
 * cannot be encoded (with formatLine's reason) instead of failing the batch.
 */
export class InfluxLineEncoder {
  private readonly category = new TagSegments('category');
  private readonly community = new TagSegments('community');
  private readonly deviceId = new TagSegments('deviceId');
  private readonly kind = new TagSegments('kind');
  private readonly subdistrict = new TagSegments('subdistrict');
  private readonly devices = new Map<string, DeviceSegments>();

  encode(records: readonly TimeSeriesRecord[]): EncodedBatch {
    const batch: EncodedBatch = { lines: [], recordOf: [], unencodable: [] };
    for (let index = 0; index < records.length; index++) {
      const start = batch.lines.length;
      try {
        this.encodeRecord(records[index]!, index, batch);
      } catch (error) {
        if (!(error instanceof UnencodableError)) throw error;
        // A record is written whole or not at all: drop the lines it had already added.
        batch.lines.length = start;
        batch.recordOf.length = start;
        batch.unencodable.push({ index, reason: error.message });
      }
    }
    return batch;
  }

  private encodeRecord(r: TimeSeriesRecord, index: number, batch: EncodedBatch): void {
    const { lines, recordOf } = batch;
    // Tags in formatLine's sorted order: category, community, deviceId, kind, subdistrict.
    switch (r.type) {
      case 'box_reading': {
        const at = timestampNs(r.ts);
        const { head: c, tail: deviceTail } = this.device(r);
        // Fields in the schema's order, so a bad value is reported as formatLine would.
        const temperature = num('temperatureC', r.temperatureC);
        const battery = r.batteryPercent === null || r.batteryPercent === undefined ? '' : `,batteryPercent=${num('batteryPercent', r.batteryPercent)}`;
        lines.push(
          `${MEASUREMENTS.boxHealth}${c}${deviceTail} temperatureC=${temperature}${battery}` +
            `,rssiDbm=${num('rssiDbm', r.rssiDbm)},lidOpen=${bool(r.lidOpen)} ${at}`,
        );
        recordOf.push(index);
        for (const k of r.compartments) {
          const overflow = k.overflow === undefined || k.overflow === null ? '' : `,overflow=${bool(k.overflow)}`;
          lines.push(
            `${MEASUREMENTS.boxReading}${this.category.of(k.category)}${c}${deviceTail}` +
              ` fillingLevel=${num('fillingLevel', k.fillingLevel)},weightKg=${num('weightKg', k.weightKg)}${overflow} ${at}`,
          );
          recordOf.push(index);
        }
        return;
      }
      case 'deposit': {
        const at = timestampNs(r.ts, eventOffsetNs(r.eventId));
        const resident = r.residentHash === undefined || r.residentHash === null ? '' : `,residentHash=${quoteString(r.residentHash)}`;
        lines.push(
          `${MEASUREMENTS.deposit}${this.category.of(r.category)}${this.deviceTags(r)}` +
            ` weightKg=${num('weightKg', r.weightKg)},points=${num('points', r.points)},eventId=${quoteString(r.eventId)}${resident} ${at}`,
        );
        recordOf.push(index);
        return;
      }
      case 'camera_heartbeat': {
        const at = timestampNs(r.ts);
        lines.push(
          `${MEASUREMENTS.cameraHeartbeat}${this.deviceTags(r)} streamOk=${bool(r.streamOk)}` +
            `,frameRate=${num('frameRate', r.frameRate)},uptimeS=${num('uptimeS', r.uptimeS)} ${at}`,
        );
        recordOf.push(index);
        return;
      }
      case 'status': {
        const at = timestampNs(r.ts);
        lines.push(`${MEASUREMENTS.deviceStatus}${this.deviceTags(r)} online=${bool(r.online)} ${at}`);
        recordOf.push(index);
        return;
      }
      default:
        for (const point of recordToPoints(r)) {
          lines.push(formatLine(point));
          recordOf.push(index);
        }
    }
  }

  /** community, deviceId, kind, subdistrict: the tags of a line with no others after category. */
  private deviceTags(r: TimeSeriesRecord): string {
    return this.device(r).all;
  }

  /** The record's device segments, made once per device (again when its tags change). */
  private device(r: TimeSeriesRecord): DeviceSegments {
    const { deviceId, community, kind, subdistrict } = r.tags;
    let known = this.devices.get(deviceId);
    if (known === undefined || known.community !== community || known.kind !== kind || known.subdistrict !== subdistrict) {
      // In formatLine's order, so the first bad value is the one reported.
      const head = this.community.of(community);
      const tail = this.deviceId.of(deviceId) + this.kind.of(kind) + this.subdistrict.of(subdistrict);
      known = { community, kind, subdistrict, head, tail, all: head + tail };
      if (this.devices.size >= MAX_CACHED_VALUES) this.devices.clear();
      this.devices.set(deviceId, known);
    }
    return known;
  }
}

/** Encodes one batch with a fresh encoder (tests, one-off writes). */
export function encodeRecords(records: readonly TimeSeriesRecord[]): EncodedBatch {
  return new InfluxLineEncoder().encode(records);
}

import { describe, expect, it } from 'vitest';
import { type EncodedBatch, encodeRecords, InfluxLineEncoder } from '../../../services/timeseries/core/influx-encode.ts';
import { formatLine, UnencodableError } from '../../../services/timeseries/core/influx-line-protocol.ts';
import { fnv1a32, recordToPoints } from '../../../services/timeseries/core/influx-schema.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

/** The readable definition: every record through recordToPoints + formatLine. */
function reference(records: readonly TimeSeriesRecord[]): EncodedBatch {
  const batch: EncodedBatch = { lines: [], recordOf: [], unencodable: [] };
  records.forEach((record, index) => {
    try {
      const lines = recordToPoints(record).map(formatLine);
      for (const line of lines) {
        batch.lines.push(line);
        batch.recordOf.push(index);
      }
    } catch (error) {
      if (!(error instanceof UnencodableError)) throw error;
      batch.unencodable.push({ index, reason: error.message });
    }
  });
  return batch;
}

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const BOX: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const ODD: DeviceTags = { deviceId: 'box 7,a=b', kind: 'box', subdistrict: 'lanling', community: '红梅新村 一区,东=2' };
const NO_COMMUNITY: DeviceTags = { ...BOX, deviceId: 'box-0002', community: '' };
const CAMERA: DeviceTags = { deviceId: 'cam-0001', kind: 'camera', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const SCALE: DeviceTags = { deviceId: 'scale-ts-01', kind: 'scale', subdistrict: 'hongmei', community: '转运站' };

const reading = (tags: DeviceTags, extra: Partial<Extract<TimeSeriesRecord, { type: 'box_reading' }>> = {}): TimeSeriesRecord => ({
  type: 'box_reading',
  tags,
  ts: T0,
  compartments: [
    { category: 'paper', fillingLevel: 0.5, weightKg: 40 },
    { category: 'plastic', fillingLevel: 1, weightKg: 8.25, overflow: true },
    { category: 'glass', fillingLevel: 0, weightKg: -0, overflow: false },
  ],
  temperatureC: 20,
  batteryPercent: 80,
  rssiDbm: -70,
  lidOpen: false,
  ...extra,
});
const deposit = (tags: DeviceTags, eventId: string, extra: Partial<Extract<TimeSeriesRecord, { type: 'deposit' }>> = {}): TimeSeriesRecord => ({
  type: 'deposit',
  tags,
  ts: T0 + 1,
  eventId,
  category: 'metal',
  weightKg: 0.1,
  points: 3,
  ...extra,
});

/** Every record type, odd values, and records that cannot be encoded at all. */
const corpus: TimeSeriesRecord[] = [
  reading(BOX),
  reading(ODD, { batteryPercent: null, temperatureC: 1e21, rssiDbm: 1e-7 }),
  reading(NO_COMMUNITY, { compartments: [] }),
  reading(BOX, { temperatureC: Number.NaN }),
  reading(BOX, { batteryPercent: Number.POSITIVE_INFINITY }),
  reading(BOX, { compartments: [{ category: 'paper', fillingLevel: 0.5, weightKg: 1 }, { category: 'metal', fillingLevel: Number.NaN, weightKg: 1 }] }),
  reading({ ...BOX, community: 'two\nlines' }),
  reading({ ...BOX, subdistrict: 'ends\\' as never }),
  reading(BOX, { ts: -1 }),
  reading(BOX, { ts: T0 + 0.5 }),
  deposit(BOX, 'd-1'),
  deposit(ODD, 'd "2" \\ x', { residentHash: 'a'.repeat(64) }),
  deposit(BOX, '红-3', { weightKg: 12, points: 0 }),
  deposit(BOX, 'd-4', { weightKg: Number.NaN }),
  deposit({ ...BOX, kind: 'bo\rx' as never }, 'd-5'),
  { type: 'camera_heartbeat', tags: CAMERA, ts: T0, streamOk: true, frameRate: 25, uptimeS: 3600 },
  { type: 'camera_heartbeat', tags: NO_COMMUNITY, ts: 0, streamOk: false, frameRate: 12.5, uptimeS: Number.NEGATIVE_INFINITY },
  { type: 'status', tags: CAMERA, ts: T0, online: false },
  { type: 'status', tags: ODD, ts: T0 + 2, online: true },
  { type: 'status', tags: BOX, ts: 9_300_000_000_000, online: true },
  { type: 'collection', tags: BOX, ts: T0, eventId: 'c-1', collectorId: 'k 1', vehicleId: 'v,1', compartments: [{ category: 'glass', weightKg: 80 }, { category: 'paper', weightKg: 1.5 }] },
  { type: 'fault', tags: ODD, ts: T0, eventId: 'f-1', fault: 'tilt', active: true },
  { type: 'detection', tags: CAMERA, ts: T0, eventId: 'x-1', phase: 'start', detectionType: 'street_vending', confidence: 0.8, zone: 'gate "east"', snapshotRef: 'snap/1.jpg' },
  {
    type: 'weigh_ticket', tags: SCALE, ts: T0, siteId: 'ts-01', eventId: 'w-1', ticketId: 'T-1', plate: '苏D·H9878', direction: 'in',
    grossKg: 19_260, tareKg: 11_400, netKg: 7_860, category: null, reference: null, plateKnown: false,
  },
  {
    type: 'sorting_report', tags: SCALE, ts: T0, siteId: 'sc-01', eventId: 's-1', periodStart: T0 - 86_400_000,
    recoveredKg: { paper: 21_400, plastic: 9_800.5 }, residueKg: 4_100,
  },
];

describe('InfluxLineEncoder', () => {
  it('writes the same lines, line-to-record map and refusals (with reasons) as recordToPoints + formatLine', () => {
    const expected = reference(corpus);
    // The corpus must exercise both outcomes, or the comparison proves little.
    expect(expected.unencodable.length).toBeGreaterThanOrEqual(10);
    expect(expected.lines.length).toBeGreaterThanOrEqual(20);
    expect(encodeRecords(corpus)).toEqual(expected);
  });

  it('gives the same bytes again from its caches, batch after batch, in any order', () => {
    const encoder = new InfluxLineEncoder();
    const reversed = [...corpus].reverse();
    encoder.encode(corpus);
    expect(encoder.encode(reversed)).toEqual(reference(reversed));
    expect(encoder.encode(corpus)).toEqual(reference(corpus));
  });

  it('a record is written whole or not at all: a bad compartment takes its box_health line with it', () => {
    const bad = reading(BOX, { compartments: [{ category: 'paper', fillingLevel: 0.5, weightKg: 1 }, { category: 'metal', fillingLevel: Number.NaN, weightKg: 1 }] });
    const batch = encodeRecords([deposit(BOX, 'd-1'), bad, { type: 'status', tags: BOX, ts: T0, online: true }]);
    expect(batch.recordOf).toEqual([0, 2]);
    expect(batch.lines[1]).toMatch(/^device_status,/);
    expect(batch.unencodable).toEqual([{ index: 1, reason: 'field fillingLevel: NaN is not a finite number' }]);
  });

  it('stays right past its cache bound (the cache is cleared, not trusted)', () => {
    const records: TimeSeriesRecord[] = Array.from({ length: 20_050 }, (_, i) => ({
      type: 'status',
      tags: { ...BOX, deviceId: `box-${i}`, community: i % 2 ? `c ${i}` : 'c' },
      ts: T0 + i,
      online: i % 3 === 0,
    }));
    const encoder = new InfluxLineEncoder();
    expect(encoder.encode(records)).toEqual(reference(records));
    expect(encoder.encode(records.slice(0, 100))).toEqual(reference(records.slice(0, 100)));
  });
});

describe('fnv1a32 hashes the UTF-8 bytes TextEncoder makes, without making them', () => {
  const viaTextEncoder = (text: string): number => {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return hash;
  };
  it.each([
    ['', 'empty'],
    ['dep-20261126-000123', 'ASCII'],
    ['café ü ß', '2-byte'],
    ['红梅新村·一区', '3-byte'],
    ['bin 🗑️ ok 😀', 'surrogate pairs'],
    ['lone \ud800 high', 'a lone high surrogate'],
    ['lone \udc00 low', 'a lone low surrogate'],
    ['ends high \ud83d', 'a high surrogate at the end'],
    ['\udc00\ud800', 'low then high'],
    ['\u007f\u0080\u07ff\u0800\uffff', 'boundaries'],
  ])('%j (%s)', (text) => {
    expect(fnv1a32(text)).toBe(viaTextEncoder(text));
  });
});

import { describe, expect, it } from 'vitest';
import { encodeRecords } from '../../../services/timeseries/core/influx-encode.ts';
import { eventOffsetNs, fnv1a32, recordToPoints, timestampNs } from '../../../services/timeseries/core/influx-schema.ts';
import { formatLine } from '../../../services/timeseries/core/influx-line-protocol.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

const BOX: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const CAMERA: DeviceTags = { deviceId: 'cam-0001', kind: 'camera', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const T0 = Date.parse('2026-11-26T10:00:00+08:00'); // 1795658400000
const deposit = (eventId: string, ts = T0): TimeSeriesRecord => ({ type: 'deposit', tags: BOX, ts, eventId, category: 'paper', weightKg: 2, points: 10 });
const lines = (record: TimeSeriesRecord) => recordToPoints(record).map(formatLine);

describe('timestamps', () => {
  it('are ms × 10^6 plus the offset, as exact decimal text', () => {
    expect(timestampNs(T0)).toBe('1795658400000000000');
    expect(timestampNs(T0, 42)).toBe('1795658400000000042');
    expect(timestampNs(T0, 999_999)).toBe('1795658400000999999');
    expect(timestampNs(0, 7)).toBe('7');
  });

  it('refuses instants InfluxDB cannot hold', () => {
    expect(() => timestampNs(-1)).toThrow(/InfluxDB can store/);
    expect(() => timestampNs(1.5)).toThrow(/InfluxDB can store/);
    expect(() => timestampNs(9_300_000_000_000)).toThrow(/InfluxDB can store/);
  });
});

describe('event offsets', () => {
  it('are deterministic, within one millisecond, and differ between event ids', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c); // the published FNV-1a test vector
    expect(eventOffsetNs('d-1')).toBe(eventOffsetNs('d-1'));
    const offsets = new Set(Array.from({ length: 1000 }, (_, i) => eventOffsetNs(`evt-${i}`)));
    expect(offsets.size).toBeGreaterThan(995);
    for (const offset of offsets) expect(offset >= 0 && offset < 1_000_000).toBe(true);
  });

  it('two deposits in the same millisecond are two points; a replay is the same point', () => {
    const [a] = lines(deposit('dep-a'));
    const [b] = lines(deposit('dep-b'));
    const [again] = lines(deposit('dep-a'));
    expect(a).not.toBe(b);
    expect(again).toBe(a);
    // Same measurement and tags; only the sub-millisecond part of the time differs.
    const key = (line: string) => line.slice(0, line.indexOf(' '));
    const time = (line: string) => line.slice(line.lastIndexOf(' ') + 1);
    expect(key(a!)).toBe(key(b!));
    expect(time(a!).slice(0, 13)).toBe(String(T0));
    expect(time(b!).slice(0, 13)).toBe(String(T0));
    expect(time(a!)).not.toBe(time(b!));
  });
});

describe('recordToPoints: the schema', () => {
  it("a deposit's residentHash is a string field, never a tag (a series per resident would swamp the index)", () => {
    const [line] = lines({ ...deposit('dep-r'), residentHash: 'b'.repeat(64) } as TimeSeriesRecord);
    const [tags, fields] = line!.split(' ');
    expect(tags).not.toContain('residentHash');
    expect(fields).toContain(`residentHash="${'b'.repeat(64)}"`);
  });

  it('box reading: box_health plus one box_reading per compartment, category as tag', () => {
    const record: TimeSeriesRecord = {
      type: 'box_reading',
      tags: BOX,
      ts: T0,
      compartments: [
        { category: 'paper', fillingLevel: 0.5, weightKg: 40 },
        { category: 'plastic', fillingLevel: 1, weightKg: 8, overflow: true },
      ],
      temperatureC: 20,
      batteryPercent: null,
      rssiDbm: -70,
      lidOpen: true,
    };
    const tags = 'community=hongmei-xincun,deviceId=box-0001,kind=box,subdistrict=hongmei';
    expect(lines(record)).toEqual([
      `box_health,${tags} temperatureC=20.0,rssiDbm=-70.0,lidOpen=true 1795658400000000000`,
      `box_reading,category=paper,${tags} fillingLevel=0.5,weightKg=40.0 1795658400000000000`,
      `box_reading,category=plastic,${tags} fillingLevel=1.0,weightKg=8.0,overflow=true 1795658400000000000`,
    ]);
  });

  it('events keep their ids, zones and snapshot refs in fields, never in tags', () => {
    const records: TimeSeriesRecord[] = [
      deposit('dep-1'),
      { type: 'collection', tags: BOX, ts: T0, eventId: 'col-1', collectorId: 'k-1', vehicleId: 'v-1', compartments: [{ category: 'glass', weightKg: 80 }] },
      { type: 'fault', tags: BOX, ts: T0, eventId: 'f-1', fault: 'tilt', active: true },
      { type: 'detection', tags: CAMERA, ts: T0, eventId: 'x-1', phase: 'start', detectionType: 'street_vending', confidence: 0.8, zone: 'gate east', snapshotRef: 'snap/1.jpg' },
    ];
    const points = records.flatMap(recordToPoints);
    expect(points.map((p) => [p.measurement, Object.keys(p.tags).sort()])).toEqual([
      ['deposit', ['category', 'community', 'deviceId', 'kind', 'subdistrict']],
      ['collection', ['category', 'community', 'deviceId', 'kind', 'subdistrict']],
      ['fault', ['community', 'deviceId', 'fault', 'kind', 'subdistrict']],
      ['detection', ['community', 'detectionType', 'deviceId', 'kind', 'subdistrict']],
    ]);
    expect(points[0]!.fields).toEqual({ weightKg: 2, points: 10, eventId: 'dep-1' });
    expect(points[1]!.fields).toEqual({ weightKg: 80, eventId: 'col-1', collectorId: 'k-1', vehicleId: 'v-1' });
    expect(points[3]!.fields).toEqual({ confidence: 0.8, phase: 'start', eventId: 'x-1', zone: 'gate east', snapshotRef: 'snap/1.jpg' });
    expect(lines(records[0]!)[0]).toBe(
      `deposit,category=paper,community=hongmei-xincun,deviceId=box-0001,kind=box,subdistrict=hongmei weightKg=2.0,points=10.0,eventId="dep-1" ${timestampNs(T0, eventOffsetNs('dep-1'))}`,
    );
  });

  it('a detection case: start and end in the same millisecond are two points', () => {
    const start: TimeSeriesRecord = { type: 'detection', tags: CAMERA, ts: T0, eventId: 'x-1', phase: 'start', detectionType: 'illegal_dumping', confidence: 0.8, zone: 'z', snapshotRef: 's' };
    const end: TimeSeriesRecord = { ...start, phase: 'end' };
    expect(recordToPoints(start)[0]!.timestampNs).not.toBe(recordToPoints(end)[0]!.timestampNs);
  });

  it('camera heartbeat and device status', () => {
    expect(lines({ type: 'camera_heartbeat', tags: CAMERA, ts: T0, streamOk: true, frameRate: 25, uptimeS: 3600 })).toEqual([
      'camera_heartbeat,community=hongmei-xincun,deviceId=cam-0001,kind=camera,subdistrict=hongmei streamOk=true,frameRate=25.0,uptimeS=3600.0 1795658400000000000',
    ]);
    expect(lines({ type: 'status', tags: CAMERA, ts: T0, online: false })).toEqual([
      'device_status,community=hongmei-xincun,deviceId=cam-0001,kind=camera,subdistrict=hongmei online=false 1795658400000000000',
    ]);
  });
});

describe('encodeRecords', () => {
  it('maps every line to its record and sets aside only the records that cannot be encoded', () => {
    const broken: TimeSeriesRecord = { ...deposit('bad'), tags: { ...BOX, community: 'two\nlines' } };
    const reading: TimeSeriesRecord = {
      type: 'box_reading',
      tags: BOX,
      ts: T0,
      compartments: [{ category: 'paper', fillingLevel: 0.5, weightKg: 40 }],
      temperatureC: 20,
      batteryPercent: 80,
      rssiDbm: -70,
      lidOpen: false,
    };
    const batch = encodeRecords([deposit('ok'), broken, reading]);
    expect(batch.lines).toHaveLength(3);
    expect(batch.recordOf).toEqual([0, 2, 2]);
    expect(batch.unencodable).toEqual([{ index: 1, reason: expect.stringMatching(/line break/) }]);
  });
});

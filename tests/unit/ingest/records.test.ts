import { describe, expect, it } from 'vitest';
import type { Device, DeviceMessage } from '../../../shared/contracts/index.ts';
import { toTimeSeriesRecords } from '../../../services/ingest/core/records.ts';
import { BOX, CAMERA, NOW, collection, deposit, detection, fault, heartbeat, telemetry } from './fixtures.ts';

const boxTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const camTags = { ...boxTags, deviceId: 'cam-0001', kind: 'camera' };
const msg = (deviceId: string, channel: string, payload: unknown) => ({ deviceId, channel, payload }) as DeviceMessage;
const RECEIVED = NOW + 1234;

describe('toTimeSeriesRecords', () => {
  it('telemetry → one box_reading with the device time in epoch ms', () => {
    const ts = Date.parse('2026-11-26T09:59:30.250+08:00');
    const [record, ...rest] = toTimeSeriesRecords(msg('box-0001', 'telemetry', telemetry(ts)), BOX, RECEIVED);
    expect(rest).toEqual([]);
    expect(record).toEqual({
      type: 'box_reading',
      tags: boxTags,
      ts,
      compartments: telemetry().compartments,
      temperatureC: 21.5,
      batteryPercent: 76,
      rssiDbm: -71,
      lidOpen: false,
    });
  });

  it('telemetry of a mains box without battery → batteryPercent null; open lid → lidOpen', () => {
    const payload = telemetry(NOW, { power: { source: 'mains' }, lid: 'open' });
    const [record] = toTimeSeriesRecords(msg('box-0001', 'telemetry', payload), BOX, RECEIVED);
    expect(record).toMatchObject({ batteryPercent: null, lidOpen: true });
  });

  it('deposit, collection and fault events keep their event ids; a deposit keeps its resident hash (issue 14)', () => {
    expect(toTimeSeriesRecords(msg('box-0001', 'event/deposit', deposit('d-7', NOW - 60_000, 3.2, 'metal')), BOX, RECEIVED)).toEqual([
      {
        type: 'deposit',
        tags: boxTags,
        ts: NOW - 60_000,
        eventId: 'd-7',
        category: 'metal',
        weightKg: 3.2,
        points: 25,
        residentHash: 'a'.repeat(64),
      },
    ]);
    expect(toTimeSeriesRecords(msg('box-0001', 'event/collection', collection('c-1')), BOX, RECEIVED)).toEqual([
      {
        type: 'collection',
        tags: boxTags,
        ts: NOW,
        eventId: 'c-1',
        collectorId: 'collector-12',
        vehicleId: 'SU-D-12345',
        compartments: collection('c-1').compartments,
      },
    ]);
    expect(toTimeSeriesRecords(msg('box-0001', 'event/fault', fault('f-1', 'tilt', false)), BOX, RECEIVED)).toEqual([
      { type: 'fault', tags: boxTags, ts: NOW, eventId: 'f-1', fault: 'tilt', active: false },
    ]);
  });

  it('camera heartbeat and detection', () => {
    expect(toTimeSeriesRecords(msg('cam-0001', 'heartbeat', heartbeat()), CAMERA, RECEIVED)).toEqual([
      { type: 'camera_heartbeat', tags: camTags, ts: NOW, streamOk: true, frameRate: 25, uptimeS: 86_400 },
    ]);
    expect(toTimeSeriesRecords(msg('cam-0001', 'detection', detection('x-1', 'update')), CAMERA, RECEIVED)).toEqual([
      {
        type: 'detection',
        tags: camTags,
        ts: NOW,
        eventId: 'x-1',
        phase: 'update',
        detectionType: 'illegal_dumping',
        confidence: 0.92,
        zone: 'north-gate',
        snapshotRef: 'snap/2026/11/26/abc.jpg',
      },
    ]);
  });

  it('status: its own ts when present, else the receive time (the last will has none)', () => {
    const withTs = msg('box-0001', 'status', { state: 'online', ts: '2026-11-26T01:59:00Z' });
    expect(toTimeSeriesRecords(withTs, BOX, RECEIVED)).toEqual([
      { type: 'status', tags: boxTags, ts: Date.parse('2026-11-26T01:59:00Z'), online: true },
    ]);
    expect(toTimeSeriesRecords(msg('box-0001', 'status', { state: 'offline' }), BOX, RECEIVED)).toEqual([
      { type: 'status', tags: boxTags, ts: RECEIVED, online: false },
    ]);
  });
});

describe('toTimeSeriesRecords: the chain after the box (issue 14)', () => {
  const SCALE: Device = { ...BOX, id: 'scale-ts-01', kind: 'scale', compartments: [], siteId: 'ts-01' };
  const scaleTags = { deviceId: 'scale-ts-01', kind: 'scale', subdistrict: BOX.subdistrict, community: BOX.community };
  const ticket = {
    ts: new Date(NOW).toISOString(),
    eventId: 'w-1',
    ticketId: 'TS01-0042',
    plate: '苏DH9878',
    direction: 'out',
    grossKg: 19_260,
    tareKg: 11_400,
    netKg: 7_860,
    category: 'paper',
    reference: 'TN-0007',
  } as const;

  it('event/weigh → a weigh_ticket at the scale’s site; the plate checked against the registry', () => {
    const known = (plate: string) => plate.replace('·', '') === '苏DH9878';
    expect(toTimeSeriesRecords(msg('scale-ts-01', 'event/weigh', ticket), SCALE, RECEIVED, { isKnownPlate: known })).toEqual([
      {
        type: 'weigh_ticket',
        tags: scaleTags,
        ts: NOW,
        siteId: 'ts-01',
        eventId: 'w-1',
        ticketId: 'TS01-0042',
        plate: '苏DH9878',
        direction: 'out',
        grossKg: 19_260,
        tareKg: 11_400,
        netKg: 7_860,
        category: 'paper',
        reference: 'TN-0007',
        plateKnown: true,
      },
    ]);
    const { category: _c, reference: _r, ...mixed } = ticket;
    const [record] = toTimeSeriesRecords(msg('scale-ts-01', 'event/weigh', { ...mixed, plate: '苏A·Z9999' }), SCALE, RECEIVED, { isKnownPlate: known });
    expect(record).toMatchObject({ category: null, reference: null, plateKnown: false });
    // No registry to ask: unknown, and still kept.
    expect(toTimeSeriesRecords(msg('scale-ts-01', 'event/weigh', ticket), SCALE, RECEIVED)).toMatchObject([{ plateKnown: false }]);
  });

  it('event/sorting → a sorting_report with its period in epoch ms', () => {
    const report = {
      ts: new Date(NOW).toISOString(),
      eventId: 's-1',
      periodStart: new Date(NOW - 86_400_000).toISOString(),
      recoveredKg: { paper: 21_400, glass: 11_900 },
      residueKg: 4_100,
    };
    expect(toTimeSeriesRecords(msg('scale-ts-01', 'event/sorting', report), SCALE, RECEIVED)).toEqual([
      {
        type: 'sorting_report',
        tags: scaleTags,
        ts: NOW,
        siteId: 'ts-01',
        eventId: 's-1',
        periodStart: NOW - 86_400_000,
        recoveredKg: { paper: 21_400, glass: 11_900 },
        residueKg: 4_100,
      },
    ]);
  });
});

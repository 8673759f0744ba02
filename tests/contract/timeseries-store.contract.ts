/**
 * What every TimeSeriesStore must do, whatever is behind it. An implementation's test file
 * calls describeTimeSeriesStore with a factory that creates an empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TonnageRow } from '../../shared/contracts/index.ts';
import type { DeviceTags, TimeSeriesRecord, TimeSeriesStore } from '../../services/timeseries/core/store.ts';

export interface StoreUnderTest {
  store: TimeSeriesStore;
  /** Removes whatever the store left behind (files, buckets); the store may already be closed. */
  cleanup(): Promise<void>;
}

export type StoreFactory = (options: { utcOffsetMinutes: number }) => Promise<StoreUnderTest>;

const OFFSET = 480;
const BOX: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const BOX_LANLING: DeviceTags = { deviceId: 'box-0002', kind: 'box', subdistrict: 'lanling', community: 'lanling-south' };
const CAMERA: DeviceTags = { deviceId: 'cam-0001', kind: 'camera', subdistrict: 'hongmei', community: 'hongmei-xincun' };
const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const MIN = 60_000;

const reading = (ts: number, tags = BOX, batteryPercent: number | null = 80): TimeSeriesRecord => ({
  type: 'box_reading',
  tags,
  ts,
  compartments: [
    { category: 'paper', fillingLevel: 0.5, weightKg: 40 },
    { category: 'plastic', fillingLevel: 0.25, weightKg: 8 },
  ],
  temperatureC: 20,
  batteryPercent,
  rssiDbm: -70,
  lidOpen: false,
});

const deposit = (eventId: string, ts: number, weightKg: number, tags = BOX, category: 'paper' | 'glass' = 'paper'): TimeSeriesRecord => ({
  type: 'deposit',
  tags,
  ts,
  eventId,
  category,
  weightKg,
  points: 10,
});

const SCALE: DeviceTags = { deviceId: 'scale-ts-01', kind: 'scale', subdistrict: 'hongmei', community: '红梅垃圾转运站' };
const CENTRE_SCALE: DeviceTags = { deviceId: 'scale-sc-01', kind: 'scale', subdistrict: 'qinglong', community: '分拣中心' };

const collection = (eventId: string, ts: number, tags = BOX): TimeSeriesRecord => ({
  type: 'collection',
  tags,
  ts,
  eventId,
  collectorId: 'collector-07',
  vehicleId: 'truck-01',
  compartments: [
    { category: 'paper', weightKg: 63.1 },
    { category: 'plastic', weightKg: 54.6 },
  ],
});

const weighTicket = (eventId: string, ts: number, extra: Partial<Extract<TimeSeriesRecord, { type: 'weigh_ticket' }>> = {}): TimeSeriesRecord => ({
  type: 'weigh_ticket',
  tags: SCALE,
  ts,
  siteId: 'ts-01',
  eventId,
  ticketId: `T-${eventId}`,
  plate: '苏D·H9878',
  direction: 'in',
  grossKg: 19_260,
  tareKg: 11_400,
  netKg: 7_860,
  category: null,
  reference: null,
  plateKnown: true,
  ...extra,
});

const sortingReport = (eventId: string, ts: number): TimeSeriesRecord => ({
  type: 'sorting_report',
  tags: CENTRE_SCALE,
  ts,
  siteId: 'sc-01',
  eventId,
  periodStart: ts - 86_400_000,
  recoveredKg: { paper: 21_400, plastic: 9_800.5 },
  residueKg: 4_100,
});

const local = (isoLocal: string): number => Date.parse(`${isoLocal}+08:00`);
const sortRows = (rows: TonnageRow[]) =>
  [...rows].sort((a, b) => `${a.day}${a.subdistrict}${a.category}`.localeCompare(`${b.day}${b.subdistrict}${b.category}`));

export function describeTimeSeriesStore(name: string, factory: StoreFactory): void {
  describe(`TimeSeriesStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: TimeSeriesStore;

    beforeEach(async () => {
      subject = await factory({ utcOffsetMinutes: OFFSET });
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    it('writes box readings and reads them back as a per-metric series, oldest first', async () => {
      await store.write([reading(T0 + MIN), reading(T0, BOX, null)]);
      const series = await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + 10 * MIN }, 100);
      const at = (ts: number) => new Date(ts).toISOString();
      const sortKey = (p: { ts: string; metric: string; category: string | null }) => `${p.ts}|${p.metric}|${p.category}`;
      const expected = [T0, T0 + MIN].flatMap((ts) => [
        { ts: at(ts), metric: 'fillingLevel', category: 'paper', value: 0.5 },
        { ts: at(ts), metric: 'fillingLevel', category: 'plastic', value: 0.25 },
        { ts: at(ts), metric: 'weightKg', category: 'paper', value: 40 },
        { ts: at(ts), metric: 'weightKg', category: 'plastic', value: 8 },
        { ts: at(ts), metric: 'temperatureC', category: null, value: 20 },
        { ts: at(ts), metric: 'rssiDbm', category: null, value: -70 },
        // The first reading had no battery: no point rather than a fake 0.
        ...(ts === T0 ? [] : [{ ts: at(ts), metric: 'batteryPercent', category: null, value: 80 }]),
      ]);
      expect([...series].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(
        expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
      );
      const times = series.map((p) => Date.parse(p.ts));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('series: camera heartbeats and deposits; only the asked device; range is [from, to)', async () => {
      await store.write([
        { type: 'camera_heartbeat', tags: CAMERA, ts: T0, streamOk: true, frameRate: 25, uptimeS: 3600 },
        deposit('d-1', T0 + MIN, 2.5),
        reading(T0 + 2 * MIN, BOX_LANLING),
        deposit('d-2', T0 + 10 * MIN, 1),
      ]);
      expect(await store.deviceSeries(CAMERA.deviceId, { from: T0, to: T0 + MIN }, 10)).toEqual([
        { ts: new Date(T0).toISOString(), metric: 'frameRate', category: null, value: 25 },
        { ts: new Date(T0).toISOString(), metric: 'uptimeS', category: null, value: 3600 },
      ]);
      expect(await store.deviceSeries(BOX.deviceId, { from: T0 + MIN, to: T0 + 10 * MIN }, 10)).toEqual([
        { ts: new Date(T0 + MIN).toISOString(), metric: 'depositKg', category: 'paper', value: 2.5 },
      ]);
    });

    it('series: at most limit points, the newest ones', async () => {
      await store.write(Array.from({ length: 5 }, (_, i) => reading(T0 + i * MIN)));
      const series = await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + 60 * MIN }, 7);
      expect(series).toHaveLength(7);
      expect(series.every((p) => Date.parse(p.ts) === T0 + 4 * MIN)).toBe(true);
      const more = await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + 60 * MIN }, 10);
      expect(more.slice(0, 3).every((p) => Date.parse(p.ts) === T0 + 3 * MIN)).toBe(true);
      expect(await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + 60 * MIN }, 0)).toEqual([]);
    });

    it('accepts every record type', async () => {
      const records: TimeSeriesRecord[] = [
        { type: 'collection', tags: BOX, ts: T0, eventId: 'c-1', collectorId: 'k-1', vehicleId: 'v-1', compartments: [{ category: 'paper', weightKg: 80 }] },
        { type: 'fault', tags: BOX, ts: T0, eventId: 'f-1', fault: 'tilt', active: true },
        { type: 'detection', tags: CAMERA, ts: T0, eventId: 'x-1', phase: 'start', detectionType: 'street_vending', confidence: 0.8, zone: 'z', snapshotRef: 's' },
        { type: 'detection', tags: CAMERA, ts: T0 + MIN, eventId: 'x-1', phase: 'update', detectionType: 'street_vending', confidence: 0.9, zone: 'z', snapshotRef: 's2' },
        { type: 'status', tags: CAMERA, ts: T0, online: false },
      ];
      await store.write(records);
      await store.write(records);
      await store.write([]);
    });

    it('a replay writes nothing twice: same series, same tonnage', async () => {
      const batch = [reading(T0), deposit('d-1', T0, 2.5), deposit('d-2', T0 + MIN, 1.25), reading(T0 + MIN)];
      await store.write(batch);
      const query = { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: OFFSET };
      const seriesBefore = await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + 10 * MIN }, 1000);
      const tonnageBefore = await store.tonnage(query);
      expect(tonnageBefore).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 3.75, deposits: 2 }]);

      // Replayed whole, in parts, and mixed with one genuinely new deposit.
      await store.write(batch);
      await store.write(batch.slice(1, 3));
      await store.write([deposit('d-1', T0, 2.5), deposit('d-3', T0 + 2 * MIN, 1)]);

      expect(await store.deviceSeries(BOX.deviceId, { from: T0, to: T0 + MIN + 1 }, 1000)).toEqual(seriesBefore);
      const after = await store.tonnage(query);
      expect(after).toHaveLength(1);
      expect(after[0]!.deposits).toBe(3);
      expect(after[0]!.kg).toBeCloseTo(4.75, 9);
    });

    it('event ids are per device: the same id from two devices is two deposits', async () => {
      await store.write([deposit('evt-1', T0, 2), deposit('evt-1', T0, 3, BOX_LANLING)]);
      const rows = await store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: OFFSET });
      expect(rows.reduce((n, r) => n + r.deposits, 0)).toBe(2);
    });

    it('tonnage groups by district-local day, not UTC day', async () => {
      // UTC+8: local midnight is 16:00 UTC the day before, and UTC midnight is 08:00 local.
      await store.write([
        deposit('late', local('2026-11-26T23:30:00'), 1), // 15:30 UTC on the 26th
        deposit('early', local('2026-11-27T00:30:00'), 2), // 16:30 UTC, still the 26th in UTC
        deposit('morning', local('2026-11-27T07:59:59'), 4), // 23:59 UTC on the 26th
        deposit('after-utc-midnight', local('2026-11-27T08:00:00'), 8),
      ]);
      const rows = await store.tonnage({ fromDay: '2026-11-25', toDay: '2026-11-28', utcOffsetMinutes: OFFSET });
      expect(sortRows(rows)).toEqual([
        { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 1, deposits: 1 },
        { day: '2026-11-27', category: 'paper', subdistrict: 'hongmei', kg: 14, deposits: 3 },
      ]);
    });

    it('tonnage splits by category and subdistrict, filters by subdistrict and day range', async () => {
      await store.write([
        deposit('a', local('2026-11-26T09:00:00'), 1.5, BOX, 'paper'),
        deposit('b', local('2026-11-26T10:00:00'), 2, BOX, 'glass'),
        deposit('c', local('2026-11-26T11:00:00'), 3, BOX_LANLING, 'paper'),
        deposit('d', local('2026-11-28T11:00:00'), 5, BOX_LANLING, 'paper'),
      ]);
      const all = await store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: OFFSET });
      expect(sortRows(all)).toEqual([
        { day: '2026-11-26', category: 'glass', subdistrict: 'hongmei', kg: 2, deposits: 1 },
        { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 1.5, deposits: 1 },
        { day: '2026-11-26', category: 'paper', subdistrict: 'lanling', kg: 3, deposits: 1 },
      ]);
      const lanling = await store.tonnage({ fromDay: '2026-11-01', toDay: '2026-11-30', subdistrict: 'lanling', utcOffsetMinutes: OFFSET });
      expect(sortRows(lanling)).toEqual([
        { day: '2026-11-26', category: 'paper', subdistrict: 'lanling', kg: 3, deposits: 1 },
        { day: '2026-11-28', category: 'paper', subdistrict: 'lanling', kg: 5, deposits: 1 },
      ]);
    });

    it('mass balance reads: weigh tickets as written, oldest first, [from, to), once after a replay', async () => {
      const batch = [
        weighTicket('w-2', T0 + MIN, { direction: 'out', category: 'paper', reference: 'TN-2026-0001', plate: '苏A·Z9999', plateKnown: false }),
        weighTicket('w-1', T0),
        weighTicket('w-3', T0 + 2 * MIN),
      ];
      await store.write(batch);
      await store.write(batch);
      const tickets = await store.weighTickets({ from: T0, to: T0 + 2 * MIN });
      expect(tickets).toEqual([
        {
          deviceId: 'scale-ts-01', siteId: 'ts-01', ts: T0, eventId: 'w-1', ticketId: 'T-w-1', plate: '苏D·H9878', direction: 'in',
          grossKg: 19_260, tareKg: 11_400, netKg: 7_860, category: null, reference: null, plateKnown: true,
        },
        {
          deviceId: 'scale-ts-01', siteId: 'ts-01', ts: T0 + MIN, eventId: 'w-2', ticketId: 'T-w-2', plate: '苏A·Z9999', direction: 'out',
          grossKg: 19_260, tareKg: 11_400, netKg: 7_860, category: 'paper', reference: 'TN-2026-0001', plateKnown: false,
        },
      ]);
      expect(await store.weighTickets({ from: T0 + 3 * MIN, to: T0 + 4 * MIN })).toEqual([]);
    });

    it('mass balance reads: sorting reports by the end of their period', async () => {
      await store.write([sortingReport('s-1', T0), sortingReport('s-1', T0), sortingReport('s-2', T0 + 60 * MIN)]);
      expect(await store.sortingReports({ from: T0, to: T0 + MIN })).toEqual([
        {
          deviceId: 'scale-sc-01', siteId: 'sc-01', ts: T0, periodStart: T0 - 86_400_000, eventId: 's-1',
          recoveredKg: { paper: 21_400, plastic: 9_800.5 }, residueKg: 4_100,
        },
      ]);
      expect((await store.sortingReports({ from: T0, to: T0 + 61 * MIN })).map((r) => r.eventId)).toEqual(['s-1', 's-2']);
    });

    it('mass balance reads: one collection per emptying with kg per category, its box’s subdistrict and community', async () => {
      await store.write([collection('c-2', T0 + MIN, BOX_LANLING), collection('c-1', T0), collection('c-1', T0)]);
      // Weigh tickets and deposits are not collections.
      await store.write([weighTicket('w-1', T0), deposit('d-1', T0, 2)]);
      expect(await store.collections({ from: T0, to: T0 + 2 * MIN })).toEqual([
        {
          deviceId: 'box-0001', subdistrict: 'hongmei', community: 'hongmei-xincun', ts: T0, eventId: 'c-1',
          collectorId: 'collector-07', vehicleId: 'truck-01', kgByCategory: { paper: 63.1, plastic: 54.6 },
        },
        {
          deviceId: 'box-0002', subdistrict: 'lanling', community: 'lanling-south', ts: T0 + MIN, eventId: 'c-2',
          collectorId: 'collector-07', vehicleId: 'truck-01', kgByCategory: { paper: 63.1, plastic: 54.6 },
        },
      ]);
      expect(await store.collections({ from: T0 + 2 * MIN, to: T0 + 3 * MIN })).toEqual([]);
    });

    it('an empty range or store has no tonnage rows and no series', async () => {
      expect(await store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: OFFSET })).toEqual([]);
      await store.write([deposit('a', local('2026-11-26T09:00:00'), 1)]);
      expect(await store.tonnage({ fromDay: '2026-11-27', toDay: '2026-12-31', utcOffsetMinutes: OFFSET })).toEqual([]);
      expect(await store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', subdistrict: 'zhenglu', utcOffsetMinutes: OFFSET })).toEqual([]);
      expect(await store.deviceSeries('box-9999', { from: 0, to: T0 * 2 }, 100)).toEqual([]);
    });

    describe('participation (issue 14)', () => {
      const BOX_2: DeviceTags = { ...BOX, deviceId: 'box-0003' };
      const BOX_OTHER: DeviceTags = { ...BOX, deviceId: 'box-0004', community: 'zhulin-garden' };
      const hash = (n: number) => n.toString(16).padStart(64, '0');
      const byResident = (eventId: string, ts: number, kg: number, resident: number | null, tags = BOX, points = 10): TimeSeriesRecord => ({
        type: 'deposit',
        tags,
        ts,
        eventId,
        category: 'paper',
        weightKg: kg,
        points,
        ...(resident === null ? {} : { residentHash: hash(resident) }),
      });

      it('counts distinct residents, deposits, kg and points per community over [from, to)', async () => {
        await store.write([
          byResident('a', T0, 2.5, 1),
          byResident('b', T0 + MIN, 1.25, 1, BOX_2, 3), // the same card at the community's other box
          byResident('c', T0 + 2 * MIN, 4, 2),
          byResident('d', T0 + 3 * MIN, 1, 7, BOX_OTHER),
          byResident('e', T0 + 4 * MIN, 3, 9, BOX_LANLING),
          byResident('late', T0 + 60 * MIN, 9, 3), // outside the range: to is exclusive
          byResident('early', T0 - 1, 9, 4),
        ]);
        const rows = await store.participation({ range: { from: T0, to: T0 + 60 * MIN } });
        expect(rows).toEqual([
          { subdistrict: 'hongmei', community: 'hongmei-xincun', residents: 2, deposits: 3, kg: 7.75, points: 23 },
          { subdistrict: 'hongmei', community: 'zhulin-garden', residents: 1, deposits: 1, kg: 1, points: 10 },
          { subdistrict: 'lanling', community: 'lanling-south', residents: 1, deposits: 1, kg: 3, points: 10 },
        ]);
        expect(await store.participation({ range: { from: T0, to: T0 + 60 * MIN }, subdistrict: 'lanling' })).toEqual([
          { subdistrict: 'lanling', community: 'lanling-south', residents: 1, deposits: 1, kg: 3, points: 10 },
        ]);
      });

      it('deposits without a resident count no one; a replay counts nothing twice; an empty range has no rows', async () => {
        const batch = [byResident('a', T0, 2, null), byResident('b', T0 + MIN, 1, 5), byResident('c', T0 + 2 * MIN, 1, 5)];
        await store.write(batch);
        await store.write(batch);
        expect(await store.participation({ range: { from: T0, to: T0 + 10 * MIN } })).toEqual([
          { subdistrict: 'hongmei', community: 'hongmei-xincun', residents: 1, deposits: 3, kg: 4, points: 30 },
        ]);
        expect(await store.participation({ range: { from: T0 + 10 * MIN, to: T0 + 20 * MIN } })).toEqual([]);
        expect(await store.participation({ range: { from: T0, to: T0 + 10 * MIN }, subdistrict: 'zhenglu' })).toEqual([]);
      });
    });
  });
}

/** Tonnage report, dead-letter summary and the dashboard summary, through the routes. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetter, DeviceState, TonnageRow } from '../../../shared/contracts/index.ts';
import {
  buildTestApi,
  FakeDeadLetters,
  FakeDeviceStates,
  FakeRegistry,
  FakeTimeSeries,
  makeDevice,
  makeState,
} from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

const row = (day: string, kg: number, deposits: number, extra: Partial<TonnageRow> = {}): TonnageRow => ({
  day,
  category: 'paper',
  subdistrict: 'tianning',
  kg,
  deposits,
  ...extra,
});

describe('GET /api/v1/reports/tonnage', () => {
  const rows = [
    row('2026-04-30', 99, 9),
    row('2026-05-01', 10.5, 3),
    row('2026-05-01', 4.25, 2, { category: 'plastic', subdistrict: 'hongmei' }),
    row('2026-05-03', 2, 1, { category: 'metal' }),
  ];

  async function setup() {
    const built = await buildTestApi({ timeseries: new FakeTimeSeries([], rows) });
    opened.push(built.app);
    return built;
  }

  it('totals the range and zero-fills the days without deposits', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/reports/tonnage?from=2026-05-01&to=2026-05-04', headers: t.auth.manager });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ from: '2026-05-01', to: '2026-05-04', utcOffsetMinutes: 480, totalKg: 16.75, totalDeposits: 6 });
    expect(report.byDay).toEqual([
      { day: '2026-05-01', kg: 14.75, deposits: 5 },
      { day: '2026-05-02', kg: 0, deposits: 0 },
      { day: '2026-05-03', kg: 2, deposits: 1 },
      { day: '2026-05-04', kg: 0, deposits: 0 },
    ]);
    expect(report.rows).toHaveLength(3);
    expect(t.timeseries.tonnageCalls).toEqual([{ fromDay: '2026-05-01', toDay: '2026-05-04', utcOffsetMinutes: 480 }]);
  });

  it('passes the subdistrict to the store', async () => {
    const t = await setup();
    const res = await t.app.inject({
      url: '/api/v1/reports/tonnage?from=2026-05-01&to=2026-05-03&subdistrict=tianning',
      headers: t.auth.operator,
    });
    expect(res.json()).toMatchObject({ totalKg: 12.5, totalDeposits: 4 });
    expect(t.timeseries.tonnageCalls[0]).toMatchObject({ subdistrict: 'tianning' });
  });

  it('accepts a full leap year (366 days)', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/reports/tonnage?from=2024-01-01&to=2024-12-31', headers: t.auth.manager });
    expect(res.statusCode).toBe(200);
    expect(res.json().byDay).toHaveLength(366);
  });

  it.each([
    ['from after to', 'from=2026-05-02&to=2026-05-01', /after/],
    ['367 days', 'from=2025-01-01&to=2026-01-02', /367 days/],
  ])('400 BP_BAD_RANGE for %s, without asking the store', async (_label, query, message) => {
    const t = await setup();
    const res = await t.app.inject({ url: `/api/v1/reports/tonnage?${query}`, headers: t.auth.manager });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BP_BAD_RANGE', message: expect.stringMatching(message) });
    expect(t.timeseries.tonnageCalls).toEqual([]);
  });

  it.each([
    ['to=2026-05-01', 'from'],
    ['from=2026-5-1&to=2026-05-01', 'from'],
    ['from=2026-05-01&to=2026-02-30', 'to'],
    ['from=2026-05-01&to=2026-05-01&subdistrict=pudong', 'subdistrict'],
  ])('400 FST_ERR_VALIDATION for %s', async (query, field) => {
    const t = await setup();
    const res = await t.app.inject({ url: `/api/v1/reports/tonnage?${query}`, headers: t.auth.manager });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    expect(res.json().message).toContain(field);
  });
});

describe('GET /api/v1/dead-letters', () => {
  const letter = (id: number, reason: DeadLetter['reason']): DeadLetter => ({
    id,
    receivedAt: '2026-05-10T03:00:00.000Z',
    topic: `binpulse/v1/box/B00${id}/telemetry`,
    deviceId: `B00${id}`,
    reason,
    detail: 'why',
    payloadPreview: '{"x":',
  });
  const letters = [letter(5, 'invalid_json'), letter(4, 'schema_violation'), letter(3, 'invalid_json'), letter(2, 'unknown_device')];

  it('counts every reason, totals them and returns the recent ones', async () => {
    const deadLetters = new FakeDeadLetters(letters, { timestamp_out_of_range: 10 });
    const t = await buildTestApi({ deadLetters });
    opened.push(t.app);
    const res = await t.app.inject({ url: '/api/v1/dead-letters', headers: t.auth.engineer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      counts: {
        invalid_json: 2,
        schema_violation: 1,
        unknown_topic: 0,
        unknown_device: 1,
        kind_mismatch: 0,
        timestamp_out_of_range: 10,
        unknown_compartment: 0,
        repeated_compartment: 0,
      },
      total: 14,
      recent: letters,
    });
    expect(deadLetters.recentCalls).toEqual([{ limit: 50 }]);
  });

  it('filters recent by reason and honours the limit', async () => {
    const deadLetters = new FakeDeadLetters(letters);
    const t = await buildTestApi({ deadLetters });
    opened.push(t.app);
    const res = await t.app.inject({ url: '/api/v1/dead-letters?reason=invalid_json&limit=1', headers: t.auth.admin });
    expect(res.json().recent.map((l: DeadLetter) => l.id)).toEqual([5]);
    expect(res.json().total).toBe(4);
    expect(deadLetters.recentCalls).toEqual([{ limit: 1, reason: 'invalid_json' }]);
  });

  it.each(['reason=nope', 'limit=0', 'limit=501'])('400s %s', async (query) => {
    const t = await buildTestApi();
    opened.push(t.app);
    const res = await t.app.inject({ url: `/api/v1/dead-letters?${query}`, headers: t.auth.admin });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(query.split('=')[0]);
  });
});

describe('GET /api/v1/summary', () => {
  const devices = [
    makeDevice('B001'),
    makeDevice('B002'),
    makeDevice('B003'),
    makeDevice('B004'),
    makeDevice('C001', { kind: 'camera' }),
    makeDevice('C002', { kind: 'camera' }),
  ];
  const states = new Map<string, DeviceState>([
    ['B001', makeState({ online: true, maxFillingLevel: 0.9 })],
    ['B002', makeState({ online: false, maxFillingLevel: 0.97 })],
    ['B003', makeState({ online: true, maxFillingLevel: 0.89 })],
    ['C001', makeState({ online: true })],
    ['C002', makeState({ online: false })],
    // State of a device no longer in the registry: not part of the fleet.
    ['B999', makeState({ online: true, maxFillingLevel: 1 })],
  ]);
  const tonnage = [
    row('2026-05-09', 100, 20),
    row('2026-05-10', 5, 2),
    row('2026-05-10', 2.5, 1, { category: 'glass', subdistrict: 'chashan' }),
  ];

  async function summaryAt(now: number) {
    const t = await buildTestApi({
      registry: new FakeRegistry(devices),
      deviceState: new FakeDeviceStates(states),
      timeseries: new FakeTimeSeries([], tonnage),
      deadLetters: new FakeDeadLetters([], { invalid_json: 3, unknown_topic: 4 }),
      now: () => now,
    });
    opened.push(t.app);
    const res = await t.app.inject({ url: '/api/v1/summary', headers: t.auth.engineer });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json(), t };
  }

  it('adds up the fleet, full boxes, today and dead letters', async () => {
    const { body, t } = await summaryAt(Date.parse('2026-05-10T04:00:00Z'));
    expect(body).toEqual({
      boxes: 4,
      cameras: 2,
      online: { box: 2, camera: 1 },
      boxesAbove90: 2,
      depositedKgToday: 7.5,
      deadLetters: 7,
      history: { state: 'none', fromDay: null, toDay: null, until: null, daysWritten: 0, daysTotal: 0 },
    });
    expect(t.timeseries.tonnageCalls).toEqual([{ fromDay: '2026-05-10', toDay: '2026-05-10', utcOffsetMinutes: 480 }]);
  });

  it("reports the demo history's progress as the platform says it", async () => {
    const writing = { state: 'writing', fromDay: '2026-04-12', toDay: '2026-05-09', until: '2026-05-10T04:00:00.000Z', daysWritten: 3, daysTotal: 28 } as const;
    const t = await buildTestApi({ registry: new FakeRegistry(devices), timeseries: new FakeTimeSeries([], tonnage), demoHistory: () => writing });
    opened.push(t.app);
    const res = await t.app.inject({ url: '/api/v1/summary', headers: t.auth.manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().history).toEqual(writing);
  });

  it('"today" is the district-local day: 00:30 in Changzhou is still 16:30 UTC the day before', async () => {
    const { body, t } = await summaryAt(Date.parse('2026-05-09T16:30:00Z'));
    expect(t.timeseries.tonnageCalls[0]?.fromDay).toBe('2026-05-10');
    expect(body.depositedKgToday).toBe(7.5);
    const before = await summaryAt(Date.parse('2026-05-09T15:30:00Z'));
    expect(before.body.depositedKgToday).toBe(100);
  });
});

/** GET /api/v1/forecasts and the forecast inside GET /api/v1/devices/:id, over the live forecast service fed by test messages. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoxForecast, ForecastList } from '../../../shared/contracts/index.ts';
import { buildTestApi, FakeRegistry, FIXED_NOW, makeDevice, type TestApi } from '../../support/api-fakes.ts';
import { feedPaperFill } from '../../support/forecast-feed.ts';

const HOUR_MS = 3_600_000;
let app: FastifyInstance;
let t: TestApi;

beforeEach(async () => {
  const registry = new FakeRegistry([
    makeDevice('B001'),
    makeDevice('B002', { subdistrict: 'hongmei' }),
    makeDevice('B003'),
    makeDevice('C001', { kind: 'camera' }),
  ]);
  const built = await buildTestApi({ registry });
  app = built.app;
  t = built;
  // paper 120 kg: B001 at 0.8 after two days (full in ~6 h), B002 at 0.72 (~12 h), B003 at 0.4 (~60 h).
  feedPaperFill(t.forecasts, registry, { B001: 2, B002: 1.8, B003: 1 }, FIXED_NOW);
});
afterEach(async () => {
  await app.close();
});

const list = async (query: string) => {
  const res = await app.inject({ url: `/api/v1/forecasts${query}`, headers: t.auth.operator });
  expect(res.statusCode).toBe(200);
  return res.json() as ForecastList;
};
const ms = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

describe('GET /api/v1/forecasts', () => {
  it('lists the boxes forecast to reach the full level within the hours asked, soonest first, with intervals', async () => {
    const body = await list('?fullWithinH=24');
    expect(body.at).toBe(new Date(FIXED_NOW).toISOString());
    expect(body.items.map((b) => b.deviceId)).toEqual(['B001', 'B002']);
    expect(body.total).toBe(2);
    const paper = body.items[0]!.compartments.find((c) => c.category === 'paper')!;
    expect(paper.level).toBeCloseTo(0.8, 5);
    expect(paper.fullLevel).toBe(0.9);
    expect(paper.fillRatePerHour).toBeCloseTo(2 / 120, 3);
    expect(ms(paper.fullAt) - FIXED_NOW).toBeGreaterThan(4 * HOUR_MS);
    expect(ms(paper.fullAt) - FIXED_NOW).toBeLessThan(9 * HOUR_MS);
    expect(ms(paper.fullAtEarliest)).toBeLessThanOrEqual(ms(paper.fullAt));
    expect(ms(paper.fullAt)).toBeLessThanOrEqual(ms(paper.fullAtLatest));
    expect(ms(paper.fullAtEarliest)).toBeLessThan(ms(paper.fullAtLatest));
    expect(ms(paper.overflowAt)).toBeGreaterThan(ms(paper.fullAt));
    expect(body.items[0]!.nextActuationDeadline).toBe(paper.fullAtEarliest);
    expect(body.items[0]).toMatchObject({ name: 'Device B001', subdistrict: 'tianning', community: 'Qingfeng', position: { lat: 31.78, lon: 119.97 } });
    // Two days of history: too short to be trusted much.
    expect(paper.reliability).toMatchObject({ rating: 'poor', reasons: expect.arrayContaining(['short_history']) });
    // The plastic compartment never filled: no instant.
    const plastic = body.items[0]!.compartments.find((c) => c.category === 'plastic')!;
    expect(plastic).toMatchObject({ fullAt: null, fullAtEarliest: null, fullAtLatest: null, overflowAt: null });
  });

  it('widens with fullWithinH, narrows by subdistrict and limit', async () => {
    expect((await list('?fullWithinH=100')).items.map((b) => b.deviceId)).toEqual(['B001', 'B002', 'B003']);
    expect((await list('?fullWithinH=1')).items).toEqual([]);
    expect((await list('?fullWithinH=100&subdistrict=hongmei')).items.map((b) => b.deviceId)).toEqual(['B002']);
    const limited = await list('?fullWithinH=100&limit=1');
    expect(limited.items.map((b) => b.deviceId)).toEqual(['B001']);
    expect(limited.total).toBe(3);
  });

  it('defaults to 24 hours', async () => {
    expect((await list('')).items.map((b) => b.deviceId)).toEqual(['B001', 'B002']);
  });

  it.each(['?fullWithinH=-1', '?fullWithinH=abc', '?limit=0', '?subdistrict=atlantis'])('400 on %s', async (query) => {
    const res = await app.inject({ url: `/api/v1/forecasts${query}`, headers: t.auth.operator });
    expect(res.statusCode).toBe(400);
  });
});

describe('GET /api/v1/devices/:id carries the forecast', () => {
  it("a box's compartments, as in the list", async () => {
    const res = await app.inject({ url: '/api/v1/devices/B003', headers: t.auth.engineer });
    expect(res.statusCode).toBe(200);
    const forecast = res.json().forecast as BoxForecast;
    expect(forecast.deviceId).toBe('B003');
    expect(forecast.compartments.map((c) => c.category)).toEqual(['paper', 'plastic']);
    expect(forecast.compartments[0]!.level).toBeCloseTo(0.4, 5);
    expect(ms(forecast.compartments[0]!.fullAt) - FIXED_NOW).toBeGreaterThan(40 * HOUR_MS);
  });

  it('null for a camera', async () => {
    const res = await app.inject({ url: '/api/v1/devices/C001', headers: t.auth.manager });
    expect(res.statusCode).toBe(200);
    expect(res.json().forecast).toBeNull();
  });
});

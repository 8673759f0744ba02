/** GET /api/v1/reports/participation (+ .csv), through the routes with the store and registry fakes. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Community } from '../../../shared/contracts/index.ts';
import type { ParticipationQuery, ParticipationRow } from '../../../services/timeseries/core/store.ts';
import { buildTestApi, FakeTimeSeries } from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

const COMMUNITIES: Community[] = [
  { name: '新天地花苑', subdistrict: 'qinglong', households: 800 },
  { name: '红梅新村', subdistrict: 'hongmei', households: 1000 },
];
const DAY = 86_400_000;

/** The fake store answers by window length: 30 days, or one of the 7-day windows (the later is the last 7). */
function storeWith(windows: { last30: ParticipationRow[]; last7: ParticipationRow[]; previous7: ParticipationRow[] }) {
  const store = new FakeTimeSeries();
  store.participationOf = (q: ParticipationQuery) => {
    const rows = q.range.to - q.range.from === 30 * DAY ? windows.last30 : store.participationCalls.some((c) => c.range.to > q.range.to) ? windows.previous7 : windows.last7;
    return rows.filter((r) => q.subdistrict === undefined || r.subdistrict === q.subdistrict);
  };
  return store;
}

const row = (community: string, subdistrict: 'qinglong' | 'hongmei', residents: number): ParticipationRow => ({
  subdistrict,
  community,
  residents,
  deposits: residents * 4,
  kg: residents * 12.5,
  points: residents * 20,
});

async function setup(timeseries = storeWith({ last30: [row('新天地花苑', 'qinglong', 560), row('红梅新村', 'hongmei', 450)], last7: [row('新天地花苑', 'qinglong', 420)], previous7: [row('新天地花苑', 'qinglong', 400)] })) {
  const built = await buildTestApi({ timeseries, communities: { listCommunities: () => COMMUNITIES } });
  opened.push(built.app);
  return { ...built, timeseries };
}

describe('GET /api/v1/reports/participation', () => {
  it('reports the pilot with its households, 30-day actives and rate; asks the store for the three windows of district days', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/reports/participation?to=2026-05-07', headers: t.auth.manager });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.windows).toEqual({
      last7: { from: '2026-05-01', to: '2026-05-07' },
      last30: { from: '2026-04-08', to: '2026-05-07' },
      previous7: { from: '2026-04-24', to: '2026-04-30' },
    });
    const pilot = body.communities.find((c: { community: string }) => c.community === '新天地花苑');
    expect(pilot).toMatchObject({ pilot: true, households: 800, active30d: 560, active7d: 420, rate: 0.7, kgPerActive: 12.5, points30d: 11200, trend: 0.05 });
    expect(body.total).toMatchObject({ households: 1800, active30d: 1010 });
    // Local midnight at UTC+8: 2026-05-07 ends at 16:00 UTC.
    const last30 = t.timeseries.participationCalls.find((c) => c.range.to - c.range.from === 30 * DAY)!;
    expect(new Date(last30.range.to).toISOString()).toBe('2026-05-07T16:00:00.000Z');
  });

  it('defaults to yesterday (the last complete district day) and filters by subdistrict', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/reports/participation?subdistrict=hongmei', headers: t.auth.operator });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.to).toBe('2026-05-09'); // FIXED_NOW is 2026-05-10 12:00 in the district
    expect(body.communities.map((c: { community: string }) => c.community)).toEqual(['红梅新村']);
    expect(t.timeseries.participationCalls.every((c) => c.subdistrict === 'hongmei')).toBe(true);
  });

  it('refuses a bad day or subdistrict with 400, and answers 503 when the store is down', async () => {
    const t = await setup();
    for (const query of ['to=2026-13-01', 'to=yesterday', 'subdistrict=atlantis']) {
      const res = await t.app.inject({ url: `/api/v1/reports/participation?${query}`, headers: t.auth.manager });
      expect(res.statusCode, query).toBe(400);
    }
    const down = new FakeTimeSeries();
    down.participationOf = () => {
      throw new Error('influx unreachable');
    };
    const d = await setup(down);
    expect((await d.app.inject({ url: '/api/v1/reports/participation', headers: d.auth.manager })).statusCode).toBe(503);
  });

  it('refuses an engineer (no reports:read)', async () => {
    const t = await setup();
    expect((await t.app.inject({ url: '/api/v1/reports/participation', headers: t.auth.engineer })).statusCode).toBe(403);
  });
});

describe('GET /api/v1/reports/participation.csv', () => {
  it('one line per community, headers and names in the asked language, codes and fractions plain', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/reports/participation.csv?to=2026-05-07&lang=zh-CN', headers: t.auth.manager });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="binpulse-participation-2026-05-07.csv"');
    const lines = res.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('街道代码,街道,小区,积分制试点,登记户数,近7天活跃居民,近30天活跃居民,前7天活跃居民,参与率,30天投放次数,30天投放公斤,人均公斤,30天积分,周环比');
    expect(lines.slice(1)).toEqual(['hongmei,红梅街道,红梅新村,0,1000,0,450,0,0.45,1800,5625,12.5,9000,', 'qinglong,青龙街道,新天地花苑,1,800,420,560,400,0.7,2240,7000,12.5,11200,0.05']);
    const en = await t.app.inject({ url: '/api/v1/reports/participation.csv?to=2026-05-07&lang=en', headers: t.auth.manager });
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^subdistrict,subdistrict name,community,points pilot,households,/);
  });
});

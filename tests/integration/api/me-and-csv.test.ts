/** GET /api/v1/me and the CSV export of the tonnage report, through the routes with the fakes. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { TonnageRow } from '../../../shared/contracts/index.ts';
import { buildTestApi, FakeTimeSeries } from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

async function setup(rows: TonnageRow[] = []) {
  const built = await buildTestApi({ timeseries: new FakeTimeSeries([], rows) });
  opened.push(built.app);
  return built;
}

describe('GET /api/v1/me', () => {
  it.each([
    ['operator', ['devices:read', 'summary:read', 'reports:read', 'alerts:read', 'alerts:act', 'plans:read', 'plans:write']],
    ['engineer', ['devices:read', 'summary:read', 'deadletters:read', 'alerts:read', 'alerts:act', 'silences:manage', 'plans:read']],
    ['manager', ['devices:read', 'summary:read', 'reports:read', 'alerts:read', 'plans:read']],
  ] as const)('tells a %s token its name, role and permissions', async (role, permissions) => {
    const t = await setup();
    const res = await t.app.inject({ url: '/api/v1/me', headers: t.auth[role] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: expect.any(String), name: `test ${role}`, role, permissions });
  });

  it('refuses a request without a valid token', async () => {
    const t = await setup();
    expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer bp_unknown_000000000000000000000000' } })).statusCode).toBe(401);
  });

  it('returns the name as the admin gave it, Chinese included', async () => {
    const t = await setup();
    const { token } = t.tokens.create('operator', '王芳 (recycling operations)');
    const res = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.json()).toMatchObject({ name: '王芳 (recycling operations)', role: 'operator' });
  });
});

describe('GET /api/v1/reports/tonnage.csv', () => {
  const rows: TonnageRow[] = [
    { day: '2026-05-01', category: 'plastic', subdistrict: 'hongmei', kg: 4.25, deposits: 2 },
    { day: '2026-05-01', category: 'paper', subdistrict: 'tianning', kg: 10.5, deposits: 3 },
    { day: '2026-05-03', category: 'metal', subdistrict: 'tianning', kg: 2, deposits: 1 },
    { day: '2026-04-30', category: 'paper', subdistrict: 'tianning', kg: 99, deposits: 9 },
  ];

  it('sends the report rows as CSV: BOM, header row, CRLF, an attachment named by the range', async () => {
    const t = await setup(rows);
    const res = await t.app.inject({ url: '/api/v1/reports/tonnage.csv?from=2026-05-01&to=2026-05-04', headers: t.auth.manager });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="binpulse-tonnage-2026-05-01_2026-05-04.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    // Chinese by default: the district's language.
    expect(res.rawPayload.subarray(3).toString('utf8').split('\r\n')).toEqual([
      '日期,街道代码,街道,品类代码,品类,重量（公斤）,投放次数',
      '2026-05-01,tianning,天宁街道,paper,纸类,10.5,3',
      '2026-05-01,hongmei,红梅街道,plastic,塑料,4.25,2',
      '2026-05-03,tianning,天宁街道,metal,金属,2,1',
      '',
    ]);
  });

  it('writes headers and names in the language asked for, the codes and numbers unchanged', async () => {
    const t = await setup(rows);
    const csv = async (lang: string) => (await t.app.inject({ url: `/api/v1/reports/tonnage.csv?from=2026-05-01&to=2026-05-04&lang=${lang}`, headers: t.auth.manager })).body;
    const english = (await csv('en')).slice(1).split('\r\n');
    expect(english.slice(0, 2)).toEqual(['Day,Subdistrict code,Subdistrict,Category code,Category,Weight (kg),Deposits', '2026-05-01,tianning,Tianning,paper,Paper,10.5,3']);
    expect((await csv('zh-CN')).slice(1).split('\r\n')[1]).toBe('2026-05-01,tianning,天宁街道,paper,纸类,10.5,3');
    const refused = await t.app.inject({ url: '/api/v1/reports/tonnage.csv?from=2026-05-01&to=2026-05-04&lang=fr', headers: t.auth.manager });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    expect(refused.json().message).toContain('lang');
  });

  it('totals the same as the JSON report', async () => {
    const t = await setup(rows);
    const query = 'from=2026-05-01&to=2026-05-04';
    const json = (await t.app.inject({ url: `/api/v1/reports/tonnage?${query}`, headers: t.auth.operator })).json();
    const csv = (await t.app.inject({ url: `/api/v1/reports/tonnage.csv?${query}`, headers: t.auth.operator })).body;
    const kg = csv.trim().split('\r\n').slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0);
    expect(kg).toBeCloseTo(json.totalKg, 6);
  });

  it('passes the subdistrict on and names it in the file', async () => {
    const t = await setup(rows);
    const res = await t.app.inject({ url: '/api/v1/reports/tonnage.csv?from=2026-05-01&to=2026-05-04&subdistrict=hongmei', headers: t.auth.admin });
    expect(res.headers['content-disposition']).toContain('binpulse-tonnage-2026-05-01_2026-05-04-hongmei.csv');
    expect(res.body.trim().split('\r\n')).toHaveLength(2);
    expect(t.timeseries.tonnageCalls.at(-1)).toMatchObject({ subdistrict: 'hongmei' });
  });

  it('refuses a bad range like the JSON report, as JSON', async () => {
    const t = await setup(rows);
    const res = await t.app.inject({ url: '/api/v1/reports/tonnage.csv?from=2026-05-04&to=2026-05-01', headers: t.auth.manager });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BP_BAD_RANGE' });
    expect((await t.app.inject({ url: '/api/v1/reports/tonnage.csv?from=yesterday&to=2026-05-01', headers: t.auth.manager })).statusCode).toBe(400);
  });

  it('is documented in the OpenAPI document as text/csv', async () => {
    const t = await setup();
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    const op = doc.paths['/api/v1/reports/tonnage.csv'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/csv']);
    expect(op.description).toContain('byte-order mark');
    const lang = op.parameters.find((p: { name: string; in: string }) => p.name === 'lang' && p.in === 'query');
    expect(lang.schema).toMatchObject({ enum: ['zh-CN', 'en'], default: 'zh-CN' });
    expect(doc.paths['/api/v1/me'].get.responses['200']).toBeDefined();
  });
});

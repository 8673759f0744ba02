/**
 * Every route × every role, through fastify inject, with the real SQLite token store.
 * The expectations are written out here, not derived from core/permissions.ts, so a change to
 * the matrix must be made twice on purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROLES, NewPlan, type ApiRole } from '../../../shared/contracts/index.ts';
import { createSqliteTokenStore } from '../../../services/api/adapters/sqlite-token-store.ts';
import type { TokenStore } from '../../../services/api/core/token-store.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { buildTestApi, FakeRegistry, makeDevice, type TestApi } from '../../support/api-fakes.ts';
import { openSse } from '../../support/sse-client.ts';

let dir: string;
let db: SqliteDatabase;
let app: FastifyInstance;
let tokens: TokenStore;
let auth: TestApi['auth'];
let counter = 0;
let baseUrl: string;
let plans: TestApi['deps']['plans'];
const alerts = new FakeAlertService([makeAlert({ id: 'alt_seed' })]);
/** A fresh active alert per request: acknowledging or resolving one twice is a 409. */
const freshAlert = () => {
  const alert = makeAlert();
  alerts.alerts.set(alert.id, alert);
  return alert.id;
};
const silence = { matcher: { subdistrict: 'hongmei' }, endsAt: '2026-05-11T00:00:00Z', reason: 'road works' };

interface RouteCase {
  name: string;
  /** A fresh request each time: creations need unique ids, deletions an existing token. */
  request: () => InjectOptions;
  allowed: readonly ApiRole[];
  success: number;
  permission: string;
  /** An SSE stream: inject() would wait forever for its end, so allowed roles go over a socket. */
  stream?: boolean;
}

const ALL = API_ROLES;
const routes: RouteCase[] = [
  { name: 'GET /api/v1/devices', request: () => ({ method: 'GET', url: '/api/v1/devices' }), allowed: ALL, success: 200, permission: 'devices:read' },
  { name: 'GET /api/v1/devices/:id', request: () => ({ method: 'GET', url: '/api/v1/devices/B001' }), allowed: ALL, success: 200, permission: 'devices:read' },
  { name: 'GET /api/v1/forecasts', request: () => ({ method: 'GET', url: '/api/v1/forecasts' }), allowed: ALL, success: 200, permission: 'devices:read' },
  {
    name: 'POST /api/v1/plans',
    request: () => ({ method: 'POST', url: '/api/v1/plans', payload: { date: '2026-05-11' } }),
    allowed: ['operator', 'admin'],
    success: 201,
    permission: 'plans:write',
  },
  { name: 'GET /api/v1/plans', request: () => ({ method: 'GET', url: '/api/v1/plans?date=2026-05-11' }), allowed: ALL, success: 200, permission: 'plans:read' },
  {
    name: 'GET /api/v1/plans/:id',
    request: () => ({ method: 'GET', url: `/api/v1/plans/${plans.create(NewPlan.parse({ date: '2026-05-11' }), 'matrix').id}` }),
    allowed: ALL,
    success: 200,
    permission: 'plans:read',
  },
  {
    name: 'GET /api/v1/plans/:id/progress',
    request: () => ({ method: 'GET', url: `/api/v1/plans/${plans.create(NewPlan.parse({ date: '2026-05-11' }), 'matrix').id}/progress` }),
    allowed: ALL,
    success: 200,
    permission: 'plans:read',
  },
  {
    name: 'GET /api/v1/plans/:id/stops.csv',
    request: () => ({ method: 'GET', url: `/api/v1/plans/${plans.create(NewPlan.parse({ date: '2026-05-11' }), 'matrix').id}/stops.csv` }),
    allowed: ALL,
    success: 200,
    permission: 'plans:read',
  },
  {
    name: 'POST /api/v1/devices',
    request: () => ({ method: 'POST', url: '/api/v1/devices', payload: { ...makeDevice(`N${++counter}x`), compartments: undefined, cameraPointType: undefined, kind: 'camera' } }),
    allowed: ['admin'],
    success: 201,
    permission: 'fleet:write',
  },
  { name: 'GET /api/v1/summary', request: () => ({ method: 'GET', url: '/api/v1/summary' }), allowed: ALL, success: 200, permission: 'summary:read' },
  {
    name: 'GET /api/v1/reports/tonnage',
    request: () => ({ method: 'GET', url: '/api/v1/reports/tonnage?from=2026-05-01&to=2026-05-07' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  {
    name: 'GET /api/v1/reports/tonnage.csv',
    request: () => ({ method: 'GET', url: '/api/v1/reports/tonnage.csv?from=2026-05-01&to=2026-05-07' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  {
    name: 'GET /api/v1/reports/participation',
    request: () => ({ method: 'GET', url: '/api/v1/reports/participation?to=2026-05-07' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  {
    name: 'GET /api/v1/reports/participation.csv',
    request: () => ({ method: 'GET', url: '/api/v1/reports/participation.csv' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  {
    name: 'GET /api/v1/reports/mass-balance',
    request: () => ({ method: 'GET', url: '/api/v1/reports/mass-balance?from=2026-05-01&to=2026-05-07' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  {
    name: 'GET /api/v1/reports/mass-balance.csv',
    request: () => ({ method: 'GET', url: '/api/v1/reports/mass-balance.csv?from=2026-05-01&to=2026-05-07' }),
    allowed: ['operator', 'manager', 'admin'],
    success: 200,
    permission: 'reports:read',
  },
  // Who am I: every role may ask (the route needs summary:read, which every role holds).
  { name: 'GET /api/v1/me', request: () => ({ method: 'GET', url: '/api/v1/me' }), allowed: ALL, success: 200, permission: 'summary:read' },
  {
    name: 'GET /api/v1/dead-letters',
    request: () => ({ method: 'GET', url: '/api/v1/dead-letters' }),
    allowed: ['engineer', 'admin'],
    success: 200,
    permission: 'deadletters:read',
  },
  {
    name: 'POST /api/v1/tokens',
    request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { role: 'operator', name: 'matrix' } }),
    allowed: ['admin'],
    success: 201,
    permission: 'tokens:manage',
  },
  { name: 'GET /api/v1/tokens', request: () => ({ method: 'GET', url: '/api/v1/tokens' }), allowed: ['admin'], success: 200, permission: 'tokens:manage' },
  {
    name: 'DELETE /api/v1/tokens/:id',
    request: () => ({ method: 'DELETE', url: `/api/v1/tokens/${tokens.create('operator', 'to revoke').id}` }),
    allowed: ['admin'],
    success: 204,
    permission: 'tokens:manage',
  },
  { name: 'GET /api/v1/alerts', request: () => ({ method: 'GET', url: '/api/v1/alerts' }), allowed: ALL, success: 200, permission: 'alerts:read' },
  {
    name: 'GET /api/v1/alerts/:id',
    request: () => ({ method: 'GET', url: '/api/v1/alerts/alt_seed' }),
    allowed: ALL,
    success: 200,
    permission: 'alerts:read',
  },
  {
    name: 'GET /api/v1/alerts/stream',
    request: () => ({ method: 'GET', url: '/api/v1/alerts/stream' }),
    allowed: ALL,
    success: 200,
    permission: 'alerts:read',
    stream: true,
  },
  {
    name: 'POST /api/v1/alerts/:id/acknowledge',
    request: () => ({ method: 'POST', url: `/api/v1/alerts/${freshAlert()}/acknowledge`, payload: {} }),
    allowed: ['operator', 'engineer', 'admin'],
    success: 200,
    permission: 'alerts:act',
  },
  {
    name: 'POST /api/v1/alerts/:id/resolve',
    request: () => ({ method: 'POST', url: `/api/v1/alerts/${freshAlert()}/resolve`, payload: { reason: 'emptied' } }),
    allowed: ['operator', 'engineer', 'admin'],
    success: 200,
    permission: 'alerts:act',
  },
  { name: 'GET /api/v1/silences', request: () => ({ method: 'GET', url: '/api/v1/silences' }), allowed: ALL, success: 200, permission: 'alerts:read' },
  {
    name: 'POST /api/v1/silences',
    request: () => ({ method: 'POST', url: '/api/v1/silences', payload: silence }),
    allowed: ['engineer', 'admin'],
    success: 201,
    permission: 'silences:manage',
  },
  {
    name: 'DELETE /api/v1/silences/:id',
    request: () => ({
      method: 'DELETE',
      url: `/api/v1/silences/${alerts.addSilence({ matcher: { type: 'bin_full' }, startsAt: 0, endsAt: 1, reason: 'r', createdBy: 't' }).id}`,
    }),
    allowed: ['engineer', 'admin'],
    success: 204,
    permission: 'silences:manage',
  },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-matrix-'));
  db = openDatabase(join(dir, 'api.sqlite'));
  tokens = createSqliteTokenStore(db);
  const built = await buildTestApi({ tokens, alerts, registry: new FakeRegistry([makeDevice('B001')]) });
  app = built.app;
  auth = built.auth;
  plans = built.deps.plans;
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(routes)('$name', (route) => {
  it.each(API_ROLES)('role %s', async (role) => {
    if (route.stream && route.allowed.includes(role)) {
      const stream = await openSse(`${baseUrl}${route.request().url as string}`, auth[role]);
      stream.close();
      expect(stream.status).toBe(route.success);
      expect(stream.headers['content-type']).toContain('text/event-stream');
      return;
    }
    const res = await app.inject({ ...route.request(), headers: auth[role] });
    if (route.allowed.includes(role)) {
      expect(res.statusCode, res.body).toBe(route.success);
    } else {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'BP_FORBIDDEN' });
      expect(res.json().message).toContain(route.permission);
    }
  });

  it.each([
    ['no header', undefined],
    ['an unknown token', 'Bearer bp_not-a-real-token-000000000000000000000'],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
  ])('401 with %s', async (_label, authorization) => {
    const res = await app.inject({ ...route.request(), headers: authorization === undefined ? {} : { authorization } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'BP_UNAUTHENTICATED', statusCode: 401 });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="BinPulse"/);
  });
});

describe('the matrix covers the API', () => {
  it('lists every /api route of the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.sort()).toEqual(routes.map((r) => r.name).sort());
  });
});

describe('tokens that stop working', () => {
  it('a revoked token gets 401 on its next request', async () => {
    const { id, token } = tokens.create('manager', 'leaver');
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/v1/summary', headers })).statusCode).toBe(200);
    tokens.revoke(id);
    const res = await app.inject({ url: '/api/v1/summary', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  });

  it('authenticates before validating: a stranger gets 401, not a validation message', async () => {
    const res = await app.inject({ url: '/api/v1/devices?limit=-5' });
    expect(res.statusCode).toBe(401);
  });
});

describe('public routes', () => {
  it.each(['/healthz', '/metrics', '/docs', '/docs/json'])('%s needs no token', async (url) => {
    expect((await app.inject({ url })).statusCode).toBe(200);
  });
});

/** Public endpoints, the OpenAPI document, and how errors look. */
import { pino } from 'pino';
import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, FakeDeadLetters, FakeRegistry } from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
async function api(...args: Parameters<typeof buildTestApi>) {
  const built = await buildTestApi(...args);
  opened.push(built.app);
  return built;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

describe('GET /healthz', () => {
  it('says ok with the health numbers', async () => {
    const { app } = await api();
    const res = await app.inject({ url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok', mqttConnectedDevices: 3, uptimeS: 42 });
  });
});

describe('GET /metrics', () => {
  it("serves the given registry's text with its content type", async () => {
    const { app, deps } = await api();
    new Counter({ name: 'binpulse_test_messages_total', help: 'test', registers: [deps.metrics] }).inc(3);
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(deps.metrics.contentType);
    expect(res.body).toContain('binpulse_test_messages_total 3');
  });
});

describe('GET /docs/json', () => {
  type Operation = { security?: unknown[]; responses?: Record<string, unknown>; parameters?: { name: string; in: string }[] };
  type OpenApi = {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { securitySchemes: Record<string, unknown> };
  };

  it('is an OpenAPI 3 document with every route and the bearer scheme', async () => {
    const { app } = await api();
    const res = await app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenApi;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(ops.sort()).toEqual(
      [
        'get /healthz',
        'get /metrics',
        'get /api/v1/devices',
        'post /api/v1/devices',
        'get /api/v1/devices/{id}',
        'get /api/v1/forecasts',
        'post /api/v1/plans',
        'get /api/v1/plans',
        'get /api/v1/plans/{id}',
        'get /api/v1/plans/{id}/progress',
        'get /api/v1/plans/{id}/stops.csv',
        'get /api/v1/reports/tonnage',
        'get /api/v1/reports/tonnage.csv',
        'get /api/v1/reports/participation',
        'get /api/v1/reports/participation.csv',
        'get /api/v1/reports/mass-balance',
        'get /api/v1/reports/mass-balance.csv',
        'get /api/v1/me',
        'get /api/v1/dead-letters',
        'get /api/v1/summary',
        'post /api/v1/tokens',
        'get /api/v1/tokens',
        'delete /api/v1/tokens/{id}',
        'get /api/v1/alerts',
        'get /api/v1/alerts/stream',
        'get /api/v1/alerts/{id}',
        'post /api/v1/alerts/{id}/acknowledge',
        'post /api/v1/alerts/{id}/resolve',
        'get /api/v1/silences',
        'post /api/v1/silences',
        'delete /api/v1/silences/{id}',
      ].sort(),
    );
  });

  it('marks protected operations with the bearer scheme and public ones without', async () => {
    const { app } = await api();
    const doc = (await app.inject({ url: '/docs/json' })).json() as OpenApi;
    expect(doc.paths['/api/v1/devices']?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/v1/devices']?.get?.responses).toHaveProperty('403');
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
    expect(doc.paths['/metrics']?.get?.security).toEqual([]);
  });

  it('offers the query-token scheme on the alert stream only', async () => {
    const { app } = await api();
    const doc = (await app.inject({ url: '/docs/json' })).json() as OpenApi;
    expect(doc.components.securitySchemes.accessTokenQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'access_token' });
    expect(doc.paths['/api/v1/alerts/stream']?.get?.security).toEqual([{ bearerAuth: [] }, { accessTokenQuery: [] }]);
    const withQueryToken = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => JSON.stringify(op.security ?? []).includes('accessTokenQuery'))
        .map(([method]) => `${method} ${path}`),
    );
    expect(withQueryToken).toEqual(['get /api/v1/alerts/stream']);
  });

  it('documents query parameters and response bodies from the zod contracts', async () => {
    const { app } = await api();
    const doc = (await app.inject({ url: '/docs/json' })).json() as OpenApi;
    const params = doc.paths['/api/v1/devices']?.get?.parameters?.map((p) => `${p.in}:${p.name}`);
    expect(params).toEqual(
      expect.arrayContaining(['query:kind', 'query:subdistrict', 'query:online', 'query:fillAbove', 'query:limit', 'query:offset']),
    );
    const ok = JSON.stringify(doc.paths['/api/v1/devices']?.get?.responses?.['200']);
    expect(ok).toContain('maxFillingLevel');
    expect(ok).toContain('responsiblePerson');
  });

  it('serves the UI at /docs', async () => {
    const { app } = await api();
    const res = await app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('errors', () => {
  it.each(['/nope', '/api/v1/nope', '/api/v2/devices'])('unknown route %s → 404 JSON', async (url) => {
    const { app } = await api();
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, code: 'BP_NOT_FOUND', error: 'Not Found', message: `no route GET ${url}` });
  });

  it('a failing dependency gives a generic 500 without message or stack', async () => {
    const registry = new FakeRegistry();
    registry.list = () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/binpulse/fleet.sqlite');
    };
    const { app, auth } = await api({ registry });
    const res = await app.inject({ url: '/api/v1/devices', headers: auth.operator });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ statusCode: 500, code: 'BP_INTERNAL', error: 'Internal Server Error', message: 'internal error' });
    expect(res.body).not.toMatch(/SQLITE|binpulse\/|stack|\.ts/);
  });

  it('a response that breaks its schema is a 500, not a malformed answer', async () => {
    const deadLetters = new FakeDeadLetters();
    deadLetters.counts = () => ({ invalid_json: 1 }) as never; // misses the other reasons
    const { app, auth } = await api({ deadLetters });
    const res = await app.inject({ url: '/api/v1/dead-letters', headers: auth.engineer });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'BP_INTERNAL' });
    expect(res.body).not.toContain('invalid_json');
  });

  it('a malformed JSON body is a 400 with a code', async () => {
    const { app, auth } = await api();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...auth.admin, 'content-type': 'application/json' },
      payload: '{"role": "operator",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(res.body).not.toContain('    at ');
  });

  it('refuses a body over the limit', async () => {
    const { app, auth } = await api();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth.admin,
      payload: { role: 'operator', name: 'x'.repeat(100_000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  });
});

describe('logging', () => {
  it('logs server errors through the given pino logger, never the bearer token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const registry = new FakeRegistry();
    registry.list = () => {
      throw new Error('registry unavailable');
    };
    const { app, auth } = await api({ registry, logger });
    await app.inject({ url: '/api/v1/devices', headers: auth.operator });
    const log = lines.join('');
    expect(log).toContain('registry unavailable');
    expect(log).not.toContain(auth.operator.authorization.slice('Bearer '.length));
  });
});

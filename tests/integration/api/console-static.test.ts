/**
 * The web console as the API serves it: the real esbuild bundle (built once here, as the
 * platform does at start-up), index.html at /, hashed assets under /console/, no token needed.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleBundle } from '../../../services/console/adapters/bundle.ts';
import type { ConsoleBundle } from '../../../services/console/core/page.ts';
import { buildTestApi } from '../../support/api-fakes.ts';

let bundle: ConsoleBundle;
let app: FastifyInstance;

beforeAll(async () => {
  bundle = await buildConsoleBundle();
  app = (await buildTestApi({ console: { bundle, tileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', shifts: [{ start: '07:00', end: '15:00' }] } })).app;
});
afterAll(async () => {
  await app?.close();
});

const assetUrls = (html: string) => [...html.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1]!);

describe('GET /', () => {
  it('serves the console page without a token, revalidated on every visit, with its config and a CSP', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain('https://*.tile.openstreetmap.org');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const config = JSON.parse(/<script id="console-config" type="application\/json">(.*?)<\/script>/.exec(res.body)![1]!);
    expect(config).toEqual({ tileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', utcOffsetMinutes: 480, shifts: [{ start: '07:00', end: '15:00' }] });
    const urls = assetUrls(res.body);
    expect(urls).toHaveLength(2);
    expect(urls).toEqual(expect.arrayContaining([expect.stringMatching(/^\/console\/app-\w+\.css$/), expect.stringMatching(/^\/console\/app-\w+\.js$/)]));
  });

  it('answers HEAD too', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/' });
    expect(res.statusCode).toBe(200);
  });
});

describe('GET /console/:file', () => {
  it('serves every asset the page names with its content type, cached for a year', async () => {
    const page = await app.inject({ url: '/' });
    for (const url of assetUrls(page.body)) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['content-type']).toBe(url.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(res.rawPayload.length).toBeGreaterThan(1000);
    }
  });

  it('bundles Leaflet (JS and CSS) and the views, but not zod', async () => {
    const names = [...bundle.assets.keys()];
    const js = Buffer.from(bundle.assets.get(names.find((n) => /^app-\w+\.js$/.test(n))!)!.body).toString('utf8');
    const css = Buffer.from(bundle.assets.get(names.find((n) => /^app-\w+\.css$/.test(n))!)!.body).toString('utf8');
    expect(css).toContain('.leaflet-container');
    expect(css).toContain('Noto Sans CJK SC');
    expect(js).toContain('leaflet-zoom');
    expect(js).toContain('/api/v1/alerts/stream');
    expect(js).not.toContain('$ZodType');
  });

  it('answers 404 for a file that is not in the bundle', async () => {
    const res = await app.inject({ url: '/console/app-NOTHERE.js' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'BP_NOT_FOUND' });
  });

  it('leaves the console out of the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && p !== '/healthz' && p !== '/metrics')).toEqual([]);
  });
});

describe('without a console', () => {
  it('serves no page at /', async () => {
    const { app: bare } = await buildTestApi();
    expect((await bare.inject({ url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});

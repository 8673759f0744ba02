/**
 * The built-in web console: index.html at / and its hashed assets under /console/. Static files
 * need no token (the page signs in with one and sends it to /api/v1 itself); they stay out of
 * the OpenAPI document, which describes the API.
 */
import { contentSecurityPolicy, renderIndexHtml, type ConsoleBundle } from '../../console/core/page.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { RouteNotFound } from '../errors.ts';

/** Asset names carry their content hash: a changed file is a new URL, so a year is safe. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
export const CONSOLE_ASSET_PREFIX = '/console/';

export function consoleRoutes(app: ZodApp, deps: Pick<ApiDeps, 'utcOffsetMinutes'> & { console: NonNullable<ApiDeps['console']> }): void {
  const { bundle, tileUrl, shifts } = deps.console;
  const html = renderIndexHtml(bundle.indexHtml, { tileUrl, utcOffsetMinutes: deps.utcOffsetMinutes, shifts });
  const csp = contentSecurityPolicy(tileUrl);

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      // Revalidate every time: the page names the current bundle's hashed assets.
      .header('cache-control', 'no-cache')
      .header('content-security-policy', csp)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(html),
  );

  app.get<{ Params: { file: string } }>(`${CONSOLE_ASSET_PREFIX}:file`, { schema: { hide: true } }, async (request, reply) => {
    const asset = bundle.assets.get(request.params.file);
    if (asset === undefined) throw new RouteNotFound(request.method, request.url.split('?')[0] ?? '');
    return reply
      .type(asset.contentType)
      .header('cache-control', IMMUTABLE)
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(asset.body.buffer, asset.body.byteOffset, asset.body.byteLength));
  });
}

/**
 * GET /api/v1/alerts/stream: alert events as Server-Sent Events, for the live dashboard.
 *
 * The reply is hijacked: fastify would otherwise wait for a payload to serialize and end the
 * response, while this one stays open until the client leaves. After hijack() fastify runs no
 * more hooks or error handler for the request, so everything that can fail (reading the open
 * alerts) happens before it and still gets the normal error body.
 */
import { z } from 'zod';
import type { Alert } from '../../../shared/contracts/index.ts';
import { SSE_DEFAULTS, type SseHub } from '../../alerts/adapters/sse-hub.ts';
import type { AlertService } from '../../alerts/core/ports.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { AlertStreamQuery } from '../schemas.ts';

const SNAPSHOT_PAGE = 500;
/** Far above a real day (659 devices); bounds a snapshot if something floods the alert store. */
export const MAX_SNAPSHOT_ALERTS = 10_000;

/** Every open alert (active or acknowledged), newest first as the service lists them. */
export function openAlerts(alerts: Pick<AlertService, 'list'>): Alert[] {
  const items: Alert[] = [];
  while (items.length < MAX_SNAPSHOT_ALERTS) {
    const page = alerts.list({ status: 'open', limit: SNAPSHOT_PAGE, offset: items.length });
    items.push(...page.items.slice(0, MAX_SNAPSHOT_ALERTS - items.length));
    if (page.items.length < SNAPSHOT_PAGE || items.length >= page.total) break;
  }
  return items;
}

export function alertStreamRoutes(app: ZodApp, deps: Pick<ApiDeps, 'alerts'>, hub: SseHub): void {
  app.get(
    '/api/v1/alerts/stream',
    {
      // EventSource cannot send an Authorization header, so this route alone also takes
      // ?access_token= (see auth.ts); the token is redacted from request logs (server.ts).
      config: { permission: 'alerts:read', queryToken: true },
      schema: {
        tags: ['alerts'],
        summary: 'Alert events as Server-Sent Events (text/event-stream)',
        description: [
          'First an `event: snapshot` with `{"items": Alert[]}` (the open alerts), then one event per',
          'change: `raised`, `updated`, `acknowledged` or `resolved`, each with an `AlertEvent` as data',
          `and an \`id:\`. A comment line every ${SSE_DEFAULTS.heartbeatMs / 1000} s keeps proxies from`,
          'closing the stream. A client that falls too far behind is disconnected; on reconnect it gets',
          'a fresh snapshot. Browsers may pass the token as `?access_token=` (EventSource cannot set headers).',
        ].join(' '),
        querystring: AlertStreamQuery,
        response: { 200: z.string().describe('text/event-stream') },
      },
    },
    async (request, reply) => {
      const open = openAlerts(deps.alerts);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-store',
        connection: 'keep-alive',
        // nginx buffers proxied responses by default, which would hold events back.
        'x-accel-buffering': 'no',
      });
      const detach = hub.attach(
        {
          write: (chunk) => void res.write(chunk),
          bufferedBytes: () => res.writableLength,
          abort: () => res.destroy(),
          end: () => res.end(),
        },
        open,
      );
      res.once('close', detach);
      request.log.debug({ clients: hub.size }, 'alert stream opened');
    },
  );
}

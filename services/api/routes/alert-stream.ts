/**
 * GET /api/v1/alerts/stream: alert events as Server-Sent Events, for the live dashboard.
 *
 * The reply is hijacked: fastify would otherwise wait for a payload to serialize and end the
 * response, while this one stays open until the client leaves. After hijack() fastify runs no
 * more hooks or error handler for the request, so everything that can fail (reading the open
 * alerts, the per-token cap) happens before it and still gets the normal error body.
 *
 * Issue 15: the snapshot is shared by every connect and kept current from the alert events
 * (services/alerts/core/open-alert-snapshot.ts, held by the hub), so a crowd of dashboards
 * reconnecting at once costs the event loop one serialization, not one per client. Streams are
 * capped per token, and a revoked or expired token's streams and a stream that stopped reading
 * are closed (../core/stream-registry.ts).
 */
import { Counter } from 'prom-client';
import { z } from 'zod';
import type { Alert } from '../../../shared/contracts/index.ts';
import { PeriodicJob } from '../../../shared/periodic-job.ts';
import { SSE_DEFAULTS, type SseHub } from '../../alerts/adapters/sse-hub.ts';
import type { AlertService } from '../../alerts/core/ports.ts';
import { StreamRegistry, type StreamEndReason } from '../core/stream-registry.ts';
import { createTurnstile } from '../core/turnstile.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { TooManyStreams, Unauthenticated } from '../errors.ts';
import { AlertStreamQuery } from '../schemas.ts';
import { ApiErrorBody } from '../../../shared/contracts/index.ts';

const SNAPSHOT_PAGE = 500;
/** Far above a real day (659 devices); bounds a snapshot if something floods the alert store. */
export const MAX_SNAPSHOT_ALERTS = 10_000;

export const ALERT_STREAM_DEFAULTS = {
  maxStreamsPerToken: 8,
  /** Unsent bytes above which a stream counts as behind: a snapshot and a few events. */
  slowBytes: 256 * 1024,
  /** How long a stream may stay behind before it is closed. */
  slowAfterMs: 5_000,
  checkEveryMs: 1_000,
  /**
   * Streams started per event-loop turn: a reconnecting crowd is served in batches
   * (../core/turnstile.ts). Writing a ~0.5 MB snapshot to a socket costs ~1 ms of the loop
   * (the kernel copy happens in the write call); at 16 a turn the device PUBACK p99 of the
   * sse-connects bench was 52-125 ms, at 2 it is 36-49 ms, and 600 streams still start in ~1 s.
   */
  startsPerTurn: 2,
} as const;

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

export function alertStreamRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'alerts' | 'tokens' | 'metrics' | 'alertStream' | 'now'>,
  hub: SseHub,
): void {
  const tuning = { ...ALERT_STREAM_DEFAULTS, ...deps.alertStream };
  const refused = new Counter({
    name: 'binpulse_alert_streams_refused_total',
    help: 'Alert streams (SSE) refused, by reason (per_token_cap: SSE_MAX_STREAMS_PER_TOKEN reached)',
    labelNames: ['reason'],
    registers: [deps.metrics],
  });
  const ended = new Counter({
    name: 'binpulse_alert_streams_closed_total',
    help: 'Alert streams (SSE) closed by the server, by reason (revoked, expired, slow)',
    labelNames: ['reason'],
    registers: [deps.metrics],
  });
  const streams = new StreamRegistry({
    maxPerToken: tuning.maxStreamsPerToken,
    slowBytes: tuning.slowBytes,
    slowAfterMs: tuning.slowAfterMs,
    onEnded: (reason, tokenId) => {
      ended.inc({ reason });
      app.log.info({ reason, tokenId }, 'alert stream closed by the server');
    },
  });
  // Tokens ended since start: a request authenticated just before its token was revoked may
  // still be waiting for its turn below, and must not open a stream after the revocation.
  const endedTokens = new Set<string>();
  const stopTokenWatch = deps.tokens.onTokenEnded((tokenId, why) => {
    endedTokens.add(tokenId);
    if (endedTokens.size > 10_000) endedTokens.delete(endedTokens.values().next().value!);
    streams.endToken(tokenId, why);
  });
  const turnstile = createTurnstile(tuning.startsPerTurn);
  const slowCheck = new PeriodicJob({
    everyMs: tuning.checkEveryMs,
    runAtStart: false,
    run: () => void streams.check(deps.now()),
    onError: (err) => app.log.error({ err }, 'alert stream check failed; tried again at the next'),
  });
  slowCheck.start();

  app.addHook('onClose', async () => {
    await slowCheck.stop();
    stopTokenWatch();
  });

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
          `One token holds at most ${tuning.maxStreamsPerToken} streams (SSE_MAX_STREAMS_PER_TOKEN; more: 429);`,
          'revoking the token closes its streams.',
        ].join(' '),
        querystring: AlertStreamQuery,
        response: { 200: z.string().describe('text/event-stream'), 429: ApiErrorBody },
      },
    },
    async (request, reply) => {
      // auth.ts has set the principal: the route declares a permission.
      const tokenId = request.principal!.id;
      await turnstile();
      // Gone while waiting for its turn: nothing to attach ('close' would never come again).
      if (request.raw.socket.destroyed) return reply.hijack();
      if (endedTokens.has(tokenId)) throw new Unauthenticated('unknown or revoked token');
      if (!streams.admits(tokenId)) {
        refused.inc({ reason: 'per_token_cap' });
        throw new TooManyStreams(tuning.maxStreamsPerToken);
      }
      const open = hub.snapshotBytes();
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
      const forget = streams.add(tokenId, { bufferedBytes: () => res.writableLength, close: (reason) => closeStream(res, reason) });
      res.once('close', () => {
        detach();
        forget();
      });
      request.log.debug({ clients: hub.size }, 'alert stream opened');
    },
  );
}

/** How long a cleanly ended stream may take to drain before its socket is cut anyway. */
const END_GRACE_MS = 5_000;

/**
 * A slow stream is cut; a revoked or expired one is ended cleanly (the last chunk sent), so the
 * browser's EventSource reconnects and meets the 401 rather than logging a broken response.
 */
function closeStream(res: { end(): void; destroy(): void }, reason: StreamEndReason): void {
  if (reason === 'slow') return res.destroy();
  res.end();
  setTimeout(() => res.destroy(), END_GRACE_MS).unref();
}

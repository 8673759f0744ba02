/** GET /api/v1/alerts/stream over a real socket: snapshot, events, heartbeat, tokens, disconnects. */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../../services/api/deps.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { buildTestApi } from '../../support/api-fakes.ts';
import { openSse, type SseStream } from '../../support/sse-client.ts';
import { waitFor } from './helpers.ts';

const opened: FastifyInstance[] = [];
const streams: SseStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

async function listening(alerts: FakeAlertService, extra: Partial<ApiDeps> = {}) {
  const built = await buildTestApi({ alerts, ...extra });
  opened.push(built.app);
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
  const open = async (path = '/api/v1/alerts/stream', headers: Record<string, string> = built.auth.operator) => {
    const stream = await openSse(`${base}${path}`, headers);
    streams.push(stream);
    return stream;
  };
  return { ...built, base, open };
}

describe('alert stream', () => {
  it('sends the open alerts as a snapshot, then every event with its name and an id', async () => {
    const active = makeAlert({ status: 'active' });
    const acked = makeAlert({ status: 'acknowledged' });
    const resolved = makeAlert({ status: 'resolved' });
    const alerts = new FakeAlertService([active, acked, resolved]);
    const { open } = await listening(alerts);

    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toContain('no-cache');

    const snapshot = await stream.next();
    expect(snapshot.event).toBe('snapshot');
    const ids = (JSON.parse(snapshot.data) as { items: { id: string }[] }).items.map((a) => a.id).sort();
    expect(ids).toEqual([active.id, acked.id].sort());
    expect(alerts.listCalls[0]).toMatchObject({ status: 'open', offset: 0 });

    const raised = makeAlert({ severity: 'critical', type: 'fire_risk', title: 'Temperature 71 °C' });
    alerts.emit('raised', raised);
    const first = await stream.next();
    expect(first.event).toBe('raised');
    expect(JSON.parse(first.data)).toEqual({ event: 'raised', alert: raised });

    alerts.emit('resolved', { ...raised, status: 'resolved', resolvedBy: 'auto' });
    const second = await stream.next();
    expect(second.event).toBe('resolved');
    expect(JSON.parse(second.data).alert.resolvedBy).toBe('auto');
    expect(Number(second.id)).toBeGreaterThan(Number(first.id));
    expect(Number(first.id)).toBeGreaterThan(Number(snapshot.id));
  });

  it('fans one event out to every client, and gives the listener back when the last one leaves', async () => {
    const alerts = new FakeAlertService();
    const { open } = await listening(alerts);
    expect(alerts.listenerCount).toBe(0);
    const a = await open();
    const b = await open();
    await a.next();
    await b.next();
    expect(alerts.listenerCount).toBe(1);

    alerts.emit('updated', makeAlert({ id: 'alt_fan', count: 3 }));
    expect(JSON.parse((await a.next()).data).alert.id).toBe('alt_fan');
    expect(JSON.parse((await b.next()).data).alert.id).toBe('alt_fan');

    a.close();
    await a.closed;
    b.close();
    await waitFor(() => alerts.listenerCount === 0, 'the hub to unsubscribe');
  });

  it('sends a comment heartbeat', async () => {
    const alerts = new FakeAlertService();
    const { open } = await listening(alerts, { alertStream: { heartbeatMs: 20 } });
    const stream = await open();
    await waitFor(() => stream.raw.includes(': heartbeat\n\n'), 'a heartbeat');
    // Comments are not events: the next event still arrives as itself.
    alerts.emit('raised', makeAlert({ id: 'alt_after_beat' }));
    await stream.next(); // snapshot
    const next = await stream.next();
    expect(next.event).toBe('raised');
    expect(next.comments).toContain('heartbeat');
  });

  it('disconnects a client that stops reading instead of buffering for it', async () => {
    const alerts = new FakeAlertService();
    const { open } = await listening(alerts, { alertStream: { maxBufferBytes: 64 * 1024 } });
    const stream = await open();
    await stream.next();
    stream.response.pause();
    let isClosed = false;
    void stream.closed.then(() => (isClosed = true));
    const big = makeAlert({ title: 'x'.repeat(100_000) });
    // Socket buffers on loopback hold a few MB; keep sending until the hub gives up.
    for (let batch = 0; batch < 60 && !isClosed; batch++) {
      for (let i = 0; i < 10; i++) alerts.emit('updated', { ...big, count: batch * 10 + i });
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(isClosed).toBe(true);
    await waitFor(() => alerts.listenerCount === 0, 'the slow client to be detached');
  });

  it('ends open streams when the server closes, so close() does not hang', async () => {
    const alerts = new FakeAlertService();
    const { app, open } = await listening(alerts);
    const stream = await open();
    await stream.next();
    await app.close();
    await stream.closed;
    expect(alerts.listenerCount).toBe(0);
  });
});

describe('the stream token', () => {
  it('is accepted as ?access_token= on the stream, for EventSource', async () => {
    const alerts = new FakeAlertService();
    const { open, auth } = await listening(alerts);
    const token = auth.manager.authorization.slice('Bearer '.length);
    const stream = await open(`/api/v1/alerts/stream?access_token=${encodeURIComponent(token)}`, {});
    expect(stream.status).toBe(200);
    expect((await stream.next()).event).toBe('snapshot');
  });

  it('an unknown query token is 401 invalid_token, a missing one 401 naming both ways', async () => {
    const { app } = await listening(new FakeAlertService());
    const bad = await app.inject({ url: '/api/v1/alerts/stream?access_token=bp_nope' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toContain('invalid_token');
    const none = await app.inject({ url: '/api/v1/alerts/stream' });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toContain('access_token');
  });

  it('is refused on every other route', async () => {
    const { app, auth } = await listening(new FakeAlertService());
    const token = auth.admin.authorization.slice('Bearer '.length);
    for (const url of ['/api/v1/alerts', '/api/v1/devices', '/api/v1/tokens']) {
      const res = await app.inject({ url: `${url}?access_token=${token}` });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('does not override an Authorization header that is present', async () => {
    const { app, auth } = await listening(new FakeAlertService());
    const token = auth.admin.authorization.slice('Bearer '.length);
    const res = await app.inject({ url: `/api/v1/alerts/stream?access_token=${token}`, headers: { authorization: 'Bearer bp_wrong' } });
    expect(res.statusCode).toBe(401);
  });

  it('never reaches the request log', async () => {
    const lines: string[] = [];
    // Request lines are debug (services/api/server.ts).
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
    const { open, auth } = await listening(new FakeAlertService(), { logger });
    const token = auth.operator.authorization.slice('Bearer '.length);
    const stream = await open(`/api/v1/alerts/stream?access_token=${token}&x=1`, {});
    await stream.next();
    const log = lines.join('');
    expect(log).toContain('/api/v1/alerts/stream?access_token=[redacted]&x=1');
    expect(log).not.toContain(token);
  });
});

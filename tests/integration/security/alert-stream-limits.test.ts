/**
 * The alert stream over a real socket (issue 15): a stream that stops reading is closed once
 * its unsent bytes have stayed above the bound for slowAfterMs; an expired token's streams are
 * closed by the expiry sweep; crowds share one snapshot, read from the store once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteTokenStore } from '../../../services/api/adapters/sqlite-token-store.ts';
import type { ApiDeps } from '../../../services/api/deps.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { buildTestApi } from '../../support/api-fakes.ts';
import { openSse, type SseStream } from '../../support/sse-client.ts';

const opened: FastifyInstance[] = [];
const streams: SseStream[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all(opened.splice(0).map((a) => a.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function listening(extra: Partial<ApiDeps>) {
  const built = await buildTestApi({ now: () => Date.now(), ...extra });
  opened.push(built.app);
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
  const open = async (token: string) => {
    const stream = await openSse(`${base}/api/v1/alerts/stream`, { authorization: `Bearer ${token}` });
    streams.push(stream);
    return stream;
  };
  return { ...built, open };
}

const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

async function metricValue(app: FastifyInstance, name: string, labels: string): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('a slow alert stream', () => {
  it('is closed once it has stayed behind longer than slowAfterMs, and counted', async () => {
    // ~30 MB of open alerts: far more than loopback socket buffers hold, so a client that reads
    // nothing leaves most of the snapshot unsent on the server.
    const big = Array.from({ length: 300 }, () => makeAlert({ title: 'x'.repeat(100_000) }));
    const { app, open, auth } = await listening({
      alerts: new FakeAlertService(big),
      alertStream: { slowBytes: 64 * 1024, slowAfterMs: 300, checkEveryMs: 50 },
    });
    const stream = await open(auth.operator.authorization.slice('Bearer '.length));
    stream.response.pause();
    const deadline = Date.now() + 5000;
    while ((await metricValue(app, 'binpulse_alert_streams_closed_total', 'reason="slow"')) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await metricValue(app, 'binpulse_alert_streams_closed_total', 'reason="slow"')).toBe(1);
    // The client learns of it once it reads again: what it had not received is gone.
    stream.response.resume();
    expect(await within(stream.closed, 5000)).toBe(true);
    expect(stream.raw.length).toBeLessThan(30_000_000);
  });

  it('a reader that keeps up is left open', async () => {
    const big = Array.from({ length: 20 }, () => makeAlert({ title: 'x'.repeat(100_000) }));
    const { open, auth } = await listening({
      alerts: new FakeAlertService(big),
      alertStream: { slowBytes: 64 * 1024, slowAfterMs: 300, checkEveryMs: 50 },
    });
    const stream = await open(auth.operator.authorization.slice('Bearer '.length));
    expect((await stream.next()).event).toBe('snapshot');
    expect(await within(stream.closed, 800)).toBe(false);
  });
});

describe('an expired token', () => {
  it("has its streams closed by the expiry sweep", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bp-expiry-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'binpulse.db'));
    let t = Date.parse('2026-12-06T00:00:00Z');
    const tokens = createSqliteTokenStore(db, () => t);
    const { token } = tokens.create('operator', 'for a day', { expiresInDays: 1 });
    const { open } = await listening({ tokens, alerts: new FakeAlertService() });
    const stream = await open(token);
    expect((await stream.next()).event).toBe('snapshot');
    t += 86_400_000 + 1;
    expect(tokens.sweepExpired()).toHaveLength(1);
    expect(await within(stream.closed, 1000)).toBe(true);
    db.close();
  });
});

describe('the shared snapshot', () => {
  it('reads the store once for a crowd connecting together, and stays current from the events', async () => {
    const first = makeAlert({ status: 'active' });
    const alerts = new FakeAlertService([first]);
    const { open, auth } = await listening({ alerts, alertStream: { maxStreamsPerToken: 100 } });
    const token = auth.operator.authorization.slice('Bearer '.length);
    const crowd = await Promise.all(Array.from({ length: 20 }, () => open(token)));
    for (const s of crowd) expect(JSON.parse((await s.next()).data).items.map((a: { id: string }) => a.id)).toEqual([first.id]);
    expect(alerts.listCalls).toHaveLength(1);

    const raised = makeAlert({ status: 'active', raisedAt: '2026-12-06T01:00:00.000Z' });
    alerts.emit('raised', raised);
    alerts.emit('resolved', { ...first, status: 'resolved' });
    const late = await open(token);
    expect(JSON.parse((await late.next()).data).items.map((a: { id: string }) => a.id)).toEqual([raised.id]);
    expect(alerts.listCalls).toHaveLength(1);
  });
});

describe('POST /api/v1/tokens with expiresInDays', () => {
  it('gives the token an expiry, listed; the token is refused after it; a bad value is a 400 naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bp-expiry-api-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'binpulse.db'));
    let t = Date.parse('2026-12-06T00:00:00Z');
    const tokens = createSqliteTokenStore(db, () => t);
    const { app, auth } = await listening({ tokens });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth.admin,
      payload: { role: 'operator', name: 'contractor', expiresInDays: 7 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'operator', expiresAt: '2026-12-13T00:00:00.000Z' });
    const list = (await app.inject({ url: '/api/v1/tokens', headers: auth.admin })).json() as { items: { id: string; expiresAt: string | null }[] };
    expect(list.items.find((i) => i.id === created.json().id)?.expiresAt).toBe('2026-12-13T00:00:00.000Z');
    const bearer = { authorization: `Bearer ${created.json().token}` };
    expect((await app.inject({ url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    t += 7 * 86_400_000;
    expect((await app.inject({ url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers: auth.admin, payload: { role: 'operator', name: 'x', expiresInDays: 0 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('expiresInDays');
    db.close();
  });
});

/**
 * The webhook against a real local HTTP receiver: retries, Retry-After, dead letters, timeouts,
 * per-alert order, notification filtering, and a restart with deliveries still pending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteWebhookOutbox } from '../../../services/alerts/adapters/sqlite-webhook-outbox.ts';
import { WebhookNotifier, type WebhookNotifierOptions } from '../../../services/alerts/adapters/webhook-notifier.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { FakeAlertService, makeAlert } from '../../support/alert-fakes.ts';
import { waitFor } from './helpers.ts';

type Answer = { status: number; headers?: Record<string, string> } | 'hang' | 'drop';

/** A receiver answering from a script, then with `fallback`; it records every request. */
class Receiver {
  readonly requests: Array<{ at: number; headers: IncomingHttpHeaders; body: string }> = [];
  script: Answer[] = [];
  fallback: Answer = { status: 200 };
  private readonly hanging: ServerResponse[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.requests.push({ at: Date.now(), headers: req.headers, body });
        const answer = this.script.shift() ?? this.fallback;
        if (answer === 'hang') return void this.hanging.push(res);
        if (answer === 'drop') return void req.socket.destroy();
        res.writeHead(answer.status, answer.headers).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/binpulse`;
  }

  events(): string[] {
    return this.requests.map((r) => (JSON.parse(r.body) as { event: string }).event);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

let dir: string;
let receiver: Receiver;
const dbs: SqliteDatabase[] = [];
const notifiers: WebhookNotifier[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-webhook-'));
  receiver = new Receiver();
  await receiver.start();
});
afterEach(async () => {
  await Promise.all(notifiers.splice(0).map((n) => n.stop()));
  for (const db of dbs.splice(0)) db.close();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

function setup(overrides: Partial<WebhookNotifierOptions> = {}, alerts = new FakeAlertService()) {
  const db = openDatabase(join(dir, 'alerts.sqlite'));
  dbs.push(db);
  const outbox = new SqliteWebhookOutbox(db);
  const metrics = new Registry();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const notifier = new WebhookNotifier({
    url: receiver.url,
    alerts,
    outbox,
    metrics,
    logger,
    random: () => 0,
    backoff: { baseMs: 20, capMs: 100, maxRetryAfterMs: 5_000 },
    timeoutMs: 2_000,
    ...overrides,
  });
  notifiers.push(notifier);
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const m = await metrics.getSingleMetric(name)?.get();
    return m?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
  };
  return { db, outbox, notifier, alerts, metric, logs };
}

describe('webhook delivery', () => {
  it('retries 5xx and network errors until the receiver takes it, with one delivery id throughout', async () => {
    receiver.script = [{ status: 500 }, { status: 503 }, 'drop', { status: 200 }];
    const { notifier, alerts, outbox, metric } = setup();
    notifier.start();
    const alert = makeAlert({ type: 'fire_risk', severity: 'critical' });
    alerts.emit('raised', alert);
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the delivery');

    expect(receiver.requests).toHaveLength(4);
    expect(new Set(receiver.requests.map((r) => r.headers['x-binpulse-delivery'])).size).toBe(1);
    const last = receiver.requests[3]!;
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-binpulse-event']).toBe('raised');
    expect(JSON.parse(last.body)).toEqual({ event: 'raised', alert });
    expect(await metric('binpulse_webhook_deliveries_total', { result: 'retry' })).toBe(3);
    expect(await metric('binpulse_webhook_deliveries_total', { result: 'dead' })).toBe(0);
    expect(outbox.depth()).toBe(0);
    expect(await metric('binpulse_webhook_outbox_depth')).toBe(0);
  });

  it('waits as long as a 429 Retry-After asks, not the (zero) jitter', async () => {
    receiver.script = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }];
    const { notifier, alerts, metric } = setup();
    notifier.start();
    alerts.emit('raised', makeAlert());
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the delivery');
    expect(receiver.requests).toHaveLength(2);
    // A lower bound only: the retry cannot come sooner if Retry-After is honoured.
    expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once on a 400 (dead, logged, counted), and the next event of the alert still goes out', async () => {
    receiver.script = [{ status: 400 }];
    const { notifier, alerts, metric, db, logs } = setup();
    notifier.start();
    const alert = makeAlert();
    alerts.emit('raised', alert);
    alerts.emit('acknowledged', { ...alert, status: 'acknowledged' });
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the acknowledgement');
    // Had the 400 been retried, the raise would have gone out again before the acknowledgement.
    expect(receiver.events()).toEqual(['raised', 'acknowledged']);
    expect(await metric('binpulse_webhook_deliveries_total', { result: 'dead' })).toBe(1);
    expect(await metric('binpulse_webhook_deliveries_total', { result: 'retry' })).toBe(0);
    const dead = db.prepare("SELECT event, attempts, last_error FROM webhook_outbox WHERE status = 'dead'").all();
    expect(dead).toEqual([{ event: 'raised', attempts: 1, last_error: 'HTTP 400' }]);
    expect(logs.some((l) => l.level === 40 && l.detail === 'HTTP 400' && l.alertId === alert.id)).toBe(true);
  });

  it('a retryable failure becomes dead after maxAttempts', async () => {
    receiver.fallback = { status: 503 };
    const { notifier, alerts, metric, outbox } = setup({ maxAttempts: 3 });
    notifier.start();
    alerts.emit('raised', makeAlert());
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'dead' })) === 1, 'giving up');
    expect(receiver.requests).toHaveLength(3);
    expect(await metric('binpulse_webhook_deliveries_total', { result: 'retry' })).toBe(2);
    expect(outbox.depth()).toBe(0);
  });

  it('treats a receiver that does not answer in time as a failed attempt', async () => {
    receiver.script = ['hang', { status: 204 }];
    const { notifier, alerts, metric, logs } = setup({ timeoutMs: 200 });
    notifier.start();
    alerts.emit('raised', makeAlert());
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the delivery');
    expect(receiver.requests).toHaveLength(2);
    expect(logs.some((l) => String(l.detail).includes('no answer within 200 ms'))).toBe(true);
  });

  it("delivers one alert's notifications in order, even across retries", async () => {
    receiver.script = [{ status: 503 }, { status: 503 }];
    const { notifier, alerts, metric } = setup();
    notifier.start();
    const alert = makeAlert();
    alerts.emit('raised', alert);
    alerts.emit('acknowledged', { ...alert, status: 'acknowledged' });
    alerts.emit('resolved', { ...alert, status: 'resolved' });
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 3, 'three deliveries');
    expect(receiver.events()).toEqual(['raised', 'raised', 'raised', 'acknowledged', 'resolved']);
  });

  it('queues only what should notify: no count updates, no muted or inhibited alerts; escalations yes', async () => {
    const { notifier, alerts, outbox, metric } = setup();
    notifier.start();
    const alert = makeAlert({ severity: 'warning' });
    alerts.emit('raised', alert);
    expect(outbox.depth()).toBe(1);
    alerts.emit('updated', { ...alert, count: 2 });
    alerts.emit('raised', makeAlert({ muted: true, silenceId: 'sil_1' }));
    alerts.emit('raised', makeAlert({ inhibitedBy: 'alt_area' }));
    alerts.emit('updated', { ...alert, count: 3, severity: 'info' });
    expect(outbox.depth()).toBe(1); // nothing queued by those four (the raise is still in flight)
    alerts.emit('updated', { ...alert, count: 4, severity: 'critical' });
    alerts.emit('resolved', { ...alert, severity: 'critical', status: 'resolved' });
    await waitFor(async () => (await metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 3, 'three deliveries');
    expect(receiver.events()).toEqual(['raised', 'updated', 'resolved']);
    expect(JSON.parse(receiver.requests[1]!.body).alert.severity).toBe('critical');
  });

  it('stop() gives the listener back', async () => {
    const { notifier, alerts } = setup();
    notifier.start();
    expect(alerts.listenerCount).toBe(1);
    await notifier.stop();
    expect(alerts.listenerCount).toBe(0);
  });
});

describe('restart', () => {
  it('resumes pending deliveries from the outbox after a restart in the middle', async () => {
    receiver.fallback = { status: 503 };
    const first = setup({ random: () => 0.5, backoff: { baseMs: 400, capMs: 400, maxRetryAfterMs: 1000 } });
    first.notifier.start();
    const alert = makeAlert({ type: 'device_offline' });
    first.alerts.emit('raised', alert);
    await waitFor(() => first.outbox.heads(1)[0]?.attempts === 1, 'the first failed attempt to be recorded');
    // The process goes away: notifier stopped, database closed, nothing else kept.
    await first.notifier.stop();
    first.db.close();
    dbs.splice(dbs.indexOf(first.db), 1);
    const attemptsBefore = receiver.requests.length;

    receiver.fallback = { status: 200 };
    const second = setup(); // the same database file, a new service with no events of its own
    expect(second.outbox.depth()).toBe(1);
    expect(await second.metric('binpulse_webhook_outbox_depth')).toBe(1);
    second.notifier.start();
    await waitFor(async () => (await second.metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the resumed delivery');

    expect(receiver.requests.length).toBe(attemptsBefore + 1);
    const ids = receiver.requests.map((r) => r.headers['x-binpulse-delivery']);
    expect(new Set(ids).size).toBe(1);
    expect(JSON.parse(receiver.requests.at(-1)!.body)).toEqual({ event: 'raised', alert });
    expect(second.outbox.depth()).toBe(0);
  });

  it('remembers severities across a restart, so an escalation after it still notifies', async () => {
    const first = setup();
    first.notifier.start();
    const alert = makeAlert({ severity: 'warning' });
    first.alerts.emit('raised', alert);
    await waitFor(async () => (await first.metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the raise');
    await first.notifier.stop();

    const second = setup();
    second.notifier.start();
    second.alerts.emit('updated', { ...alert, severity: 'critical', count: 2 });
    await waitFor(async () => (await second.metric('binpulse_webhook_deliveries_total', { result: 'delivered' })) === 1, 'the escalation');
    expect(receiver.events()).toEqual(['raised', 'updated']);
  });
});

/**
 * POSTs alert notifications (AlertEvent JSON) to ALERT_WEBHOOK_URL, at least once.
 *
 * Each event that should notify (core/notification.ts) is first written to the outbox, in the
 * alert service's event callback, then sent. Answers: 2xx done; 408/429/5xx, timeouts and
 * network errors retried with exponential backoff and full jitter, Retry-After honoured
 * (WEBHOOK_BACKOFF, shared/retry.ts), up to maxAttempts; any other status dead at once (logged, counted). A
 * restart resumes whatever is pending (start()). Receivers deduplicate by the
 * X-BinPulse-Delivery header, which stays the same across retries of one notification.
 *
 * Only the oldest pending notification of an alert is sent at a time (the outbox's "heads"),
 * so an alert's raised → acknowledged → resolved arrive in that order; different alerts go
 * out concurrently, up to `concurrency`.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { AlertEvent, type Severity } from '../../../shared/contracts/index.ts';
import { backoffDelayMs, parseRetryAfter, validateBackoffPolicy, type BackoffPolicy } from '../../../shared/retry.ts';
import { deliveryOutcome, notificationFor, type DeliveryOutcome } from '../core/notification.ts';
import type { AlertService } from '../core/ports.ts';

export interface OutboxRow {
  id: number;
  alertId: string;
  event: string;
  /** The request body, as stored. */
  payload: string;
  /** Failed attempts so far. */
  attempts: number;
  nextAttemptAt: number;
}

/** What the notifier needs of its outbox (sqlite-webhook-outbox.ts implements it). */
export interface WebhookOutbox {
  /**
   * In one transaction: remembers the alert's severity (null forgets it: resolved) and, when
   * given, enqueues a delivery due at `at`. Returns the new row id, or null.
   */
  record(input: {
    alertId: string;
    severity: Severity | null;
    delivery?: { event: string; payload: string; at: number } | undefined;
  }): number | null;
  lastSeverity(alertId: string): Severity | undefined;
  /** The oldest pending row of each alert, soonest due first. */
  heads(limit: number): OutboxRow[];
  delivered(id: number): void;
  retry(id: number, attempts: number, nextAttemptAt: number, error: string): void;
  dead(id: number, attempts: number, error: string): void;
  /** Pending rows. */
  depth(): number;
}

export interface WebhookNotifierOptions {
  url: string;
  alerts: Pick<AlertService, 'onEvent'>;
  outbox: WebhookOutbox;
  metrics: Registry;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** [0, 1), for the backoff jitter. */
  random?: () => number;
  /** Per request; a receiver that hangs counts as a failed attempt. */
  timeoutMs?: number;
  /** Attempts in all (the first included) before a retryable failure becomes dead. */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Requests in flight at once (to different alerts). */
  concurrency?: number;
  fetch?: typeof fetch;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, maxAttempts: 10, concurrency: 4 } as const;

/**
 * Full jitter: many alerts' deliveries fail together when the receiver is down, and must not
 * all come back at the same instant; a receiver's Retry-After is obeyed up to an hour.
 */
export const WEBHOOK_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, factor: 2, maxRetryAfterMs: 60 * 60_000, jitter: 'full' };

const RESULTS: readonly DeliveryOutcome[] = ['delivered', 'retry', 'dead'];

export class WebhookNotifier {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly fetch: typeof fetch;
  private readonly deliveries: Counter<'result'>;
  /** Row id → its request's abort controller and settlement. */
  private readonly inFlight = new Map<number, { abort: AbortController; done: Promise<void> }>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly options: WebhookNotifierOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULTS.timeoutMs;
    this.maxAttempts = options.maxAttempts ?? WEBHOOK_DEFAULTS.maxAttempts;
    this.concurrency = options.concurrency ?? WEBHOOK_DEFAULTS.concurrency;
    this.backoff = validateBackoffPolicy({ ...WEBHOOK_BACKOFF, ...options.backoff });
    this.fetch = options.fetch ?? fetch;
    this.deliveries = new Counter({
      name: 'binpulse_webhook_deliveries_total',
      help: 'Webhook delivery attempts by result: delivered, retry (failed, will retry), dead (given up)',
      labelNames: ['result'] as const,
      registers: [options.metrics],
    });
    for (const result of RESULTS) this.deliveries.inc({ result }, 0);
    const outbox = options.outbox;
    let lastDepth = 0;
    new Gauge({
      name: 'binpulse_webhook_outbox_depth',
      help: 'Alert notifications waiting in the webhook outbox (not yet delivered or dead)',
      registers: [options.metrics],
      collect() {
        // A scrape after the database closed must not fail the whole /metrics answer.
        try {
          lastDepth = outbox.depth();
        } catch {
          /* keep the last known depth */
        }
        this.set(lastDepth);
      },
    });
  }

  /** Listens for alert events and resumes the deliveries left pending (by a restart too). */
  start(): void {
    if (this.running) throw new Error('WebhookNotifier already started');
    this.running = true;
    this.unsubscribe = this.options.alerts.onEvent((event) => this.onEvent(event));
    this.pump();
  }

  /** Stops listening; requests in flight are aborted and stay pending for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const { abort } of this.inFlight.values()) abort.abort(new Error('notifier stopping'));
    await Promise.all([...this.inFlight.values()].map((f) => f.done));
  }

  /** Called in the alert service's emit: it must never throw back into it. */
  private onEvent(event: AlertEvent): void {
    try {
      const { alert } = event;
      const decision = notificationFor(event, this.options.outbox.lastSeverity(alert.id));
      const id = this.options.outbox.record({
        alertId: alert.id,
        severity: event.event === 'resolved' ? null : alert.severity,
        delivery: decision.notify
          ? { event: event.event, payload: JSON.stringify(AlertEvent.parse(event)), at: this.now() }
          : undefined,
      });
      if (id !== null) this.pump();
    } catch (err) {
      this.options.logger.error({ err, alertId: event.alert?.id }, 'alert notification could not be queued');
    }
  }

  /** Starts what is due and fits in the concurrency, then sleeps until the next due row. */
  private pump(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let heads: OutboxRow[];
    try {
      heads = this.options.outbox.heads(this.concurrency + this.inFlight.size);
    } catch (err) {
      this.options.logger.error({ err }, 'webhook outbox unreadable');
      return;
    }
    const now = this.now();
    let nextDue: number | null = null;
    for (const row of heads) {
      if (this.inFlight.has(row.id)) continue;
      if (row.nextAttemptAt > now) {
        nextDue = row.nextAttemptAt;
        break; // heads come soonest first
      }
      if (this.inFlight.size >= this.concurrency) break; // a finishing request pumps again
      this.deliver(row);
    }
    if (nextDue !== null) {
      this.timer = setTimeout(() => this.pump(), nextDue - now);
      // Pending rows survive in the outbox; the timer alone must not keep a process alive.
      this.timer.unref();
    }
  }

  private deliver(row: OutboxRow): void {
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    const done = this.attempt(row, abort.signal)
      .then((result) => this.settle(row, result))
      .catch((err: unknown) => this.options.logger.error({ err, deliveryId: row.id }, 'webhook bookkeeping failed'))
      .finally(() => {
        clearTimeout(timeout);
        this.inFlight.delete(row.id);
        this.pump();
      });
    this.inFlight.set(row.id, { abort, done });
  }

  private async attempt(row: OutboxRow, signal: AbortSignal): Promise<{ outcome: DeliveryOutcome | 'stopped'; detail: string; retryAfter?: string | null }> {
    try {
      const response = await this.fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'BinPulse-Webhook/1',
          'x-binpulse-delivery': String(row.id),
          'x-binpulse-event': row.event,
        },
        body: row.payload,
        signal,
        redirect: 'manual',
      });
      // The body is not needed; cancelling frees the connection.
      await response.body?.cancel().catch(() => undefined);
      return { outcome: deliveryOutcome(response.status), detail: `HTTP ${response.status}`, retryAfter: response.headers.get('retry-after') };
    } catch (err) {
      if (!this.running) return { outcome: 'stopped', detail: 'stopped' };
      const reason = signal.aborted ? signal.reason : err;
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return { outcome: 'retry', detail: cause ?? (reason instanceof Error ? reason.message : String(reason)) };
    }
  }

  private settle(row: OutboxRow, result: { outcome: DeliveryOutcome | 'stopped'; detail: string; retryAfter?: string | null }): void {
    const { outbox, logger } = this.options;
    const context = { deliveryId: row.id, alertId: row.alertId, event: row.event };
    if (result.outcome === 'stopped') return; // untouched: pending for the next start
    const attempts = row.attempts + 1;
    if (result.outcome === 'delivered') {
      outbox.delivered(row.id);
      this.deliveries.inc({ result: 'delivered' });
      return;
    }
    if (result.outcome === 'retry' && attempts < this.maxAttempts) {
      const nowMs = this.now();
      const delay = backoffDelayMs(attempts, this.backoff, this.random, parseRetryAfter(result.retryAfter, nowMs));
      outbox.retry(row.id, attempts, nowMs + delay, result.detail);
      this.deliveries.inc({ result: 'retry' });
      logger.info({ ...context, attempts, delayMs: delay, detail: result.detail }, 'webhook delivery failed, will retry');
      return;
    }
    outbox.dead(row.id, attempts, result.detail);
    this.deliveries.inc({ result: 'dead' });
    logger.warn({ ...context, attempts, detail: result.detail }, 'webhook delivery dead: not retried');
  }
}

/**
 * Live alerts: GET /api/v1/alerts/stream as an EventSource (which cannot send headers, hence
 * ?access_token=). A snapshot of the open alerts, then one event per change, applied to an
 * AlertBoard. The browser reconnects by itself after a network error and gets a fresh snapshot;
 * when the server refuses the stream outright (a revoked token) the session ends.
 */
import type { Alert, AlertEvent } from '../../../shared/contracts/index.ts';
import { AlertBoard } from '../core/alerts-board.ts';
import type { Api } from './api.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';
type Listener = () => void;

/** Bursts (an area outage, a simulator replay) arrive as hundreds of events: redraw at most this often. */
const NOTIFY_MS = 250;
const RETRY_MS = 5_000;
const EVENTS = ['raised', 'updated', 'acknowledged', 'resolved'] as const;

export class AlertStream {
  readonly board = new AlertBoard();
  #status: StreamStatus = 'connecting';
  #source: EventSource | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #notify: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #listeners = new Set<Listener>();

  constructor(private readonly api: Api) {}

  get status(): StreamStatus {
    return this.#status;
  }

  start(): void {
    this.#stopped = false;
    const source = new EventSource(`/api/v1/alerts/stream?access_token=${encodeURIComponent(this.api.token)}`);
    this.#source = source;
    source.addEventListener('open', () => this.#setStatus('live'));
    source.addEventListener('snapshot', (event) => {
      this.board.snapshot((JSON.parse((event as MessageEvent<string>).data) as { items: Alert[] }).items);
      this.#changed();
    });
    for (const name of EVENTS) {
      source.addEventListener(name, (event) => {
        if (this.board.apply(JSON.parse((event as MessageEvent<string>).data) as AlertEvent)) this.#changed();
      });
    }
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CONNECTING) return this.#setStatus('reconnecting');
      // CLOSED: the server answered with an error. Ask /me why: a 401 ends the session (Api
      // calls onUnauthorized); anything else is retried.
      this.#setStatus('reconnecting');
      source.close();
      void this.api.get('/api/v1/me').catch(() => undefined);
      this.#retry = setTimeout(() => !this.#stopped && this.start(), RETRY_MS);
    });
  }

  stop(): void {
    this.#stopped = true;
    this.#source?.close();
    clearTimeout(this.#retry);
    clearTimeout(this.#notify);
    this.#listeners.clear();
  }

  /** An acknowledge or resolve answer: shown at once, the stream confirms it shortly after. */
  applyAnswer(alert: Alert): void {
    if (this.board.apply({ alert })) this.#changed();
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#changed();
  }

  #changed(): void {
    this.#notify ??= setTimeout(() => {
      this.#notify = undefined;
      for (const listener of this.#listeners) listener();
    }, NOTIFY_MS);
  }
}

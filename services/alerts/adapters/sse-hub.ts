/**
 * Fans alert events out to Server-Sent-Events clients (the dashboard's live alert list).
 *
 * - One subscription to the alert service for all clients, taken when the first client
 *   arrives and given back when the last one leaves: an idle API holds no listener.
 * - Each event is serialized once (through the shared AlertEvent schema, so only contract
 *   fields leave the server) and the same frame is written to every client.
 * - Bounded memory per client: before writing, the hub asks how much the client still has
 *   unsent. Above maxBufferBytes the client is disconnected instead of buffering more; an
 *   EventSource reconnects by itself and starts over with a fresh snapshot, which is the
 *   right resync for a client that fell behind anyway. The check comes before the write, so
 *   a large snapshot to a fresh client is never the reason for a disconnect.
 * - `id:` is a per-process sequence. Last-Event-ID resumption is not offered: a reconnecting
 *   client gets the open alerts as a snapshot, which is what it needs after any gap.
 */
import { Alert, AlertEvent } from '../../../shared/contracts/index.ts';
import { OpenAlertSnapshot } from '../core/open-alert-snapshot.ts';
import type { AlertService } from '../core/ports.ts';

/** One connected client, as the hub sees it; the API adapts an http.ServerResponse to it. */
export interface SseClient {
  write(chunk: string | Buffer): void;
  /** Bytes written but not yet handed to the network (ServerResponse.writableLength). */
  bufferedBytes(): number;
  /** Ends the connection at once (a slow client: what it has not read is dropped). */
  abort(): void;
  /** Ends the connection gracefully (shutdown). */
  end(): void;
}

export interface SseHubOptions {
  source: Pick<AlertService, 'onEvent'>;
  /**
   * Every open alert, read from the store: seeds the snapshot shared by all connects
   * (snapshotBytes), which the hub's one subscription then keeps current (issue 15).
   */
  openAlerts?: () => readonly Alert[];
  /** Bounds the shared snapshot. */
  maxSnapshotAlerts?: number;
  /** A client with more unsent bytes than this is disconnected. */
  maxBufferBytes?: number;
  /** Comment lines keep proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
  /** Told when a slow client is dropped (for a log line or a metric). */
  onSlowClient?: (bufferedBytes: number) => void;
  /** Told when an event could not be encoded (a contract violation upstream). */
  onEncodeError?: (error: unknown) => void;
}

export const SSE_DEFAULTS = {
  maxBufferBytes: 1024 * 1024,
  heartbeatMs: 15_000,
  /** What an EventSource waits before reconnecting after a drop. */
  retryMs: 5_000,
} as const;

const Snapshot = Alert.array();

/** One SSE frame. Data is JSON, which never contains a raw newline, so one data line suffices. */
export function sseFrame(event: string, id: number | null, data: string): string {
  return `event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${data}\n\n`;
}

export class SseHub {
  private readonly clients = new Set<SseClient>();
  private readonly maxBufferBytes: number;
  private readonly heartbeatMs: number;
  private unsubscribe: (() => void) | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sequence = 0;
  private snapshot: OpenAlertSnapshot | null = null;

  constructor(private readonly options: SseHubOptions) {
    this.maxBufferBytes = options.maxBufferBytes ?? SSE_DEFAULTS.maxBufferBytes;
    this.heartbeatMs = options.heartbeatMs ?? SSE_DEFAULTS.heartbeatMs;
  }

  /**
   * Adds a client and sends it `retry:` and the snapshot of open alerts. Call it in the same
   * tick as reading the snapshot: no event can then fall between snapshot and subscription.
   * Returns the detach function (idempotent) to call when the connection closes.
   * `openAlerts` may come serialized already (`{"items": [...]}` as bytes, e.g. from a snapshot
   * shared by every connect: services/api/core/open-alert-snapshot.ts).
   */
  attach(client: SseClient, openAlerts: readonly Alert[] | Buffer): () => void {
    this.clients.add(client);
    this.unsubscribe ??= this.options.source.onEvent((event) => this.broadcast(event));
    if (this.heartbeatTimer === null) {
      this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
      // The stream must never be what keeps a stopping process alive.
      this.heartbeatTimer.unref();
    }
    client.write(`retry: ${SSE_DEFAULTS.retryMs}\n\n`);
    if (Buffer.isBuffer(openAlerts)) {
      // The head and tail are tiny; the snapshot's bytes are shared, not copied per client.
      const head = sseFrame('snapshot', this.nextId(), '');
      client.write(head.slice(0, -2));
      client.write(openAlerts);
      client.write('\n\n');
    } else {
      client.write(sseFrame('snapshot', this.nextId(), JSON.stringify({ items: Snapshot.parse(openAlerts) })));
    }
    return () => this.detach(client);
  }

  /**
   * The open alerts as `{"items": [...]}` bytes, shared: read from the store only when no
   * client is attached (nothing kept it current), else the snapshot the events kept current.
   * Call it just before attach(), in the same tick; it throws what the store throws.
   */
  snapshotBytes(): Buffer {
    const seed = this.options.openAlerts;
    if (seed === undefined) throw new Error('SseHub: no openAlerts source for a shared snapshot');
    if (this.unsubscribe === null || this.snapshot === null) {
      this.snapshot = new OpenAlertSnapshot(seed(), this.options.maxSnapshotAlerts ?? Number.MAX_SAFE_INTEGER);
    }
    return this.snapshot.json();
  }

  get size(): number {
    return this.clients.size;
  }

  /** A comment line to every client (SSE ignores lines starting with ':'). */
  heartbeat(): void {
    this.writeAll(': heartbeat\n\n');
  }

  /** Ends every stream (before the HTTP server closes: open streams would keep it waiting). */
  closeAll(): void {
    for (const client of [...this.clients]) {
      this.detach(client);
      client.end();
    }
  }

  private broadcast(event: AlertEvent): void {
    try {
      this.snapshot?.apply(event);
    } catch {
      // Off the contract (reported below): the next connect reads the store afresh.
      this.snapshot = null;
    }
    let data: string;
    try {
      data = JSON.stringify(AlertEvent.parse(event));
    } catch (error) {
      this.options.onEncodeError?.(error);
      return;
    }
    this.writeAll(sseFrame(event.event, this.nextId(), data));
  }

  private writeAll(frame: string): void {
    for (const client of [...this.clients]) {
      const buffered = client.bufferedBytes();
      if (buffered > this.maxBufferBytes) {
        this.detach(client);
        client.abort();
        this.options.onSlowClient?.(buffered);
        continue;
      }
      client.write(frame);
    }
  }

  private detach(client: SseClient): void {
    if (!this.clients.delete(client) || this.clients.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.snapshot = null;
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private nextId(): number {
    this.sequence += 1;
    return this.sequence;
  }
}

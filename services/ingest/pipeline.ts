/**
 * The ingest service: every device publish goes through handle(). Valid messages update the
 * device state at once and are buffered for the time-series store, which is written in
 * batches; invalid ones are dead-lettered with their reason. The decisions live in core/.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { DEVICE_CHANNEL_NAMES, type Device, type DeviceMessage } from '../../shared/contracts/index.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../timeseries/core/store.ts';
import { decodeDeviceMessage } from './core/decode.ts';
import { emptyDeviceState } from '../../shared/contracts/index.ts';
import { applyConnection, applyMessage } from './core/device-state.ts';
import type { DeadLetterRecorder, DeviceStateRepository } from './core/ports.ts';
import { toTimeSeriesRecords } from './core/records.ts';

export type AcceptedListener = (message: DeviceMessage, device: Device, receivedAtMs: number) => void;

export interface IngestBatching {
  /** Buffered records are written at least this often. */
  flushIntervalMs: number;
  /** A full batch is written at once, without waiting for the interval. */
  maxBatchRecords: number;
  /**
   * While the store fails, records wait in memory up to this many; beyond it the oldest are
   * dropped (and counted) so a long outage cannot exhaust memory.
   */
  maxPendingRecords: number;
}

export const DEFAULT_BATCHING: IngestBatching = { flushIntervalMs: 200, maxBatchRecords: 500, maxPendingRecords: 50_000 };

export interface IngestPipelineOptions {
  registry: Pick<FleetRegistry, 'get'>;
  store: TimeSeriesStore;
  deadLetters: DeadLetterRecorder;
  deviceState: DeviceStateRepository;
  now: () => number;
  limits: { maxFutureSkewMs: number; maxAgeMs: number };
  logger: Logger;
  metrics: Registry;
  batching?: Partial<IngestBatching>;
}

export class IngestPipeline {
  private readonly batching: IngestBatching;
  private readonly logger: Logger;
  private pending: TimeSeriesRecord[] = [];
  private inFlight: Promise<void> | null = null;
  /** After a failed write, wait for the timer instead of retrying on every message. */
  private lastWriteFailed = false;
  /** Drops are logged once per outage, not once per message. */
  private droppingLogged = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<AcceptedListener>();
  private readonly messagesTotal: Counter<'channel'>;
  private readonly storeWriteErrors: Counter;
  private readonly droppedRecords: Counter;
  private readonly handlerErrors: Counter;

  constructor(private readonly options: IngestPipelineOptions) {
    this.batching = { ...DEFAULT_BATCHING, ...options.batching };
    this.logger = options.logger;
    const registers = [options.metrics];
    this.messagesTotal = new Counter({
      name: 'binpulse_ingest_messages_total',
      help: 'Valid device messages accepted, by channel',
      labelNames: ['channel'],
      registers,
    });
    for (const channel of DEVICE_CHANNEL_NAMES) this.messagesTotal.inc({ channel }, 0);
    this.storeWriteErrors = new Counter({
      name: 'binpulse_store_write_errors_total',
      help: 'Failed time-series store writes (the batch is retried)',
      registers,
    });
    this.droppedRecords = new Counter({
      name: 'binpulse_ingest_dropped_records_total',
      help: 'Records dropped because too many were waiting for a failing store',
      registers,
    });
    this.handlerErrors = new Counter({
      name: 'binpulse_ingest_handler_errors_total',
      help: 'Publishes whose handling failed unexpectedly (a bug or a failing state/dead-letter store)',
      registers,
    });
    const pipeline = this;
    new Gauge({
      name: 'binpulse_ingest_pending_records',
      help: 'Records buffered for the time-series store',
      registers,
      collect() {
        this.set(pipeline.pending.length);
      },
    });
  }

  /** Loads device states and starts the periodic store flush. */
  start(): void {
    if (this.timer) return;
    this.options.deviceState.start();
    this.timer = setInterval(() => void this.flush(), this.batching.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes everything buffered, then persists device states. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    if (this.pending.length > 0) {
      this.logger.error({ records: this.pending.length }, 'time-series records not written at stop');
    }
    this.options.deviceState.stop();
  }

  /** Called when a valid message was accepted (after the device state was updated). Returns an unsubscribe. */
  onAccepted(listener: AcceptedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One publish from the broker. Synchronous and never throws: the broker's delivery loop must go on. */
  handle(topic: string, payload: Buffer): void {
    try {
      const receivedAtMs = this.options.now();
      const result = decodeDeviceMessage(topic, payload, receivedAtMs, {
        lookupDevice: (id) => this.options.registry.get(id),
        ...this.options.limits,
      });
      if (!result.ok) {
        this.logger.debug({ topic, reason: result.reason, detail: result.detail }, 'dead letter');
        this.options.deadLetters.record({
          receivedAtMs,
          topic,
          deviceId: result.deviceId,
          reason: result.reason,
          detail: result.detail,
          payload,
        });
        return;
      }
      const { message, device } = result;
      this.messagesTotal.inc({ channel: message.channel });
      const state = this.options.deviceState.get(device.id) ?? emptyDeviceState();
      this.options.deviceState.put(device.id, applyMessage(state, message, receivedAtMs));
      this.enqueue(toTimeSeriesRecords(message, device, receivedAtMs));
      this.notify(message, device, receivedAtMs);
    } catch (err) {
      this.handlerErrors.inc();
      this.logger.error({ err, topic }, 'publish not handled');
    }
  }

  /** The broker saw a device connect or disconnect. Never throws. */
  deviceConnection(deviceId: string, connected: boolean): void {
    try {
      const state = this.options.deviceState.get(deviceId);
      // A device never heard from only gets a state when it connects: a close alone says nothing new.
      if (!state && !connected) return;
      if (!this.options.registry.get(deviceId)) return;
      this.options.deviceState.put(deviceId, applyConnection(state ?? emptyDeviceState(), connected, this.options.now()));
    } catch (err) {
      this.handlerErrors.inc();
      this.logger.error({ err, deviceId, connected }, 'connection change not handled');
    }
  }

  /** Records waiting for the store (for tests and the pending gauge). */
  pendingRecords(): number {
    return this.pending.length;
  }

  /**
   * Writes the buffered records in batches until none are left or a write fails (the failed
   * batch goes back to the front and waits for the next flush). Never rejects.
   */
  flush(): Promise<void> {
    this.inFlight ??= this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batching.maxBatchRecords);
      try {
        await this.options.store.write(batch);
        this.lastWriteFailed = false;
        this.droppingLogged = false;
      } catch (err) {
        this.lastWriteFailed = true;
        this.storeWriteErrors.inc();
        this.pending = batch.concat(this.pending);
        this.enforcePendingBound();
        this.logger.error({ err, records: batch.length, pending: this.pending.length }, 'time-series write failed; will retry');
        return;
      }
    }
  }

  private enqueue(records: TimeSeriesRecord[]): void {
    for (const record of records) this.pending.push(record);
    this.enforcePendingBound();
    if (this.pending.length >= this.batching.maxBatchRecords && !this.inFlight && !this.lastWriteFailed) {
      void this.flush();
    }
  }

  /** Drops the oldest: the newest readings matter most to operators once the store is back. */
  private enforcePendingBound(): void {
    const excess = this.pending.length - this.batching.maxPendingRecords;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.droppedRecords.inc(excess);
    if (!this.droppingLogged) {
      this.droppingLogged = true;
      this.logger.warn({ maxPending: this.batching.maxPendingRecords }, 'store unavailable too long: dropping the oldest records');
    }
  }

  private notify(message: DeviceMessage, device: Device, receivedAtMs: number): void {
    for (const listener of this.listeners) {
      try {
        listener(message, device, receivedAtMs);
      } catch (err) {
        this.logger.error({ err, deviceId: device.id }, 'onAccepted listener failed');
      }
    }
  }
}

/**
 * The live path of ingest: every device publish goes through handle(), fed by the journal's
 * 'live' consumer (handleEntries). Valid messages update the device state at once and are
 * passed to the onAccepted listeners (the alert engine); invalid ones are dead-lettered with
 * their reason. A stale reading (stamped before the state's newest: core/device-state.ts) only
 * shows the device is up: it is counted, not passed on. The time-series store is not written here: the 'timeseries' consumer does that
 * (timeseries-writer.ts), so a store outage delays only the store writes, never alerts or
 * device state. The decisions live in core/.
 */
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { DEVICE_CHANNEL_NAMES, emptyDeviceState, type Device, type DeviceMessage } from '../../shared/contracts/index.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import type { JournalEntry } from '../journal/core/ports.ts';
import { decodeDeviceMessage } from './core/decode.ts';
import type { DeviceConnectionEvent } from '../broker/core/ports.ts';
import { applyConnection, applyMessage, isStaleReading, markSilent } from './core/device-state.ts';
import type { DeadLetterRecorder, DeviceStateRepository, IngestLimits, SilentDevice } from './core/ports.ts';

export type AcceptedListener = (message: DeviceMessage, device: Device, receivedAtMs: number) => void;

export interface IngestPipelineOptions {
  registry: Pick<FleetRegistry, 'get'>;
  deadLetters: DeadLetterRecorder;
  deviceState: DeviceStateRepository;
  now: () => number;
  limits: IngestLimits;
  logger: Logger;
  metrics: Registry;
}

export class IngestPipeline {
  private readonly logger: Logger;
  private readonly listeners = new Set<AcceptedListener>();
  private readonly messagesTotal: Counter<'channel'>;
  private readonly staleReadings: Counter<'channel'>;
  private readonly handlerErrors: Counter;

  constructor(private readonly options: IngestPipelineOptions) {
    this.logger = options.logger;
    const registers = [options.metrics];
    this.messagesTotal = new Counter({
      name: 'binpulse_ingest_messages_total',
      help: 'Valid device messages accepted, by channel',
      labelNames: ['channel'],
      registers,
    });
    for (const channel of DEVICE_CHANNEL_NAMES) this.messagesTotal.inc({ channel }, 0);
    this.staleReadings = new Counter({
      name: 'binpulse_ingest_stale_readings_total',
      help: 'Valid readings stamped before the device state they would overwrite: stored as history, kept out of the state and the alert rules',
      labelNames: ['channel'],
      registers,
    });
    this.handlerErrors = new Counter({
      name: 'binpulse_ingest_handler_errors_total',
      help: 'Publishes whose handling failed unexpectedly (a bug or a failing state/dead-letter store)',
      registers,
    });
  }

  /** Loads device states. */
  start(): void {
    this.options.deviceState.start();
  }

  /** Persists device states. Stop the journal consumer feeding handleEntries first. */
  stop(): void {
    this.options.deviceState.stop();
  }

  /**
   * Called when a valid message was accepted (after the device state was updated): every event,
   * and every reading not stale. Returns an unsubscribe.
   */
  onAccepted(listener: AcceptedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The 'live' journal consumer's handler: handle() for each entry, in order. Timestamps are
   * judged against when the broker accepted the message (entry.receivedAt), not when a backlog
   * or a replay is handled. Resolves once the batch is handled; never rejects: an entry whose
   * handling fails is logged and counted (binpulse_ingest_handler_errors_total) rather than
   * retried, because retrying could never get past a bug and would hold up alerts and device
   * state for every other device.
   */
  async handleEntries(entries: readonly JournalEntry[]): Promise<void> {
    for (const entry of entries) this.handle(entry.topic, entry.payload, entry.receivedAt, entry.seq);
  }

  /**
   * One publish. Synchronous and never throws: the delivery loop must go on.
   * @param receivedAtMs when the broker accepted it (the journal entry's receivedAt).
   * @param journalSeq the journal entry's seq, with its receivedAt: a dead letter of a replayed
   *   entry is then recorded once.
   */
  handle(topic: string, payload: Buffer, receivedAtMs: number = this.options.now(), journalSeq?: number): void {
    try {
      const result = decodeDeviceMessage(topic, payload, receivedAtMs, {
        lookupDevice: (id) => this.options.registry.get(id),
        ...this.options.limits,
      });
      if (!result.ok) {
        this.logger.debug({ topic, reason: result.reason, detail: result.detail, journalSeq }, 'dead letter');
        this.options.deadLetters.record({
          receivedAtMs,
          topic,
          deviceId: result.deviceId,
          reason: result.reason,
          detail: result.detail,
          payload,
          ...(journalSeq === undefined ? {} : { journalSeq }),
        });
        return;
      }
      const { message, device } = result;
      this.messagesTotal.inc({ channel: message.channel });
      const state = this.options.deviceState.get(device.id) ?? emptyDeviceState();
      this.options.deviceState.put(device.id, applyMessage(state, message, receivedAtMs));
      if (isStaleReading(state, message)) {
        this.staleReadings.inc({ channel: message.channel });
        this.logger.debug({ topic, readingAt: state.readingAt, journalSeq }, 'stale reading: history only');
        return;
      }
      this.notify(message, device, receivedAtMs);
    } catch (err) {
      this.handlerErrors.inc();
      this.logger.error({ err, topic, journalSeq }, 'publish not handled');
    }
  }

  /** The broker saw a device connect or disconnect (and why). Never throws. */
  deviceConnection({ deviceId, connected, reason }: DeviceConnectionEvent): void {
    try {
      const state = this.options.deviceState.get(deviceId);
      // A device never heard from only gets a state when it connects: a close alone says nothing new.
      if (!state && !connected) return;
      if (!this.options.registry.get(deviceId)) return;
      const next = applyConnection(state ?? emptyDeviceState(), connected, reason, this.options.now());
      this.options.deviceState.put(deviceId, next);
    } catch (err) {
      this.handlerErrors.inc();
      this.logger.error({ err, deviceId, connected }, 'connection change not handled');
    }
  }

  /**
   * The alert engine's inactivity check found these devices silent past their timeout: they
   * read offline ('silent') from when it ran out, until they are heard from again. Never throws.
   */
  devicesSilent(devices: readonly SilentDevice[]): void {
    for (const { deviceId, sinceMs } of devices) {
      try {
        const state = this.options.deviceState.get(deviceId);
        if (state) this.options.deviceState.put(deviceId, markSilent(state, sinceMs));
      } catch (err) {
        this.handlerErrors.inc();
        this.logger.error({ err, deviceId }, 'silence not recorded');
      }
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

/**
 * One simulated device as a real MQTT client: its own credentials, a retained 'online' birth
 * message on every (re)connect and a retained 'offline' last will.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { DEVICE_CHANNELS, deviceTopic, type DeviceChannel, type DeviceMessage } from '../../shared/contracts/index.ts';
import { offlineStatus, onlineStatus } from '../core/messages.ts';
import { connectOnce } from './first-connack.ts';

/**
 * Telemetry and heartbeats go at QoS 0: the next reading supersedes a lost one, and acking
 * ~200,000 of them a day would only load the broker. Events and status go at QoS 1: they
 * carry kg, points and cases, and the platform deduplicates them by eventId.
 */
export const CHANNEL_QOS: Record<DeviceChannel, 0 | 1> = {
  telemetry: 0,
  heartbeat: 0,
  'event/deposit': 1,
  'event/collection': 1,
  'event/fault': 1,
  'event/weigh': 1,
  'event/sorting': 1,
  detection: 1,
  status: 1,
};

export interface MqttDeviceOptions {
  url: string;
  deviceId: string;
  secret: string;
  /** The simulated clock, for the birth message's ts. */
  simNow: () => number;
  utcOffsetMinutes: number;
  /** Every publish's outcome (acked for QoS 1, written for QoS 0). */
  onPublished?: (channel: DeviceChannel, error: Error | undefined) => void;
  /** Connection errors, e.g. refused credentials. */
  onError?: (deviceId: string, error: Error) => void;
  connectTimeoutMs?: number;
}

export type OutgoingMessage = Pick<DeviceMessage, 'channel' | 'payload'>;

/** Events a device keeps while offline: far more than a day of a box's deposits. */
const MAX_HELD = 5_000;

/** Reconnect after 2–5 s, a different period per device, so a broker restart is not met by 659 clients at once. */
const reconnectPeriodMs = (): number => 2_000 + Math.floor(Math.random() * 3_000);

export class MqttDevice {
  readonly deviceId: string;
  readonly #client: MqttClient;
  /** connect() was called once (the client is made with manualConnect). */
  #started = false;
  readonly #options: MqttDeviceOptions;
  readonly #reconnectPeriod = reconnectPeriodMs();
  #dark = false;
  #stopping = false;
  /**
   * Between CONNACK and the line dropping. Kept here rather than read from mqtt.js, which still
   * says connected while a goDark() socket is being torn down.
   */
  #online = false;
  readonly #held: OutgoingMessage[] = [];

  constructor(options: MqttDeviceOptions) {
    this.#options = options;
    this.deviceId = options.deviceId;
    const statusTopic = deviceTopic(options.deviceId, 'status');
    const clientOptions: IClientOptions = {
      clientId: options.deviceId,
      username: options.deviceId,
      password: options.secret,
      clean: true,
      keepalive: 60,
      reconnectPeriod: this.#reconnectPeriod,
      connectTimeout: options.connectTimeoutMs ?? 15_000,
      // A stale reading is worse than none: do not replay QoS 0 after a reconnect.
      queueQoSZero: false,
      manualConnect: true,
      will: { topic: statusTopic, payload: Buffer.from(JSON.stringify(offlineStatus())), qos: 1, retain: true },
    };
    this.#client = mqtt.connect(options.url, clientOptions);
    this.#client.on('connect', () => {
      this.#online = true;
      this.#publishRaw({ channel: 'status', payload: onlineStatus(options.simNow(), options.utcOffsetMinutes) });
      for (const message of this.#held.splice(0)) this.#publishRaw(message);
    });
    this.#client.on('close', () => {
      this.#online = false;
    });
    // Without a listener an 'error' event would throw; mqtt.js keeps reconnecting on its own.
    this.#client.on('error', (error) => options.onError?.(options.deviceId, error));
  }

  get connected(): boolean {
    return this.#online;
  }

  get dark(): boolean {
    return this.#dark;
  }

  /** Connects; resolves on the first CONNACK, error or timeout (it keeps retrying after that). */
  start(timeoutMs = 15_000): Promise<boolean> {
    this.#started = true;
    return connectOnce(this.#client, timeoutMs);
  }

  /**
   * Publishes one of the device's messages; false when it is dropped. QoS 0 readings are
   * dropped while offline; QoS 1 events are held (as the box's own memory would) and sent
   * after the next connect.
   */
  publish(message: OutgoingMessage): boolean {
    if (CHANNEL_QOS[message.channel] === 0) {
      if (!this.#online) return false;
      this.#publishRaw(message);
      return true;
    }
    if (!this.#online) this.#hold(message);
    else this.#publishRaw(message);
    return true;
  }

  /** Events waiting for a connection. */
  get held(): number {
    return this.#held.length;
  }

  /**
   * Power or signal lost: the socket dies without DISCONNECT, so the broker publishes the
   * last will; no reconnecting until comeBack().
   */
  goDark(): void {
    if (this.#dark) return;
    this.#dark = true;
    this.#online = false;
    this.#client.options.reconnectPeriod = 0;
    // A device dark from the start (at the history's hand-over) has no socket to cut yet.
    if (this.#started) this.#client.end(true);
  }

  comeBack(): void {
    if (!this.#dark) return;
    this.#dark = false;
    this.#client.options.reconnectPeriod = this.#reconnectPeriod;
    if (this.#started) this.#client.reconnect();
    else void this.start();
  }

  /** Clean shutdown: retained 'offline' (with ts), then DISCONNECT, so no will fires. */
  async shutdown(timeoutMs = 3_000): Promise<void> {
    const client = this.#client;
    this.#stopping = true;
    client.options.reconnectPeriod = 0;
    for (const message of this.#held.splice(0)) this.#options.onPublished?.(message.channel, new Error('not connected at shutdown'));
    if (!this.#online) {
      await withTimeout(client.endAsync(true), timeoutMs);
      return;
    }
    const status = JSON.stringify(offlineStatus(this.#options.simNow(), this.#options.utcOffsetMinutes));
    const said = await withTimeout(client.publishAsync(deviceTopic(this.deviceId, 'status'), status, { qos: 1, retain: true }), timeoutMs);
    // If the goodbye was not acked, drop the line: the broker's last will says 'offline' instead.
    await withTimeout(client.endAsync(!said), timeoutMs);
  }

  #hold(message: OutgoingMessage): void {
    this.#held.push(message);
    if (this.#held.length > MAX_HELD) {
      const dropped = this.#held.shift()!;
      this.#options.onPublished?.(dropped.channel, new Error('too many events held while offline: oldest dropped'));
    }
  }

  #publishRaw(message: OutgoingMessage): void {
    const qos = CHANNEL_QOS[message.channel];
    this.#client.publish(
      deviceTopic(this.deviceId, message.channel),
      JSON.stringify(message.payload),
      { qos, retain: DEVICE_CHANNELS[message.channel].retained },
      (error) => {
        // An event in flight when the line dropped (goDark, broker restart): send it again later.
        if (error && qos === 1 && message.channel !== 'status' && !this.#stopping) this.#hold(message);
        else this.#options.onPublished?.(message.channel, error ?? undefined);
      },
    );
  }
}

/** Resolves true when the promise settles successfully within ms, false otherwise. */
function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(false)),
    );
  });
}

/** What the embedded broker offers the rest of the platform process. */
import type { OfflineReason } from '../../../shared/contracts/index.ts';

export type MessageHandler = (topic: string, payload: Buffer) => void;

/** The ports listened on. */
export interface BrokerListening {
  /** Plaintext MQTT; 0 when the plaintext listeners are off (PLAINTEXT=off): nothing listens. */
  mqttPort: number;
  /** Plaintext MQTT over WebSocket, path /mqtt; 0 when off, as mqttPort. */
  wsPort: number;
  /** MQTT over TLS (issue 15); null when TLS is off. */
  mqttsPort: number | null;
  /** MQTT over secure WebSocket, path /mqtt. */
  wssPort: number | null;
}

export interface PlatformBroker {
  /** Listens on TCP and WebSocket (ports 0 = ephemeral; the real ports are returned). */
  start(): Promise<BrokerListening>;
  /** Closes the listeners and every client connection. */
  stop(): Promise<void>;
  /**
   * In-process subscription (no socket, no auth) for the platform's own services; the
   * handler sees every matching publish in arrival order, retained ones included.
   */
  subscribe(topicFilter: string, handler: MessageHandler): Promise<void>;
  /** Publishes as the platform (e.g. retained alert topics). */
  publish(topic: string, payload: string | Buffer, options?: { retain?: boolean; qos?: 0 | 1 }): Promise<void>;
  /** Called when an authenticated device's connection opens or closes (for any reason, given in the event). */
  onDeviceConnection(listener: (event: DeviceConnectionEvent) => void): void;
  connectedDevices(): number;
}

/** A device publish the access rules allowed, as handed to onAcceptedPublish (the journal). */
export interface AcceptedPublish {
  deviceId: string;
  topic: string;
  payload: Buffer;
  /** Epoch ms when the broker accepted the publish. */
  receivedAt: number;
}

/**
 * A device's connection opened or closed. `reason` says why it closed (./connection-end.ts):
 * null when it opened, and null too when the platform itself closed it (broker shutdown).
 */
export interface DeviceConnectionEvent {
  deviceId: string;
  connected: boolean;
  reason: OfflineReason | null;
}

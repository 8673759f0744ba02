/**
 * The embedded MQTT broker: aedes wired to the access rules in ../core/access.ts.
 *
 * Behaviours of aedes 1.2 this file relies on (read in its source, pinned by the tests):
 * - A refused PUBLISH (authorizePublish calls back with an error) closes the client's
 *   connection without an answer: MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2]. The
 *   close is not a clean DISCONNECT, so the device's last will is published.
 * - The last will IS passed through authorizePublish when aedes publishes it; it is also
 *   checked at CONNECT (see checkConnect) so a device with a forbidden will is refused
 *   up front instead of silently losing its will later.
 * - aedes checks wildcards and topic depth (its maxTopicLevels) BEFORE authorizePublish;
 *   those refusals reach us only as 'clientError' and are counted from there.
 * - mqtt-packet's parser has no size limit; MqttFrameMeter watches the raw bytes so an
 *   oversized packet ends the connection from its header, before it is buffered.
 * - Publishes made through publish() below (the platform's own, e.g. retained alert topics)
 *   do not pass authorizePublish: only client publishes do.
 * - A QoS 1 PUBACK is written right after authorizePublish calls back, before the message is
 *   routed or persisted anywhere (lib/handlers/publish.js). onAcceptedPublish (the journal)
 *   is therefore awaited inside authorizePublish (./publish-keeper.ts).
 *
 * - Why a connection ended (DeviceConnectionEvent.reason, decided in ../core/connection-end.ts):
 *   aedes has no public sign of a client's DISCONNECT, so the frame meter, which sees every
 *   byte before the parser, reports whether the last packet was one; aedes emits
 *   'keepaliveTimeout' before it closes an expired connection; 'clientDisconnect' comes last,
 *   synchronously after the will was handed to authorizePublish.
 *
 * Observers (username `api` + API token, see ../core/access.ts) are logged in only when an
 * observerAuthenticator is given, collection vehicles only when a vehicleAuthenticator is. Neither
 * is a device: they are not counted as connected devices nor reported to onDeviceConnection
 * listeners.
 * - A vehicle publishes nothing, so a vehicle removed while connected is caught where it reads:
 *   its SUBSCRIBE, and every message forwarded to it (authorizeForward, which aedes also asks
 *   for retained messages sent on SUBSCRIBE). The message is dropped and the connection closed.
 */
import { Aedes, type AuthenticateError, type Client, type ConnectPacket, type PublishPacket } from 'aedes';
import type { Duplex } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DeviceAuthenticator } from '../../fleet/core/registry.ts';
import {
  checkConnect,
  checkPublish,
  checkSubscribe,
  connectReturnCode,
  maxFrameBytes,
  type AccessLimits,
  type ClientIdentity,
  type ObserverAuthenticator,
  type PeerCertificate,
  type PublishAttempt,
  type Refusal,
  type RefusalReason,
  type VehicleAuthenticator,
} from '../core/access.ts';
import { offlineReasonOf } from '../core/connection-end.ts';
import { MqttFrameMeter } from '../core/frame-meter.ts';
import { PublishRateLimiter, type PublishRateOptions } from '../core/publish-rate.ts';
import type { AcceptedPublish, BrokerListening, DeviceConnectionEvent, MessageHandler, PlatformBroker } from '../core/ports.ts';
import { RefusalLog } from '../core/refusal-log.ts';
import { registerBrokerMetrics } from './broker-metrics.ts';
import { MqttListeners, type TlsSource } from './listeners.ts';
import { startSessionRecheck, type RegistryChanges, type SessionRecheck } from './session-recheck.ts';
import { NotKeptError, publishKeeper } from './publish-keeper.ts';
import { publishPacer } from './publish-pacer.ts';

export interface PlatformBrokerOptions extends AccessLimits {
  host: string;
  mqttPort: number;
  wsPort: number;
  /** The plaintext listeners (mqttPort, wsPort); default true. */
  plaintext?: boolean;
  /** MQTT over TLS and over secure WebSocket (issue 15); devices may log in with a client certificate there. */
  tls?: { source: TlsSource; mqttsPort: number; wssPort: number } | undefined;
  /**
   * Polled each second; after a change live device sessions are checked again (stillAllowed
   * below) and those no longer allowed are disconnected: see ./session-recheck.ts.
   */
  registryChanges?: RegistryChanges;
  recheckIntervalMs?: number;
  authenticator: DeviceAuthenticator;
  /** Enables observer logins (username `api`, password an API token); the token store fits. */
  observerAuthenticator?: ObserverAuthenticator;
  /** Enables vehicle logins (vehicle id + secret, reading their own plan topic); the fleet registry fits. */
  vehicleAuthenticator?: VehicleAuthenticator;
  logger: Logger;
  metrics: Registry;
  /**
   * Awaited for every device publish the access rules allow (status, last wills included)
   * before the broker acknowledges or routes it; the platform's own publish() does not pass
   * here. A rejection refuses the publish: the connection closes without PUBACK and the device
   * sends it again after reconnecting (a will is lost then: aedes has no way to retry it).
   */
  onAcceptedPublish?: (publish: AcceptedPublish) => Promise<void>;
  /** Clock for AcceptedPublish.receivedAt; Date.now by default. */
  now?: () => number;
  /** Per-device publish rate (DEVICE_PUBLISH_RATE, DEVICE_PUBLISH_BURST; ./publish-pacer.ts); none: unlimited. */
  publishRate?: PublishRateOptions;
}

export type { AcceptedPublish };

/** qlobber (aedes' router) throws past 100 levels; our tighter device limit is enforced and counted by checkPublish. */
const AEDES_TOPIC_LEVEL_CEILING = 100;
/** Device ids are up to 64 characters; aedes' default (23) would reject them from MQTT 3.1 clients. */
const MAX_CLIENT_ID_LENGTH = 64;

/** An access-rule refusal passed to aedes; already counted and logged when aedes reports it back. */
class RefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`${refusal.reason}: ${refusal.detail}`);
  }
}

/**
 * Refusals made before our rules run: aedes' own checks, known by their messages
 * (lib/handlers/publish.js, lib/utils.js), and ws' message size limit (maxPayload).
 */
function refusalFromConnectionError(err: Error & { code?: unknown }): RefusalReason | undefined {
  if (err.message === 'topic has too many levels') return 'topic_too_deep';
  if (/^[#+] is (not |only )?allowed in (PUBLISH|SUBSCRIBE)/.test(err.message)) return 'wildcard_in_topic';
  if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return 'packet_too_large';
  return undefined;
}

type Will = NonNullable<ConnectPacket['will']>;

function publishAttempt(packet: { topic: string; payload: Buffer | string; retain?: boolean | undefined }): PublishAttempt {
  const { payload } = packet;
  const payloadBytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  return { topic: packet.topic, payloadBytes, retain: packet.retain === true };
}

export function createPlatformBroker(options: PlatformBrokerOptions): PlatformBroker {
  const { authenticator, logger } = options;
  const limits: AccessLimits = { maxTopicLevels: options.maxTopicLevels, maxPayloadBytes: options.maxPayloadBytes };
  const metrics = registerBrokerMetrics(options.metrics);
  const refusalLog = new RefusalLog();
  const sessions = new Map<string, Client>();
  const connectionListeners: Array<(event: DeviceConnectionEvent) => void> = [];
  // What each connection's end is decided from (./core/connection-end.ts); WeakMaps, as above.
  const meters = new WeakMap<Client, MqttFrameMeter>();
  const keepaliveExpired = new WeakSet<Client>();
  // The will as sent in CONNECT, kept from preConnect (public API) until authenticate.
  const announcedWills = new WeakMap<Client, Will>();
  // Who each authenticated connection is; a WeakMap so a closed client leaves nothing behind.
  const identities = new WeakMap<Client, ClientIdentity>();
  // The TLS client certificate each connection presented (from acceptConnection until authenticate),
  // then, for devices that logged in with it instead of a password, its fingerprint.
  const presented = new WeakMap<Client, PeerCertificate>();
  const certificateLogins = new WeakMap<Client, string>();
  // The secret a device logged in with, so a `fleet rotate-secret` (another process) ends the
  // session at the next re-check instead of only refusing the next CONNECT (issue 15). Kept in
  // memory only, for the connection's life, as aedes itself holds the CONNECT packet.
  const secretLogins = new WeakMap<Client, string>();
  const isObserver = (client: Client): boolean => identities.get(client)?.kind === 'observer';
  const isVehicle = (client: Client): boolean => identities.get(client)?.kind === 'vehicle';
  let observerCount = 0;
  // Observers by connection, so a revoked or expired API token ends the sessions holding it (issue 15).
  const liveObservers = new Set<Client>();
  // Vehicles by connection, so a rotated vehicle secret or a removed vehicle ends its session too.
  const liveVehicles = new Set<Client>();

  /** Who the client is now: a device or vehicle is looked up again, as it may have been removed while connected. */
  function current(client: Client): { ok: true; client: ClientIdentity } | Refusal {
    const identity = identities.get(client);
    if (identity?.kind === 'observer') return { ok: true, client: identity };
    if (identity?.kind === 'vehicle') {
      if (options.vehicleAuthenticator?.getVehicle(identity.id) !== undefined) return { ok: true, client: identity };
      return { ok: false, reason: 'unknown_device', detail: `vehicle ${identity.id} was removed while connected` };
    }
    const kind = authenticator.kindOf(client.id);
    if (kind === undefined) return { ok: false, reason: 'unknown_device', detail: `device ${client.id} was removed while connected` };
    return { ok: true, client: { id: client.id, kind } };
  }
  let state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  // Device publishes are acknowledged only once the hook (the journal) has kept them.
  const keep = options.onAcceptedPublish
    ? publishKeeper(options.onAcceptedPublish, options.now ?? Date.now, logger)
    : undefined;

  // Over-rate publishes are held, then refused (./publish-pacer.ts); refusals logged once a minute per device.
  const rateLimiter = options.publishRate && new PublishRateLimiter(options.publishRate);
  const pace = rateLimiter && publishPacer(rateLimiter, options.now ?? Date.now, () => state === 'running');
  function refuseOverRate(client: Client, detail: string, callback: (err?: Error | null) => void): void {
    const refusal: Refusal = { ok: false, reason: 'rate_limited', detail };
    metrics.refusals.inc({ reason: refusal.reason });
    if (rateLimiter!.shouldLog(client.id, (options.now ?? Date.now)())) {
      logger.warn({ deviceId: client.id, reason: refusal.reason, detail }, 'MQTT refusal (logged at most once a minute per device)');
    }
    callback(new RefusedError(refusal));
  }

  function recordRefusal(subject: string, refusal: Refusal): void {
    metrics.refusals.inc({ reason: refusal.reason });
    if (refusalLog.record(refusal.reason, subject).log) {
      logger.warn(
        { deviceId: subject, reason: refusal.reason, detail: refusal.detail },
        'MQTT refusal (logged once per device and reason, later ones only counted)',
      );
    }
  }

  function notify(event: DeviceConnectionEvent): void {
    for (const listener of connectionListeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error({ err, deviceId: event.deviceId, connected: event.connected }, 'device connection listener failed');
      }
    }
  }

  function ended(client: Client): DeviceConnectionEvent {
    const reason = offlineReasonOf({
      disconnectPacket: meters.get(client)?.endedWithDisconnect ?? false,
      keepaliveExpired: keepaliveExpired.has(client),
      brokerStopping: state !== 'running',
    });
    return { deviceId: client.id, connected: false, reason };
  }

  const aedes = new Aedes({
    maxTopicLevels: AEDES_TOPIC_LEVEL_CEILING,
    maxClientsIdLength: MAX_CLIENT_ID_LENGTH,

    preConnect(client, packet, callback) {
      if (packet.will) announcedWills.set(client, packet.will);
      callback(null, true);
    },

    // Synchronous on purpose: the authenticator is fast, and any async step here would
    // stretch a reconnect storm of the whole fleet.
    authenticate(client, username, password, callback) {
      const will = announcedWills.get(client);
      announcedWills.delete(client);
      const verdict = checkConnect(
        {
          clientId: client.id,
          username,
          password: password?.toString('utf8'),
          will: will && publishAttempt(will),
          cleanSession: client.clean,
          certificate: presented.get(client),
        },
        authenticator,
        limits,
        options.observerAuthenticator,
        options.vehicleAuthenticator,
      );
      const certificate = presented.get(client);
      presented.delete(client);
      if (verdict.ok) {
        identities.set(client, 'observer' in verdict ? verdict.observer : 'vehicle' in verdict ? verdict.vehicle : verdict.device);
        if ('device' in verdict && certificate && !password?.length) certificateLogins.set(client, certificate.fingerprint);
        else if (('device' in verdict || 'vehicle' in verdict) && password?.length) secretLogins.set(client, password.toString('utf8'));
        return callback(null, true);
      }
      recordRefusal(username || client.id, verdict);
      const error = Object.assign(new RefusedError(verdict), { returnCode: connectReturnCode(verdict.reason) });
      callback(error as AuthenticateError, false);
    },

    authorizePublish(client, packet, callback) {
      // A broker shutdown is not a device failure: no wills while stopping.
      if (state !== 'running') return callback(new Error('broker is stopping'));
      // client is null only for wills left by another broker instance; there is none (in-memory, single broker).
      if (!client) return callback(new Error('no client for this publish'));
      const identity = current(client);
      const verdict = identity.ok ? checkPublish(identity.client, publishAttempt(packet), limits) : identity;
      const accept = () => (keep ? keep(client, packet, callback) : callback(null));
      if (verdict.ok && pace) return pace(client, packet, accept, (detail) => refuseOverRate(client, detail, callback), callback);
      if (verdict.ok) return accept();
      recordRefusal(client.id, verdict);
      callback(new RefusedError(verdict));
    },

    authorizeSubscribe(client, subscription, callback) {
      const identity = isVehicle(client) ? current(client) : { ok: true as const, client: identities.get(client) ?? client.id };
      const verdict = identity.ok ? checkSubscribe(identity.client, subscription.topic) : identity;
      if (verdict.ok) return callback(null, subscription);
      recordRefusal(client.id, verdict);
      callback(null, null); // SUBACK 128 for this filter; the connection stays up
    },

    authorizeForward(client, packet) {
      if (!isVehicle(client)) return packet;
      const identity = current(client);
      if (identity.ok) return packet;
      recordRefusal(client.id, identity);
      // Closed after aedes has finished with this delivery; the client may reconnect and be refused.
      setImmediate(() => client.close());
      return null;
    },
  });

  aedes.on('client', (client) => {
    if (isVehicle(client)) {
      liveVehicles.add(client);
      return;
    }
    if (isObserver(client)) {
      observerCount += 1;
      liveObservers.add(client);
      metrics.connectedObservers.set(observerCount);
      // Revoked between its CONNECT being checked and now: the watch below did not see it yet.
      const identity = identities.get(client);
      if (identity?.kind === 'observer' && identity.tokenId !== undefined && endedTokens.has(identity.tokenId)) endObserver(client);
      return;
    }
    const previous = sessions.get(client.id);
    // aedes closes a taken-over session before registering the new one; guard anyway.
    if (previous && previous !== client) notify(ended(previous));
    sessions.set(client.id, client);
    metrics.connectedDevices.set(sessions.size);
    notify({ deviceId: client.id, connected: true, reason: null });
  });
  aedes.on('clientDisconnect', (client) => {
    if (isVehicle(client)) {
      liveVehicles.delete(client);
      return;
    }
    if (isObserver(client)) {
      observerCount -= 1;
      liveObservers.delete(client);
      metrics.connectedObservers.set(observerCount);
      return;
    }
    if (sessions.get(client.id) !== client) return;
    sessions.delete(client.id);
    metrics.connectedDevices.set(sessions.size);
    notify(ended(client));
  });
  // Emitted just before aedes ends the connection with a 'keep alive timeout' error.
  // Token ids revoked or expired since start (bounded), for observers still completing CONNECT.
  const endedTokens = new Set<string>();
  function endObserver(client: Client): void {
    recordRefusal(client.id, { ok: false, reason: 'bad_token', detail: 'API token revoked or expired while connected' });
    client.close();
  }
  const stopTokenWatch = options.observerAuthenticator?.onTokenEnded?.((tokenId) => {
    endedTokens.add(tokenId);
    if (endedTokens.size > 10_000) endedTokens.delete(endedTokens.values().next().value!);
    for (const client of [...liveObservers]) {
      const identity = identities.get(client);
      if (identity?.kind === 'observer' && identity.tokenId === tokenId) endObserver(client);
    }
  });
  aedes.on('keepaliveTimeout', (client) => keepaliveExpired.add(client));
  aedes.on('publish', (_packet, client) => {
    if (client) metrics.messagesReceived.inc();
  });
  aedes.on('clientError', (client, err) => {
    if (err instanceof RefusedError || err instanceof NotKeptError) return;
    const reason = refusalFromConnectionError(err);
    if (reason === 'packet_too_large') recordOversize(client, client.id, err.message);
    else if (reason) recordRefusal(client.id, { ok: false, reason, detail: err.message });
    else logger.debug({ deviceId: client.id, err: err.message }, 'MQTT client connection ended with an error');
  });
  aedes.on('connectionError', (_client, err) => {
    logger.debug({ err: err.message }, 'MQTT connection failed before CONNECT');
  });
  // aedes emits 'error' for persistence failures; unhandled, an EventEmitter 'error' would crash the process.
  (aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) => logger.error({ err }, 'MQTT broker error'));

  // Over WebSocket both the frame meter and ws' maxPayload can catch the same oversized
  // packet (one per WebSocket message); it is one refusal.
  const oversized = new WeakSet<Client>();
  function recordOversize(client: Client, subject: string, detail: string): void {
    if (oversized.has(client)) return;
    oversized.add(client);
    recordRefusal(subject, { ok: false, reason: 'packet_too_large', detail });
  }

  const frameLimit = maxFrameBytes(limits);
  function acceptConnection(
    stream: Duplex,
    req: IncomingMessage | undefined,
    remoteAddress: string,
    certificate: PeerCertificate | undefined,
  ): void {
    const client = aedes.handle(stream, req);
    if (certificate) presented.set(client, certificate);
    const meter = new MqttFrameMeter(frameLimit);
    meters.set(client, meter);
    // A 'data' listener next to aedes' 'readable' one does not switch the stream to
    // flowing mode: it sees each chunk as aedes reads it, before the parser does.
    const watch = (chunk: Buffer): void => {
      const verdict = meter.push(chunk);
      if (verdict.ok) return;
      stream.off('data', watch);
      recordOversize(client, (client.id as string | null) ?? remoteAddress, verdict.detail);
      stream.destroy();
    };
    stream.on('data', watch);
  }

  const listeners = new MqttListeners(
    {
      host: options.host,
      mqttPort: options.mqttPort,
      wsPort: options.wsPort,
      plaintext: options.plaintext ?? true,
      tls: options.tls,
      maxWsMessageBytes: frameLimit,
    },
    acceptConnection,
  );

  /**
   * Why a connected device may no longer stay, or undefined: removed from the registry, or
   * logged in with a client certificate that is no longer its current one (revoked, replaced),
   * or with a secret that was rotated since.
   * Asked by the session re-check after every registry change.
   */
  function stillAllowed(client: Client): Refusal | undefined {
    const identity = current(client);
    if (!identity.ok) return identity;
    if (isVehicle(client)) {
      const secret = secretLogins.get(client);
      if (secret === undefined || options.vehicleAuthenticator?.verifyVehicleSecret(client.id, secret)) return undefined;
      return { ok: false, reason: 'bad_secret', detail: `the secret of vehicle ${client.id} was rotated while connected` };
    }
    const fingerprint = certificateLogins.get(client);
    if (fingerprint === undefined) {
      const secret = secretLogins.get(client);
      if (secret === undefined || authenticator.verifySecret(client.id, secret)) return undefined;
      return { ok: false, reason: 'bad_secret', detail: `the secret of ${client.id} was rotated while connected` };
    }
    const status = authenticator.certificateStatus?.(client.id, fingerprint) ?? 'unknown';
    if (status === 'current') return undefined;
    return status === 'revoked'
      ? { ok: false, reason: 'certificate_revoked', detail: `the client certificate of ${client.id} was revoked while connected` }
      : { ok: false, reason: 'bad_certificate', detail: `the client certificate of ${client.id} was replaced while connected` };
  }
  let recheck: SessionRecheck | undefined;
  function startRecheck(changes: RegistryChanges): SessionRecheck {
    const refusals = new WeakMap<Client, Refusal>();
    return startSessionRecheck<Client>({
      changes,
      sessions: () => [...sessions.values(), ...liveVehicles],
      verdict: (client) => {
        const refusal = stillAllowed(client);
        if (refusal) refusals.set(client, refusal);
        return refusal?.detail;
      },
      end: (client) => {
        recordRefusal(client.id, refusals.get(client)!);
        client.close();
      },
      ...(options.recheckIntervalMs !== undefined && { intervalMs: options.recheckIntervalMs }),
      onError: (err) => logger.error({ err }, 'session re-check failed'),
    });
  }

  return {
    async start(): Promise<BrokerListening> {
      if (state !== 'new') throw new Error(`broker cannot start: it is ${state}`);
      await aedes.listen();
      state = 'running';
      try {
        const ports = await listeners.start();
        if (options.registryChanges) recheck = startRecheck(options.registryChanges);
        logger.info(ports, 'MQTT broker listening (TCP and WebSocket at /mqtt; over TLS when mqttsPort is set)');
        return ports;
      } catch (err) {
        await this.stop();
        throw err;
      }
    },

    async stop(): Promise<void> {
      if (state === 'stopped' || state === 'stopping') return;
      const wasRunning = state === 'running';
      state = 'stopping';
      recheck?.stop();
      stopTokenWatch?.();
      await listeners.stop();
      if (wasRunning) await new Promise<void>((resolve) => aedes.close(() => resolve()));
      state = 'stopped';
    },

    subscribe(topicFilter: string, handler: MessageHandler): Promise<void> {
      return new Promise((resolve, reject) => {
        const deliver = (packet: { topic: string; payload: Buffer | string }, done: () => void): void => {
          try {
            handler(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
          } catch (err) {
            logger.error({ err, topic: packet.topic }, 'in-process MQTT subscriber failed');
          }
          done();
        };
        (aedes.subscribe as (t: string, f: typeof deliver, cb: (err?: Error) => void) => void)(topicFilter, deliver, (err) =>
          err ? reject(err) : resolve(),
        );
      });
    },

    publish(topic, payload, publishOptions = {}): Promise<void> {
      if (state !== 'running') return Promise.reject(new Error(`broker cannot publish: it is ${state}`));
      const packet: PublishPacket = {
        cmd: 'publish',
        topic,
        payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
        qos: publishOptions.qos ?? 0,
        retain: publishOptions.retain ?? false,
        dup: false,
      };
      return new Promise((resolve, reject) => aedes.publish(packet, (err) => (err ? reject(err) : resolve())));
    },

    onDeviceConnection(listener): void {
      connectionListeners.push(listener);
    },

    connectedDevices(): number {
      return sessions.size;
    },
  };
}

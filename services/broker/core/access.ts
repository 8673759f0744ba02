/**
 * Who may do what on the broker: pure rules, no MQTT library in sight. The adapter asks
 * these functions on every CONNECT, PUBLISH (last will included) and SUBSCRIBE.
 *
 * A device proves itself with username = device id, password = secret, and must use its
 * device id as MQTT client id: the broker replaces an existing session that has the same
 * client id, so a free choice would let one device knock another off the broker.
 *
 * An observer (a dashboard, an integration) proves itself with username `api` and an API
 * token as password. It may only read the retained alert topics (binpulse/alerts/v1/...) and
 * publish nothing. Its client id is free except that it must not be a device id (an observer
 * must not be able to take over a device's session); `observer-<name>` is the convention.
 *
 * A collection vehicle (issue 13) logs in like a device: username = vehicle id, password = its
 * secret, client id = vehicle id, with the same refusal reasons (an id that is neither a device
 * nor a vehicle is `unknown_device`). It reads its own plan and nothing else: its one
 * subscription is exactly binpulse/v1/<vehicle id>/plan, and it publishes nothing (a last
 * will included, refused at CONNECT as an observer's). A device id wins over a vehicle id; the
 * registry keeps the two apart anyway.
 */
import { ALERT_TOPIC_ROOT } from '../../../shared/contracts/alerts.ts';
import type { DeviceKind } from '../../../shared/contracts/common.ts';
import {
  COMMAND_CHANNEL,
  DEVICE_CHANNELS,
  isDeviceChannel,
  parseDeviceTopic,
  TOPIC_ROOT,
  vehiclePlanTopic,
} from '../../../shared/contracts/topics.ts';
import type { DeviceAuthenticator } from '../../fleet/core/registry.ts';

/** Every reason the broker refuses something; also the `reason` label of the refusal counter. */
export const REFUSAL_REASONS = [
  'missing_credentials',
  'unknown_device',
  'bad_secret',
  'client_id_mismatch',
  'foreign_topic',
  'unknown_channel',
  'channel_not_for_kind',
  'retain_not_allowed',
  'wildcard_in_topic',
  'topic_too_deep',
  'payload_too_large',
  /** The MQTT packet as announced in its fixed header exceeds the frame limit (checked before buffering). */
  'packet_too_large',
  'forbidden_subscription',
  /** An observer's API token is unknown or revoked. */
  'bad_token',
  /** An observer or a vehicle tried to publish (or announced a last will). */
  'read_only',
  /** An observer asked for a persistent session (see checkObserverConnect). */
  'persistent_session',
  /** A client certificate (no password) that fails the chain, names another device or is not the device's recorded one. */
  'bad_certificate',
  /** The device's client certificate was revoked (`fleet cert revoke`). */
  'certificate_revoked',
  /** The device publishes faster than DEVICE_PUBLISH_RATE beyond its burst (../core/publish-rate.ts). */
  'rate_limited',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  detail: string;
}
export type Verdict = { ok: true } | Refusal;

export interface AccessLimits {
  maxTopicLevels: number;
  maxPayloadBytes: number;
}

export interface DeviceIdentity {
  id: string;
  kind: DeviceKind;
}

/** MQTT username of observers; their password is an API token. */
export const OBSERVER_USERNAME = 'api';

/**
 * Checks an observer's API token. Truthy means valid: a TokenStore, whose verify() answers
 * the principal or undefined, fits as it is.
 */
export interface ObserverAuthenticator {
  verify(token: string): object | boolean | undefined;
  /**
   * Told when a token is revoked or expires (issue 15): the broker ends the observer sessions
   * that logged in with it. A TokenStore fits; its principals carry the token `id` matched here.
   */
  onTokenEnded?(listener: (tokenId: string) => void): () => void;
}

/** A logged-in observer; `id` is its MQTT client id. */
export interface ObserverIdentity {
  id: string;
  kind: 'observer';
  /** The API token's id (not the token), when the authenticator's principal has one. */
  tokenId?: string;
}

/**
 * Checks a collection vehicle's login. The fleet registry (SiteRegistry) fits as it is:
 * getVehicle answers the vehicle or undefined.
 */
export interface VehicleAuthenticator {
  getVehicle(vehicleId: string): object | undefined;
  /** Constant-time check of the vehicle's secret. */
  verifyVehicleSecret(vehicleId: string, secret: string): boolean;
}

/** A logged-in collection vehicle; `id` is its vehicle id (and MQTT client id). */
export interface VehicleIdentity {
  id: string;
  kind: 'vehicle';
}

export type ClientIdentity = DeviceIdentity | ObserverIdentity | VehicleIdentity;

export interface PublishAttempt {
  topic: string;
  payloadBytes: number;
  retain: boolean;
}

export interface ConnectAttempt {
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** The last will announced in CONNECT, if any. */
  will?: PublishAttempt | undefined;
  /** CONNECT's clean-session flag (MQTT 3.1.1); absent = clean. */
  cleanSession?: boolean | undefined;
  /** The TLS client certificate presented, if any (used only when no password is given). */
  certificate?: PeerCertificate | undefined;
}

/** A TLS client certificate as the listener saw it. */
export interface PeerCertificate {
  /** The chain verified against the device CA (TLS_CA_FILE or the local CA). */
  authorized: boolean;
  /** SHA-256 of the DER certificate, lowercase hex (services/tls/core/certificates.ts). */
  fingerprint: string;
  /** Subject CN and SAN DNS names: one of them must be the device id. */
  names: readonly string[];
}

export type ConnectVerdict =
  | { ok: true; device: DeviceIdentity }
  | { ok: true; observer: ObserverIdentity }
  | { ok: true; vehicle: VehicleIdentity }
  | Refusal;

/**
 * Room for everything in a packet besides the application payload: fixed header, topic
 * (ours are < 100 bytes), packet id; for CONNECT client id, credentials and will topic.
 */
export const FRAME_OVERHEAD_BYTES = 4096;

/** Largest MQTT packet (remaining length) the broker reads at all; larger ones end the connection. */
export function maxFrameBytes(limits: AccessLimits): number {
  return limits.maxPayloadBytes + FRAME_OVERHEAD_BYTES;
}

function refuse(reason: RefusalReason, detail: string): Refusal {
  return { ok: false, reason, detail };
}

/**
 * Devices; observers when an ObserverAuthenticator is given, vehicles when a
 * VehicleAuthenticator is. With observers enabled the username `api` always means an observer
 * (no device can be called `api` then).
 */
export function checkConnect(
  attempt: ConnectAttempt,
  authenticator: DeviceAuthenticator,
  limits: AccessLimits,
  observers?: ObserverAuthenticator,
  vehicles?: VehicleAuthenticator,
): ConnectVerdict {
  if (observers && attempt.username === OBSERVER_USERNAME) return checkObserverConnect(attempt, authenticator, observers, vehicles);
  const { username, password, clientId } = attempt;
  if (attempt.certificate && (password === undefined || password.length === 0)) {
    return checkCertificateConnect(attempt, attempt.certificate, authenticator, limits);
  }
  if (!username || password === undefined || password.length === 0) {
    return refuse('missing_credentials', 'username (device id) and password (secret) are required');
  }
  const kind = authenticator.kindOf(username);
  if (kind === undefined) {
    if (vehicles && vehicles.getVehicle(username) !== undefined) return checkVehicleConnect(attempt, username, password, vehicles);
    return refuse('unknown_device', `no device or vehicle ${JSON.stringify(username)} is provisioned`);
  }
  if (!authenticator.verifySecret(username, password)) return refuse('bad_secret', 'the secret does not match');
  // Checked after the secret so an unauthenticated caller learns nothing from the return code.
  if (clientId !== username) return clientIdMismatch(clientId, 'device');
  const device = { id: username, kind };
  if (attempt.will) {
    // Refused at CONNECT rather than silently dropped at disconnect: the device learns now.
    const verdict = checkPublish(device, attempt.will, limits);
    if (!verdict.ok) return refuse(verdict.reason, `last will: ${verdict.detail}`);
  }
  return { ok: true, device };
}

/**
 * Mutual TLS (issue 15): a device with a client certificate and no password. The device id is
 * the username, or the client id when the username is empty; the certificate must be signed by
 * the device CA, name that id (CN or SAN), and be the one `fleet cert issue` recorded, unrevoked.
 */
function checkCertificateConnect(
  attempt: ConnectAttempt,
  certificate: PeerCertificate,
  authenticator: DeviceAuthenticator,
  limits: AccessLimits,
): ConnectVerdict {
  const deviceId = attempt.username || attempt.clientId;
  if (!certificate.authorized) return refuse('bad_certificate', 'the client certificate is not signed by the device CA');
  if (!certificate.names.includes(deviceId)) return refuse('bad_certificate', `the client certificate does not name ${JSON.stringify(deviceId)}`);
  const kind = authenticator.kindOf(deviceId);
  if (kind === undefined) return refuse('unknown_device', `no device ${JSON.stringify(deviceId)} is provisioned`);
  const status = authenticator.certificateStatus?.(deviceId, certificate.fingerprint) ?? 'unknown';
  if (status === 'revoked') return refuse('certificate_revoked', `the client certificate of ${deviceId} was revoked`);
  if (status !== 'current') return refuse('bad_certificate', `the client certificate is not the one issued to ${deviceId}`);
  if (attempt.clientId !== deviceId) return clientIdMismatch(attempt.clientId, 'device');
  const device = { id: deviceId, kind };
  if (attempt.will) {
    const verdict = checkPublish(device, attempt.will, limits);
    if (!verdict.ok) return refuse(verdict.reason, `last will: ${verdict.detail}`);
  }
  return { ok: true, device };
}

const clientIdMismatch = (clientId: string, what: 'device' | 'vehicle'): Refusal =>
  refuse('client_id_mismatch', `client id ${JSON.stringify(clientId)} must equal the ${what} id`);

/** The device rules, in the same order, for a known vehicle id; a vehicle publishes nothing. */
function checkVehicleConnect(attempt: ConnectAttempt, vehicleId: string, secret: string, vehicles: VehicleAuthenticator): ConnectVerdict {
  if (!vehicles.verifyVehicleSecret(vehicleId, secret)) return refuse('bad_secret', 'the secret does not match');
  if (attempt.clientId !== vehicleId) return clientIdMismatch(attempt.clientId, 'vehicle');
  if (attempt.will) return refuse('read_only', 'vehicles publish nothing, a last will included');
  return { ok: true, vehicle: { id: vehicleId, kind: 'vehicle' } };
}

function checkObserverConnect(
  attempt: ConnectAttempt,
  devices: DeviceAuthenticator,
  observers: ObserverAuthenticator,
  vehicles: VehicleAuthenticator | undefined,
): ConnectVerdict {
  const { password, clientId } = attempt;
  if (password === undefined || password.length === 0) {
    return refuse('missing_credentials', `username ${OBSERVER_USERNAME} needs an API token as password`);
  }
  const principal = observers.verify(password);
  if (!principal) return refuse('bad_token', 'unknown or revoked API token');
  // After the token, as for devices: only an authenticated caller learns which ids are devices.
  if (devices.kindOf(clientId) !== undefined || vehicles?.getVehicle(clientId) !== undefined) {
    return refuse(
      'client_id_mismatch',
      `client id ${JSON.stringify(clientId)} is a device or vehicle id; observers use e.g. observer-<name>`,
    );
  }
  if (attempt.will) return refuse('read_only', 'observers publish nothing, a last will included');
  // Alert state is retained, so a reconnecting observer gets it back anyway; a persistent
  // session would only make the broker queue QoS 1 messages in memory for observers gone for good.
  if (attempt.cleanSession === false) {
    return refuse('persistent_session', 'observers must connect with a clean session (alert topics are retained)');
  }
  const tokenId = typeof principal === 'object' && 'id' in principal && typeof principal.id === 'string' ? principal.id : undefined;
  return { ok: true, observer: { id: clientId, kind: 'observer', ...(tokenId !== undefined && { tokenId }) } };
}

/** MQTT 3.1.1 CONNACK return code for a refused CONNECT. */
export function connectReturnCode(reason: RefusalReason): 2 | 4 | 5 {
  switch (reason) {
    case 'client_id_mismatch':
      return 2; // identifier rejected
    case 'missing_credentials':
    case 'unknown_device':
    case 'bad_secret':
    case 'bad_token':
    case 'bad_certificate':
    case 'certificate_revoked':
      return 4; // bad user name or password; unknown id and wrong secret look alike on purpose
    default:
      return 5; // not authorized (e.g. a last will the device may not publish)
  }
}

export function topicLevels(topic: string): number {
  return topic.split('/').length;
}

export function checkPublish(client: ClientIdentity, attempt: PublishAttempt, limits: AccessLimits): Verdict {
  const { topic } = attempt;
  if (client.kind === 'observer' || client.kind === 'vehicle') {
    return refuse('read_only', `${client.kind} ${client.id} may not publish (to ${topic})`);
  }
  const device = client;
  if (/[+#]/.test(topic)) return refuse('wildcard_in_topic', `wildcards are not allowed in a publish topic: ${topic}`);
  const levels = topicLevels(topic);
  if (levels > limits.maxTopicLevels) {
    return refuse('topic_too_deep', `${levels} topic levels, at most ${limits.maxTopicLevels} allowed`);
  }
  if (attempt.payloadBytes > limits.maxPayloadBytes) {
    return refuse('payload_too_large', `${attempt.payloadBytes} bytes, at most ${limits.maxPayloadBytes} allowed`);
  }
  const parsed = parseDeviceTopic(topic);
  if (parsed === null || parsed.deviceId !== device.id) {
    return refuse('foreign_topic', `${device.id} may publish only under ${TOPIC_ROOT}/${device.id}/, not to ${topic}`);
  }
  if (!isDeviceChannel(parsed.channel)) return refuse('unknown_channel', `no channel ${JSON.stringify(parsed.channel)}`);
  const spec = DEVICE_CHANNELS[parsed.channel];
  if (!(spec.publishers as readonly DeviceKind[]).includes(device.kind)) {
    return refuse('channel_not_for_kind', `a ${device.kind} does not publish on ${parsed.channel}`);
  }
  if (attempt.retain && !spec.retained) {
    return refuse('retain_not_allowed', `${parsed.channel} is not a retained channel`);
  }
  return { ok: true };
}

/**
 * A device's one subscription: its own command topic, exactly (no wildcards). A vehicle's: its
 * own plan topic, exactly. An observer's: the alert topics, whole or narrowed. A plain string
 * is a device id.
 */
export function checkSubscribe(client: string | ClientIdentity, topicFilter: string): Verdict {
  if (typeof client !== 'string' && client.kind === 'observer') return checkObserverSubscribe(client.id, topicFilter);
  if (typeof client !== 'string' && client.kind === 'vehicle') {
    const allowed = vehiclePlanTopic(client.id);
    if (topicFilter === allowed) return { ok: true };
    return refuse('forbidden_subscription', `vehicle ${client.id} may subscribe only to ${allowed}, not ${topicFilter}`);
  }
  const deviceId = typeof client === 'string' ? client : client.id;
  const allowed = `${TOPIC_ROOT}/${deviceId}/${COMMAND_CHANNEL}`;
  if (topicFilter === allowed) return { ok: true };
  return refuse('forbidden_subscription', `${deviceId} may subscribe only to ${allowed}, not ${topicFilter}`);
}

const ALERT_PREFIX = `${ALERT_TOPIC_ROOT}/`;

/**
 * binpulse/alerts/v1/# or any filter under it (binpulse/alerts/v1/fire_risk/+). The root has
 * no wildcard, so a well-formed filter under it can match nothing but alert topics.
 */
function checkObserverSubscribe(clientId: string, topicFilter: string): Verdict {
  const refusal = refuse(
    'forbidden_subscription',
    `observer ${clientId} may subscribe only under ${ALERT_PREFIX} (e.g. ${ALERT_PREFIX}#), not ${topicFilter}`,
  );
  if (!topicFilter.startsWith(ALERT_PREFIX)) return refusal;
  const levels = topicFilter.slice(ALERT_PREFIX.length).split('/');
  const wellFormed = levels.every(
    (level, i) => level === '+' || (level === '#' && i === levels.length - 1) || !/[+#]/.test(level),
  );
  return wellFormed ? { ok: true } : refusal;
}

/**
 * Who may do what on the broker: pure rules, no MQTT library in sight. The adapter asks
 * these functions on every CONNECT, PUBLISH (last will included) and SUBSCRIBE.
 *
 * A device proves itself with username = device id, password = secret, and must use its
 * device id as MQTT client id: the broker replaces an existing session that has the same
 * client id, so a free choice would let one device knock another off the broker.
 */
import type { DeviceKind } from '../../../shared/contracts/common.ts';
import { COMMAND_CHANNEL, DEVICE_CHANNELS, isDeviceChannel, parseDeviceTopic, TOPIC_ROOT } from '../../../shared/contracts/topics.ts';
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
}

export type ConnectVerdict = { ok: true; device: DeviceIdentity } | Refusal;

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

export function checkConnect(attempt: ConnectAttempt, authenticator: DeviceAuthenticator, limits: AccessLimits): ConnectVerdict {
  const { username, password, clientId } = attempt;
  if (!username || password === undefined || password.length === 0) {
    return refuse('missing_credentials', 'username (device id) and password (secret) are required');
  }
  const kind = authenticator.kindOf(username);
  if (kind === undefined) return refuse('unknown_device', `no device ${JSON.stringify(username)} is provisioned`);
  if (!authenticator.verifySecret(username, password)) return refuse('bad_secret', 'the secret does not match');
  // Checked after the secret so an unauthenticated caller learns nothing from the return code.
  if (clientId !== username) {
    return refuse('client_id_mismatch', `client id ${JSON.stringify(clientId)} must equal the device id`);
  }
  const device = { id: username, kind };
  if (attempt.will) {
    // Refused at CONNECT rather than silently dropped at disconnect: the device learns now.
    const verdict = checkPublish(device, attempt.will, limits);
    if (!verdict.ok) return refuse(verdict.reason, `last will: ${verdict.detail}`);
  }
  return { ok: true, device };
}

/** MQTT 3.1.1 CONNACK return code for a refused CONNECT. */
export function connectReturnCode(reason: RefusalReason): 2 | 4 | 5 {
  switch (reason) {
    case 'client_id_mismatch':
      return 2; // identifier rejected
    case 'missing_credentials':
    case 'unknown_device':
    case 'bad_secret':
      return 4; // bad user name or password; unknown id and wrong secret look alike on purpose
    default:
      return 5; // not authorized (e.g. a last will the device may not publish)
  }
}

export function topicLevels(topic: string): number {
  return topic.split('/').length;
}

export function checkPublish(device: DeviceIdentity, attempt: PublishAttempt, limits: AccessLimits): Verdict {
  const { topic } = attempt;
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

/** A device's one subscription: its own command topic, exactly (no wildcards). */
export function checkSubscribe(deviceId: string, topicFilter: string): Verdict {
  const allowed = `${TOPIC_ROOT}/${deviceId}/${COMMAND_CHANNEL}`;
  if (topicFilter === allowed) return { ok: true };
  return refuse('forbidden_subscription', `${deviceId} may subscribe only to ${allowed}, not ${topicFilter}`);
}

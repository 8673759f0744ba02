/**
 * Turns one raw MQTT publish into a validated DeviceMessage, or says precisely why not.
 * Pure: the receive time and the registry lookup are passed in. Never throws, whatever the
 * topic or bytes, because a single malformed publish must not stop the pipeline.
 */
import type { z } from 'zod';
import {
  DEVICE_CHANNELS,
  isDeviceChannel,
  parseDeviceTopic,
  type DeadLetterReason,
  type Device,
  type DeviceChannel,
  type DeviceMessage,
} from '../../../shared/contracts/index.ts';
import { compartmentProblem } from './compartment-check.ts';
import { instantMs } from './instant.ts';

export interface DecodeOptions {
  lookupDevice: (deviceId: string) => Device | undefined;
  /** How far ahead of the receive time a device clock may be. */
  maxFutureSkewMs: number;
  /** How old a reading may be (devices buffer while offline). */
  maxAgeMs: number;
}

export type DecodeResult =
  | { ok: true; message: DeviceMessage; device: Device }
  | { ok: false; reason: DeadLetterReason; detail: string; deviceId: string | null };

/** Enough issues to see what is wrong without letting a hostile payload bloat the dead letters. */
const MAX_ISSUES_IN_DETAIL = 5;
const MAX_DETAIL_CHARS = 500;

// fatal: invalid UTF-8 is a rejected payload, not silently replaced characters.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function reject(reason: DeadLetterReason, detail: string, deviceId: string | null): DecodeResult {
  return { ok: false, reason, detail: truncate(detail), deviceId };
}

function truncate(text: string): string {
  return text.length <= MAX_DETAIL_CHARS ? text : `${text.slice(0, MAX_DETAIL_CHARS - 1)}…`;
}

/** "compartments.0.fillingLevel: Too big: expected number to be <=1; ..." */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_IN_DETAIL).map((issue) => {
    const path = issue.path.map((p) => String(p)).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; (+${more} more)` : shown.join('; ');
}

/**
 * Never throws because of the topic or the bytes. A failing lookupDevice (the registry itself
 * is broken) is not the message's fault, so it is not turned into a dead letter: it throws.
 */
export function decodeDeviceMessage(
  topic: string,
  payload: Buffer,
  receivedAtMs: number,
  options: DecodeOptions,
): DecodeResult {
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return reject('unknown_topic', 'not a binpulse/v1/<deviceId>/<channel> topic', null);
  const { deviceId, channel } = parsed;
  if (!isDeviceChannel(channel)) return reject('unknown_topic', `unknown channel "${channel}"`, deviceId);

  const device = options.lookupDevice(deviceId);
  if (!device) return reject('unknown_device', `device "${deviceId}" is not in the registry`, deviceId);

  if (!(DEVICE_CHANNELS[channel].publishers as readonly string[]).includes(device.kind)) {
    return reject('kind_mismatch', `a ${device.kind} may not publish on "${channel}"`, deviceId);
  }
  try {
    return decodePayload(channel, device, payload, receivedAtMs, options);
  } catch (err) {
    // Defence in depth: nothing in there is expected to throw, but no payload may stop ingest.
    return reject('schema_violation', `payload could not be validated: ${String(err)}`, deviceId);
  }
}

function decodePayload(
  channel: DeviceChannel,
  device: Device,
  payload: Buffer,
  receivedAtMs: number,
  options: DecodeOptions,
): DecodeResult {
  const deviceId = device.id;
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(payload));
  } catch (err) {
    const what = err instanceof SyntaxError ? `not JSON: ${err.message}` : 'not valid UTF-8';
    return reject('invalid_json', what, deviceId);
  }

  const result = DEVICE_CHANNELS[channel].schema.safeParse(json);
  if (!result.success) return reject('schema_violation', describeIssues(result.error.issues), deviceId);
  const message = { deviceId, channel, payload: result.data } as DeviceMessage;

  // The status last will carries no timestamp; everything else does.
  const ts = (message.payload as { ts?: string }).ts;
  if (ts !== undefined) {
    const tsMs = instantMs(ts);
    if (Number.isNaN(tsMs)) return reject('timestamp_out_of_range', `unreadable ts ${ts}`, deviceId);
    if (tsMs > receivedAtMs + options.maxFutureSkewMs) {
      return reject('timestamp_out_of_range', `ts ${ts} is ${Math.round((tsMs - receivedAtMs) / 1000)} s in the future`, deviceId);
    }
    if (tsMs < receivedAtMs - options.maxAgeMs) {
      return reject('timestamp_out_of_range', `ts ${ts} is ${Math.round((receivedAtMs - tsMs) / 3_600_000)} h old`, deviceId);
    }
  }
  const compartments = compartmentProblem(message, device);
  if (compartments) return reject(compartments.reason, compartments.detail, deviceId);
  return { ok: true, message, device };
}

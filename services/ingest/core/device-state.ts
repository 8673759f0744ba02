/**
 * The latest known state of a device, folded from its messages and its connection events.
 * Pure and immutable: every change returns a new object, an unchanged state is returned as is
 * (so a caller can tell by reference whether anything needs persisting).
 *
 * offlineReason says why an offline device is offline; the first explanation of an outage
 * stands (statusChangedAt is when it began): a dropped connection's will, arriving through the
 * journal after the broker already reported the drop, does not rewrite it. An offline state
 * without a reason (the platform restarted or closed the connection itself) takes the next
 * one given. Any sign of life clears it.
 *
 * Stale readings (issue 15): a device could otherwise falsify its own present, e.g. a fill level
 * stamped two hours ago overwriting the one it sent a minute ago (and raising bin_full). Per
 * channel, by what its payload means:
 * - state-like (telemetry, heartbeat, status with a ts): it says how the device is now, so one
 *   stamped before the state's readingAt is history only: it reaches the time-series store (the
 *   'timeseries' journal consumer decodes every entry on its own) but not this state's data,
 *   nor the pipeline's listeners (alert rules, forecasts). Its arrival still proves the device
 *   is up (online, lastSeen, messagesReceived: the broker's clock, not the device's claim).
 * - events (deposit, collection, fault, detection, weigh, sorting): something that happened;
 *   one stamped earlier still happened, and the ledger, reports, plan progress and alerts need
 *   it, so events are never stale and flow as before. A fault event is an event too: it changes
 *   activeFaults in arrival order, as before.
 * - the last will (status without ts): the broker's word, now; never stale.
 */
import type { DeviceMessage, DeviceState, OfflineReason } from '../../../shared/contracts/index.ts';
import { instantMs, msToIso } from './instant.ts';

function online(state: DeviceState, atMs: number): DeviceState {
  if (state.online) return state;
  return { ...state, online: true, statusChangedAt: msToIso(atMs), offlineReason: null };
}

function offline(state: DeviceState, reason: OfflineReason | null, atMs: number): DeviceState {
  if (state.online) return { ...state, online: false, statusChangedAt: msToIso(atMs), offlineReason: reason };
  if (state.offlineReason !== null || reason === null) return state;
  return { ...state, offlineReason: reason, statusChangedAt: state.statusChangedAt ?? msToIso(atMs) };
}

/**
 * A status 'offline' message: the device's own goodbye, or its last will published by the
 * broker. The contract gives the will no timestamp (devices register it at connect), while a
 * goodbye says when it was sent, which tells them apart when the broker's event did not.
 */
function statusOfflineReason(ts: string | undefined): OfflineReason {
  return ts === undefined ? 'last_will' : 'clean_disconnect';
}

/** The device time of a state-like reading (see the file comment); null for events and the will. */
export function readingTimeMs(message: DeviceMessage): number | null {
  switch (message.channel) {
    case 'telemetry':
    case 'heartbeat':
      return instantMs(message.payload.ts);
    case 'status':
      return message.payload.ts === undefined ? null : instantMs(message.payload.ts);
    default:
      return null;
  }
}

/** A state-like reading stamped before the newest one the state holds: history only. */
export function isStaleReading(state: DeviceState, message: DeviceMessage): boolean {
  const at = readingTimeMs(message);
  return at !== null && state.readingAt !== null && at < instantMs(state.readingAt);
}

/** Folds one valid message (messages are applied in arrival order; a stale reading only shows the device is up). */
export function applyMessage(state: DeviceState, message: DeviceMessage, receivedAtMs: number): DeviceState {
  const alive = { lastSeen: msToIso(receivedAtMs), messagesReceived: state.messagesReceived + 1 };
  if (isStaleReading(state, message)) return { ...online(state, receivedAtMs), ...alive };
  // Any valid message proves the device is up, except its own (or its last will's) "offline".
  const goodbye = message.channel === 'status' && message.payload.state === 'offline';
  const readingAt = readingTimeMs(message);
  const next: DeviceState = {
    ...(goodbye ? offline(state, statusOfflineReason(message.payload.ts), receivedAtMs) : online(state, receivedAtMs)),
    ...alive,
    ...(readingAt !== null && { readingAt: msToIso(readingAt) }),
  };
  switch (message.channel) {
    case 'telemetry': {
      const p = message.payload;
      return {
        ...next,
        compartments: p.compartments,
        maxFillingLevel: Math.max(...p.compartments.map((c) => c.fillingLevel)),
        temperatureC: p.temperatureC,
        powerSource: p.power.source,
        // A mains-powered box without a battery reports none: the old value would mislead.
        batteryPercent: p.power.batteryPercent ?? null,
        lid: p.lid,
        containerStatus: p.status,
        rssiDbm: p.signal.rssiDbm,
      };
    }
    case 'heartbeat': {
      const p = message.payload;
      return { ...next, streamOk: p.streamOk, frameRate: p.frameRate, uptimeS: p.uptimeS };
    }
    case 'event/fault': {
      const { fault, active } = message.payload;
      const without = state.activeFaults.filter((f) => f !== fault);
      return { ...next, activeFaults: active ? [...without, fault] : without };
    }
    default:
      return next;
  }
}

/**
 * The broker saw the device's connection open, or close for `reason` (null: the platform closed
 * it itself, e.g. at shutdown).
 */
export function applyConnection(state: DeviceState, connected: boolean, reason: OfflineReason | null, atMs: number): DeviceState {
  if (connected) return online(state, atMs);
  // The broker publishes the will at a keep-alive expiry too: should the will have been applied
  // first, the broker's more precise reason replaces it (the outage began at the same moment).
  if (!state.online && state.offlineReason === 'last_will' && reason === 'keepalive_timeout') return { ...state, offlineReason: reason };
  return offline(state, reason, atMs);
}

/**
 * The platform's inactivity check found the device silent past its timeout (the alert engine's
 * device_offline rule, from its lastSeen). Nobody heard from it, so it reads offline even if
 * its connection is still open: `sinceMs` is when its timeout ran out.
 */
export function markSilent(state: DeviceState, sinceMs: number): DeviceState {
  // Not before it last came online: a reconnect without a message restarts nothing else.
  const changedMs = state.statusChangedAt === null ? -Infinity : Date.parse(state.statusChangedAt);
  return offline(state, 'silent', Math.max(sinceMs, changedMs));
}

/**
 * After a platform restart every connection is gone: the device is offline until it
 * reconnects, but when it was last heard from stays true. No reason: the platform, not the
 * device, ended the connection (one already offline keeps the reason it had).
 */
export function markOfflineAfterRestart(state: DeviceState, atMs: number): DeviceState {
  return offline(state, null, atMs);
}

/**
 * The latest known state of a device, folded from its messages and its connection events.
 * Pure and immutable: every change returns a new object, an unchanged state is returned as is
 * (so a caller can tell by reference whether anything needs persisting).
 */
import type { DeviceMessage, DeviceState } from '../../../shared/contracts/index.ts';
import { msToIso } from './instant.ts';


function withOnline(state: DeviceState, online: boolean, atMs: number): DeviceState {
  if (state.online === online) return state;
  return { ...state, online, statusChangedAt: msToIso(atMs) };
}

/** Folds one valid message (messages are applied in arrival order). */
export function applyMessage(state: DeviceState, message: DeviceMessage, receivedAtMs: number): DeviceState {
  // Any valid message proves the device is up, except its own (or its last will's) "offline".
  const online = !(message.channel === 'status' && message.payload.state === 'offline');
  const next: DeviceState = {
    ...withOnline(state, online, receivedAtMs),
    lastSeen: msToIso(receivedAtMs),
    messagesReceived: state.messagesReceived + 1,
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

/** The broker saw the device's connection open or close (a close may come without a last will). */
export function applyConnection(state: DeviceState, connected: boolean, atMs: number): DeviceState {
  return withOnline(state, connected, atMs);
}

/**
 * After a platform restart every connection is gone: the device is offline until it
 * reconnects, but when it was last heard from stays true.
 */
export function markOfflineAfterRestart(state: DeviceState, atMs: number): DeviceState {
  return withOnline(state, false, atMs);
}

/** Small builders shared by the device models: event ids, timestamps, status payloads. */
import type { DeviceStatus } from '../../shared/contracts/index.ts';
import { toLocalIso } from '../../shared/units.ts';

export const FIRMWARE = 'binpulse-sim/1.0';

/** "2026-11-26T08:15:03" in district local time, no offset: for ids and snapshot paths. */
export const localSeconds = (epochMs: number, utcOffsetMinutes: number): string =>
  toLocalIso(epochMs, utcOffsetMinutes).slice(0, 19);

/**
 * `${deviceId}-${tag}-20261126T081503-${seq}`: deterministic for a seed and start, yet two runs
 * over different days never reuse an id (the platform deduplicates on it and would drop them).
 */
export function eventId(deviceId: string, tag: string, epochMs: number, seq: number, utcOffsetMinutes: number): string {
  const compact = localSeconds(epochMs, utcOffsetMinutes).replaceAll('-', '').replaceAll(':', '');
  return `${deviceId}-${tag}-${compact}-${seq}`;
}

/** The birth message; the last will is the same without ts (the broker sends it, not the device). */
export function onlineStatus(epochMs: number, utcOffsetMinutes: number): DeviceStatus {
  return { state: 'online', ts: toLocalIso(epochMs, utcOffsetMinutes), firmware: FIRMWARE };
}

export function offlineStatus(epochMs?: number, utcOffsetMinutes = 480): DeviceStatus {
  return epochMs === undefined ? { state: 'offline' } : { state: 'offline', ts: toLocalIso(epochMs, utcOffsetMinutes) };
}

export const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

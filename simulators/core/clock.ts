/**
 * Simulated time: start + realElapsed × speed, but never ahead of the real clock, because the
 * platform dead-letters readings stamped in the future. Once it catches up it runs at real time.
 */
import { DAY_MS, localDay, localDayStart } from '../../shared/units.ts';

/** Devices publish telemetry and heartbeats at most this often in real time, whatever the speed. */
export const REAL_REPORT_INTERVAL_MS = 5_000;

export interface ClockAnchor {
  simStartMs: number;
  realStartMs: number;
  speed: number;
}

export interface ClockReading {
  simMs: number;
  /** Simulated time has reached the real clock and now follows it at speed 1. */
  caughtUp: boolean;
  /** Simulated ms per real ms right now. */
  effectiveSpeed: number;
}

export function readClock(anchor: ClockAnchor, realNowMs: number): ClockReading {
  const projected = anchor.simStartMs + (realNowMs - anchor.realStartMs) * anchor.speed;
  if (projected >= realNowMs) return { simMs: realNowMs, caughtUp: true, effectiveSpeed: 1 };
  return { simMs: projected, caughtUp: false, effectiveSpeed: anchor.speed };
}

/** Throttle of periodic reports in simulated ms: 5 real seconds at the current speed. */
export const minReportIntervalMs = (effectiveSpeed: number): number => REAL_REPORT_INTERVAL_MS * effectiveSpeed;

/**
 * At real speed the fleet starts now; faster, it replays from the beginning of yesterday
 * (district local time) so there is history to catch up through.
 */
export function defaultStartMs(realNowMs: number, speed: number, utcOffsetMinutes: number): number {
  if (speed <= 1) return realNowMs;
  return localDayStart(localDay(realNowMs, utcOffsetMinutes), utcOffsetMinutes) - DAY_MS;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** Parses "24h", "90m", "1h30m", "45s", "2d" into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const consumed = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || consumed !== trimmed) {
    throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 24h, 90m, 1h30m, 45s, 2d)`);
  }
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
  if (ms <= 0) throw new Error(`duration must be positive: ${JSON.stringify(text)}`);
  return ms;
}

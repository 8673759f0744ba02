/**
 * Daily rhythms in district local time, and the non-homogeneous Poisson process that turns an
 * hourly profile into arrival times.
 */
import { exponential, type Random } from '../../shared/random.ts';
import { HOUR_MS, localHourOfDay } from '../../shared/units.ts';

export type HourlyProfile = readonly number[];

/**
 * Relative deposit intensity by local hour: residents drop recyclables on the way out in the
 * morning (7–9) and after dinner (18–21); almost nobody does between 1 and 5.
 */
export const DEPOSIT_PROFILE: HourlyProfile = [
  0.06, 0.02, 0.01, 0.01, 0.02, 0.1, 0.45, 1.5, 1.9, 1.35, 0.95, 0.8,
  0.7, 0.6, 0.6, 0.7, 0.9, 1.3, 2.0, 2.25, 1.85, 0.95, 0.4, 0.15,
];

/** Late-November air temperature in Changzhou by local hour, °C (coldest at dawn, warmest at 14:00). */
const LATE_NOVEMBER_C: HourlyProfile = [
  10, 9.5, 9, 8.6, 8.3, 8, 8.2, 9, 10.5, 12, 13.5, 15,
  16, 16.8, 17, 16.6, 15.6, 14.2, 13, 12.2, 11.5, 11, 10.6, 10.3,
];

/** Scales a relative profile into events per hour whose daily sum is perDay. */
export function hourlyRates(profile: HourlyProfile, perDay: number): number[] {
  const sum = profile.reduce((a, b) => a + b, 0);
  return profile.map((w) => (sum > 0 ? (perDay * w) / sum : 0));
}

/** Only night hours (21:00–05:00) set, the rest `day`; for activity that avoids being seen. */
export function nightProfile(night: number, day: number): HourlyProfile {
  return Array.from({ length: 24 }, (_, h) => (h >= 21 || h < 5 ? night : day));
}

/** A profile that is `level` between fromHour and toHour (exclusive) and `rest` elsewhere. */
export function bandProfile(bands: readonly (readonly [number, number, number])[], rest: number): HourlyProfile {
  return Array.from({ length: 24 }, (_, h) => bands.find(([from, to]) => h >= from && h < to)?.[2] ?? rest);
}

/** Longest quiet stretch searched before giving up (a profile that is all zeros). */
const MAX_SEARCH_HOURS = 24 * 14;

/**
 * The next arrival after fromMs of a Poisson process whose rate is constant within each local
 * hour (ratesPerHour[0..23]); inverts the integrated rate, so no events are thrown away.
 * Returns Infinity when the rate is zero throughout.
 */
export function nextArrival(fromMs: number, ratesPerHour: readonly number[], r: Random, utcOffsetMinutes: number): number {
  let need = exponential(r, 1);
  let t = fromMs;
  const offsetMs = utcOffsetMinutes * 60_000;
  for (let i = 0; i < MAX_SEARCH_HOURS; i++) {
    const hourIndex = Math.floor(localHourOfDay(t, utcOffsetMinutes)) % 24;
    const segmentEnd = (Math.floor((t + offsetMs) / HOUR_MS) + 1) * HOUR_MS - offsetMs;
    const ratePerMs = (ratesPerHour[hourIndex] ?? 0) / HOUR_MS;
    const expected = ratePerMs * (segmentEnd - t);
    if (ratePerMs > 0 && expected >= need) return Math.ceil(t + need / ratePerMs);
    need -= expected;
    t = segmentEnd;
  }
  return Infinity;
}

/** Piecewise-linear reading of an hourly profile at a local instant. */
export function interpolateProfile(profile: HourlyProfile, epochMs: number, utcOffsetMinutes: number): number {
  const h = localHourOfDay(epochMs, utcOffsetMinutes);
  const i = Math.floor(h) % 24;
  const a = profile[i] ?? 0;
  const b = profile[(i + 1) % 24] ?? 0;
  return a + (b - a) * (h - Math.floor(h));
}

export const ambientTemperatureC = (epochMs: number, utcOffsetMinutes: number): number =>
  interpolateProfile(LATE_NOVEMBER_C, epochMs, utcOffsetMinutes);

/** 0 at night, up to 1 at solar noon (about 12:00 local in late November, daylight 07–17). */
export function sunlight(epochMs: number, utcOffsetMinutes: number): number {
  const h = localHourOfDay(epochMs, utcOffsetMinutes);
  return h > 7 && h < 17 ? Math.sin((Math.PI * (h - 7)) / 10) : 0;
}

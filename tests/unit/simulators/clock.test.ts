import { describe, expect, it } from 'vitest';
import { localDayStart } from '../../../shared/units.ts';
import { defaultStartMs, minReportIntervalMs, parseDuration, readClock } from '../../../simulators/core/clock.ts';
import { nextArrival } from '../../../simulators/core/profiles.ts';
import { seededRandom } from '../../../shared/random.ts';

const REAL = Date.parse('2026-11-26T10:30:00+08:00');

describe('simulated clock', () => {
  it('runs at speed from the start while behind the real clock', () => {
    const anchor = { simStartMs: REAL - 86_400_000, realStartMs: REAL, speed: 60 };
    expect(readClock(anchor, REAL + 1_000)).toEqual({ simMs: REAL - 86_400_000 + 60_000, caughtUp: false, effectiveSpeed: 60 });
  });

  it('never runs ahead of the real clock: once caught up it follows it at speed 1', () => {
    const anchor = { simStartMs: REAL - 60_000, realStartMs: REAL, speed: 60 };
    const later = REAL + 10_000;
    expect(readClock(anchor, later)).toEqual({ simMs: later, caughtUp: true, effectiveSpeed: 1 });
    expect(minReportIntervalMs(1)).toBe(5_000);
    expect(minReportIntervalMs(600)).toBe(3_000_000);
  });

  it('starts now at speed 1, and at 00:00 (UTC+8) yesterday when faster', () => {
    expect(defaultStartMs(REAL, 1, 480)).toBe(REAL);
    expect(defaultStartMs(REAL, 60, 480)).toBe(localDayStart('2026-11-25', 480));
    // 01:00 local is still the previous UTC day: the local calendar decides.
    expect(defaultStartMs(Date.parse('2026-11-26T01:00:00+08:00'), 60, 480)).toBe(localDayStart('2026-11-25', 480));
  });

  it('parses durations', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    for (const bad of ['', '24', 'h', '1x', '0m', '-5m']) expect(() => parseDuration(bad)).toThrow(/duration/);
  });
});

describe('arrivals', () => {
  it('come only in hours with a rate, at about the expected count', () => {
    const rates = Array.from({ length: 24 }, (_, h) => (h === 8 ? 100 : 0));
    const r = seededRandom('arrivals');
    const start = localDayStart('2026-11-25', 480);
    let t = start;
    let count = 0;
    for (;;) {
      t = nextArrival(t, rates, r, 480);
      if (t >= start + 86_400_000) break;
      expect(new Date(t + 8 * 3_600_000).getUTCHours()).toBe(8);
      count++;
    }
    expect(count).toBeGreaterThan(70);
    expect(count).toBeLessThan(130);
    expect(nextArrival(start, new Array(24).fill(0), r, 480)).toBe(Infinity);
  });
});

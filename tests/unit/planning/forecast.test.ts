import { describe, expect, it } from 'vitest';
import {
  newCompartmentHistory,
  observeCollection,
  observeDeposit,
  observeReading,
} from '../../../services/planning/core/forecast-history.ts';
import { districtProfile, forecastCompartment, kgQuantile } from '../../../services/planning/core/forecast.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { OFFSET, T0, steadyHistory } from './forecast-fixture.ts';

const DAY = 24 * HOUR_MS;
const width = (f: { earliestMs: number | null; latestMs: number | null }): number => f.latestMs! - f.earliestMs!;
const localClock = (ms: number): string => new Date(ms + OFFSET * 60_000).toISOString().slice(11, 16);

describe('fill-level forecast of one compartment', () => {
  // The crossing deposit carries the level past it by E[w²]/2E[w] on average: 0.5 kg for 1 kg deposits.
  it('steady filling: 4 kg/h into 1000 kg from 768 kg reaches 0.9 (132 kg + 0.5 kg overshoot) in 33 h 7.5 min, 1.0 in 58 h 7.5 min', () => {
    const h = steadyHistory({ days: 8 });
    const now = T0 + 8 * DAY;
    const f = forecastCompartment(h, now);
    expect(f.level).toBeCloseTo(0.768, 9);
    expect(f.fillRatePerHour).toBeCloseTo(0.004, 9);
    expect(f.meanFillRatePerHour).toBeCloseTo(0.004, 9);
    expect(f.full).toMatchObject({ level: 0.9, reached: false, atMs: now + 33.125 * HOUR_MS });
    expect(f.overflow).toMatchObject({ level: 1, atMs: now + 58.125 * HOUR_MS });
    expect(f.full.earliestMs!).toBeLessThan(f.full.atMs!);
    expect(f.full.latestMs!).toBeGreaterThan(f.full.atMs!);
    // Further ahead, less certain.
    expect(width(f.overflow)).toBeGreaterThan(width(f.full));
    expect(f.reliability).toEqual({ rating: 'good', reasons: [] });
  });

  it('the full level is a parameter (the thresholds file sets it per kind, subdistrict, device)', () => {
    const h = steadyHistory({ days: 8 });
    const now = T0 + 8 * DAY;
    expect(forecastCompartment(h, now, { fullLevel: 0.8 }).full.atMs).toBe(now + 8.125 * HOUR_MS);
    expect(forecastCompartment(h, now, { fullLevel: 0.7 }).full).toMatchObject({ reached: true, atMs: now, earliestMs: now, latestMs: now });
  });

  it('follows the daily profile: nobody deposits at night, so 16 kg (+1 kg overshoot) missing at midnight is full at 09:07:30', () => {
    // 8 kg/h from 07:00 to 21:00 for two weeks, nothing at night.
    const h = steadyHistory({ days: 14, capacityKg: 4000, kgPerDeposit: () => 2, openHours: (hour) => hour >= 7 && hour < 21 });
    const now = T0 + 14 * DAY;
    const profile = districtProfile(h.kgByHourOfWeek, h.hoursByHourOfWeek);
    h.level = 0.9 - 16 / h.capacityKg;
    const f = forecastCompartment(h, now, { profile });
    expect(f.fillRatePerHour).toBe(0);
    expect(f.full.atMs).toBeCloseTo(now + 9.125 * HOUR_MS, -1);
    expect(localClock(f.full.atMs!)).toBe('09:07');
    // Without the district's profile the night gets some of the day's filling: too early.
    const flat = forecastCompartment(h, now);
    expect(flat.fillRatePerHour).toBeGreaterThan(0);
    expect(flat.full.atMs!).toBeLessThan(now + 8.5 * HOUR_MS);
  });

  it('follows the week: a compartment nobody fills at weekends is not forecast to fill on Saturday', () => {
    // From Monday T0, 4 kg/h Monday to Friday only, for 19 days: now is Saturday 00:00.
    const h = steadyHistory({ days: 19, capacityKg: 2000, openHours: (_hour, day) => day % 7 < 5 });
    const now = T0 + 19 * DAY;
    const profile = districtProfile(h.kgByHourOfWeek, h.hoursByHourOfWeek);
    h.level = 0.9 - 8 / h.capacityKg;
    const f = forecastCompartment(h, now, { profile });
    // 8.5 kg at 4 kg/h: Monday 02:07:30, not Saturday.
    expect(f.full.atMs).toBeCloseTo(now + 2 * DAY + 2.125 * HOUR_MS, -1);
  });

  it('a collection resets the level, starts a new cycle and says the forecast spans a whole fill', () => {
    const h = steadyHistory({ days: 8 });
    const now = T0 + 8 * DAY;
    observeCollection(h, now);
    const f = forecastCompartment(h, now + HOUR_MS);
    expect(f.level).toBe(0);
    expect(h.cycle).toBe(1);
    expect(h.readings).toEqual([]);
    // 900.5 kg at 4 kg/h, from the collection (the last message).
    expect(f.full.atMs).toBe(now + 225.125 * HOUR_MS);
    expect(f.reliability.rating).toBe('fair');
    expect(f.reliability.reasons).toContain('recently_emptied');
    expect(forecastCompartment(h, now + 7 * HOUR_MS).reliability.reasons).not.toContain('recently_emptied');
  });

  it('a short history is rated poor, a few days fair, a week and more good', () => {
    expect(forecastCompartment(steadyHistory({ days: 1 }), T0 + DAY).reliability).toEqual({ rating: 'poor', reasons: ['short_history'] });
    expect(forecastCompartment(steadyHistory({ days: 5 }), T0 + 5 * DAY).reliability).toEqual({ rating: 'fair', reasons: ['limited_history'] });
    expect(forecastCompartment(steadyHistory({ days: 7 }), T0 + 7 * DAY).reliability).toEqual({ rating: 'good', reasons: [] });
    const never = newCompartmentHistory(100, OFFSET);
    const none = forecastCompartment(never, T0);
    expect(none.reliability.rating).toBe('poor');
    expect(none.reliability.reasons).toContain('no_history');
    expect(none.full).toMatchObject({ atMs: null, earliestMs: null, latestMs: null });
    // A prior rate (e.g. its category's district mean) gives a forecast from the first day.
    expect(forecastCompartment(never, T0, { priorKgPerHour: 2 }).full.atMs).toBe(T0 + 45 * HOUR_MS);
  });

  it('the interval widens with day-to-day swings and with noisy readings', () => {
    const now = T0 + 14 * DAY;
    const steady = forecastCompartment(steadyHistory({ days: 14, capacityKg: 2000 }), now);
    // Same mean (96 kg a day), but days of 24 and 168 kg in turn.
    const swinging = forecastCompartment(steadyHistory({ days: 14, capacityKg: 2000, kgPerDeposit: (day) => (day % 2 === 0 ? 0.25 : 1.75) }), now);
    expect(Math.abs(swinging.full.atMs! - steady.full.atMs!)).toBeLessThan(10 * 60_000); // overshoots differ a little
    expect(width(swinging.full)).toBeGreaterThan(2 * width(steady.full));
    expect(swinging.reliability.reasons).toContain('irregular_use');
    expect(steady.reliability.reasons).toEqual([]);
    const noisy = forecastCompartment(steadyHistory({ days: 14, capacityKg: 2000, readingNoise: (n) => (n % 2 === 0 ? 0.02 : -0.02) }), now);
    expect(width(noisy.full)).toBeGreaterThan(width(steady.full));
    expect(noisy.reliability).toMatchObject({ rating: 'fair', reasons: ['noisy_readings'] });
  });

  it('heavier deposits (the same kg per hour) give a wider interval', () => {
    const now = T0 + 14 * DAY;
    const light = steadyHistory({ days: 14, capacityKg: 2000 });
    const heavy = newCompartmentHistory(2000, OFFSET);
    for (let hour = 0; hour < 14 * 24; hour++) {
      observeReading(heavy, T0 + hour * HOUR_MS, (hour * 4) / 2000);
      observeDeposit(heavy, T0 + hour * HOUR_MS + 30 * 60_000, 4);
    }
    observeReading(heavy, now, (14 * 24 * 4) / 2000);
    const a = forecastCompartment(light, now);
    const b = forecastCompartment(heavy, now);
    expect(b.level).toBeCloseTo(a.level, 9);
    // Later only by the larger overshoot: 2 kg instead of 0.5 kg, at 4 kg/h.
    expect(b.full.atMs).toBeCloseTo(a.full.atMs! + 0.375 * HOUR_MS, -1);
    expect(width(b.full)).toBeGreaterThan(1.5 * width(a.full));
  });

  it('learns the rate from rising readings when the box reports no deposits', () => {
    const h = newCompartmentHistory(100, OFFSET);
    // Rising 0.4 kg/h for 150 h, then flat at 0.6 for 42 h: 60 kg over 192 watched hours.
    for (let hour = 0; hour <= 8 * 24; hour++) observeReading(h, T0 + hour * HOUR_MS, Math.min(0.6, hour * 0.004));
    const f = forecastCompartment(h, T0 + 8 * DAY);
    expect(h.depositsSeen).toBe(false);
    expect(f.meanFillRatePerHour).toBeCloseTo(0.6 / 192, 9);
    expect(f.full.atMs).toBeGreaterThan(T0 + 8 * DAY);
  });

  it('a silence longer than 3 h, or time spent full, is not counted as watched time', () => {
    const h = newCompartmentHistory(100, OFFSET);
    observeReading(h, T0, 0.5);
    observeReading(h, T0 + HOUR_MS, 0.5);
    observeReading(h, T0 + 11 * HOUR_MS, 0.5);
    expect(h.watchedHours).toBe(1);
    observeDeposit(h, T0 + 12 * HOUR_MS, 50);
    observeReading(h, T0 + 13 * HOUR_MS, 1);
    observeReading(h, T0 + 14 * HOUR_MS, 1);
    expect(h.watchedHours).toBe(2);
  });

  it('the kg quantiles bracket the kg missing; no spread, no interval; too uncertain a rate, no late bound', () => {
    const spread = { dispersionKg: 4, rateError: 0.05, levelVarianceKg2: 0 };
    expect(kgQuantile(100, 1, 1.28, spread)).toBeLessThan(100);
    expect(kgQuantile(100, -1, 1.28, spread)).toBeGreaterThan(100);
    expect(kgQuantile(100, 1, 1.28, { dispersionKg: 0, rateError: 0, levelVarianceKg2: 0 })).toBe(100);
    expect(kgQuantile(100, -1, 1.28, { dispersionKg: 1, rateError: 0.9, levelVarianceKg2: 0 })).toBe(Infinity);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryAfterOf, retryDelayMs, validateRetryPolicy, type RetryPolicy } from '../../../services/journal/core/retry.ts';

const policy: RetryPolicy = { baseMs: 100, capMs: 1_000, factor: 2, maxRetryAfterMs: 5_000 };
const low = () => 0;
const high = () => 0.999999;

describe('retryDelayMs', () => {
  it('grows exponentially, each delay between half the ceiling and the ceiling', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, policy, low))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, policy, high))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however long the outage, and stays finite', () => {
    expect(retryDelayMs(5, policy, high)).toBe(1_000);
    expect(retryDelayMs(10_000, policy, high)).toBe(1_000);
    expect(retryDelayMs(10_000, policy, low)).toBe(500);
    expect(Number.isFinite(retryDelayMs(10_000, { ...policy, capMs: Number.MAX_VALUE }, high))).toBe(true);
  });

  it('uses the injected randomness for the jitter', () => {
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(300);
  });

  it("honours an error's retryAfterMs instead of the schedule, within maxRetryAfterMs", () => {
    expect(retryDelayMs(1, policy, high, 2_500)).toBe(2_500);
    expect(retryDelayMs(9, policy, high, 0)).toBe(0);
    expect(retryDelayMs(1, policy, high, 60_000)).toBe(5_000);
  });

  it('honours a retryAfterMs above the exponential cap (the store knows best), up to its own cap', () => {
    expect(retryDelayMs(1, policy, low, 3_000)).toBeGreaterThan(policy.capMs);
  });
});

describe('retryAfterOf', () => {
  it('reads a usable retryAfterMs from an error', () => {
    expect(retryAfterOf(Object.assign(new Error('429'), { retryAfterMs: 1_500 }))).toBe(1_500);
    expect(retryAfterOf({ retryAfterMs: 0 })).toBe(0);
  });

  it('ignores errors without one, and unusable values', () => {
    expect(retryAfterOf(new Error('down'))).toBeUndefined();
    expect(retryAfterOf('down')).toBeUndefined();
    expect(retryAfterOf(null)).toBeUndefined();
    for (const retryAfterMs of [-1, Number.NaN, Infinity, '100', null]) expect(retryAfterOf({ retryAfterMs })).toBeUndefined();
  });
});

describe('validateRetryPolicy', () => {
  it('accepts the default', () => {
    expect(validateRetryPolicy(DEFAULT_RETRY)).toBe(DEFAULT_RETRY);
  });

  it.each([
    ['a negative base', { baseMs: -1 }],
    ['a cap below the base', { capMs: 50 }],
    ['a shrinking factor', { factor: 0.5 }],
    ['NaN', { baseMs: Number.NaN }],
    ['a negative Retry-After cap', { maxRetryAfterMs: -1 }],
  ])('refuses %s', (_, change) => {
    expect(() => validateRetryPolicy({ ...policy, ...change })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { STORE_BACKOFF } from '../../../services/journal/adapters/journal-consumer.ts';
import { WEBHOOK_BACKOFF } from '../../../services/alerts/adapters/webhook-notifier.ts';
import {
  backoffDelayMs,
  isRetriable,
  isRetriableStatus,
  parseRetryAfter,
  retryAfterOf,
  validateBackoffPolicy,
  type BackoffPolicy,
} from '../../../shared/retry.ts';

const NOW = Date.parse('2026-05-10T04:00:00Z');
const equal: BackoffPolicy = { baseMs: 100, capMs: 1_000, factor: 2, maxRetryAfterMs: 5_000, jitter: 'equal' };
const full: BackoffPolicy = { baseMs: 1000, capMs: 60_000, factor: 2, maxRetryAfterMs: 600_000, jitter: 'full' };
const low = () => 0;
const high = () => 0.999999;

describe('backoffDelayMs, equal jitter (a journal consumer and its store)', () => {
  it('grows exponentially, each delay between half the ceiling and the ceiling', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, equal, low))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, equal, high))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, however long the outage, and stays finite', () => {
    expect(backoffDelayMs(5, equal, high)).toBe(1_000);
    expect(backoffDelayMs(10_000, equal, high)).toBe(1_000);
    expect(backoffDelayMs(10_000, equal, low)).toBe(500);
    expect(Number.isFinite(backoffDelayMs(10_000, { ...equal, capMs: Number.MAX_VALUE }, high))).toBe(true);
  });

  it('uses the injected randomness for the jitter', () => {
    expect(backoffDelayMs(3, equal, () => 0.5)).toBe(300);
  });

  it("honours a server's retryAfterMs instead of the schedule, within maxRetryAfterMs", () => {
    expect(backoffDelayMs(1, equal, high, 2_500)).toBe(2_500);
    expect(backoffDelayMs(9, equal, high, 0)).toBe(0);
    expect(backoffDelayMs(1, equal, high, 60_000)).toBe(5_000);
    // Above the exponential cap too: the server knows best, up to its own cap.
    expect(backoffDelayMs(1, equal, low, 3_000)).toBe(3_000);
  });
});

describe('backoffDelayMs, full jitter (webhook deliveries)', () => {
  it('draws anywhere from 0 up to the exponential ceiling', () => {
    expect(backoffDelayMs(1, full, () => 0)).toBe(0);
    expect(backoffDelayMs(1, full, () => 0.5)).toBe(500);
    expect(backoffDelayMs(1, full, high)).toBe(999);
  });

  it('doubles the ceiling per attempt, capped also for absurd attempt numbers', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, full, high) + 1)).toEqual([1000, 2000, 4000, 8000, 16_000]);
    expect(backoffDelayMs(7, full, high)).toBe(59_999);
    expect(backoffDelayMs(10_000, full, high)).toBe(59_999);
  });

  it('uses the random source it is given, once (no hidden Math.random)', () => {
    let draws = 0;
    expect(
      backoffDelayMs(3, full, () => {
        draws += 1;
        return 0.25;
      }),
    ).toBe(1000);
    expect(draws).toBe(1);
  });

  it('honours Retry-After beyond the backoff cap, but only up to its own cap', () => {
    expect(backoffDelayMs(1, full, low, parseRetryAfter('7', NOW))).toBe(7000);
    expect(backoffDelayMs(1, full, low, parseRetryAfter('Sun, 10 May 2026 04:01:00 GMT', NOW))).toBe(60_000);
    expect(backoffDelayMs(1, full, low, parseRetryAfter('120', NOW))).toBe(120_000);
    expect(backoffDelayMs(1, full, low, parseRetryAfter('86400', NOW))).toBe(600_000);
  });

  it('falls back to the jitter when Retry-After is unreadable', () => {
    expect(backoffDelayMs(2, full, () => 0.5, parseRetryAfter('later please', NOW))).toBe(1000);
  });
});

describe('the policies in use', () => {
  it('are valid, and keep their jitter: equal for a store, full for webhooks', () => {
    expect(validateBackoffPolicy(STORE_BACKOFF)).toBe(STORE_BACKOFF);
    expect(validateBackoffPolicy(WEBHOOK_BACKOFF)).toBe(WEBHOOK_BACKOFF);
    expect(STORE_BACKOFF).toEqual({ baseMs: 250, capMs: 30_000, factor: 2, maxRetryAfterMs: 300_000, jitter: 'equal' });
    expect(WEBHOOK_BACKOFF).toEqual({ baseMs: 1_000, capMs: 300_000, factor: 2, maxRetryAfterMs: 3_600_000, jitter: 'full' });
  });
});

describe('validateBackoffPolicy', () => {
  it.each([
    ['a negative base', { baseMs: -1 }],
    ['a cap below the base', { capMs: 50 }],
    ['a shrinking factor', { factor: 0.5 }],
    ['NaN', { baseMs: Number.NaN }],
    ['a negative Retry-After cap', { maxRetryAfterMs: -1 }],
    ['an unknown jitter', { jitter: 'none' as unknown as BackoffPolicy['jitter'] }],
  ])('refuses %s', (_, change) => {
    expect(() => validateBackoffPolicy({ ...equal, ...change })).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP-date relative to now, 0 when it has passed', () => {
    expect(parseRetryAfter('Sun, 10 May 2026 04:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 10 May 2026 03:59:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5'], ['1.5'], ['12abc']])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('isRetriableStatus: the one list of HTTP answers worth repeating', () => {
  it.each([408, 429, 500, 502, 503, 504])('%i is retriable', (status) => expect(isRetriableStatus(status)).toBe(true));
  it.each([200, 204, 301, 307, 400, 401, 403, 404, 413, 422])('%i is not', (status) => expect(isRetriableStatus(status)).toBe(false));
});

describe('isRetriable', () => {
  it('trusts an error that says it is retriable', () => {
    expect(isRetriable(Object.assign(new Error('down'), { retriable: true }))).toBe(true);
  });

  it('treats everything else as final', () => {
    expect(isRetriable(Object.assign(new Error('bad token'), { retriable: false }))).toBe(false);
    expect(isRetriable(new Error('unknown'))).toBe(false);
    expect(isRetriable({ retriable: 'yes' })).toBe(false);
    expect(isRetriable(null)).toBe(false);
    expect(isRetriable('down')).toBe(false);
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

/** The per-device token bucket (issue 15), with a fake clock. */
import { describe, expect, it } from 'vitest';
import { PublishRateLimiter } from '../../../services/broker/core/publish-rate.ts';

const T0 = 1_760_000_000_000;

function takeMany(limiter: PublishRateLimiter, deviceId: string, n: number, at: number) {
  return Array.from({ length: n }, () => limiter.take(deviceId, at).verdict);
}

describe('PublishRateLimiter', () => {
  it('lets a burst through at once, then holds publishes for their token, then refuses', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 5, burst: 100, maxWaitMs: 10_000 });
    expect(takeMany(limiter, 'box-0001', 100, T0)).toEqual(Array(100).fill('now'));
    // The 101st waits 200 ms for its token; 50 tokens come within 10 s.
    expect(limiter.take('box-0001', T0)).toEqual({ verdict: 'wait', waitMs: 200 });
    expect(takeMany(limiter, 'box-0001', 49, T0).every((v) => v === 'wait')).toBe(true);
    expect(limiter.take('box-0001', T0)).toEqual({ verdict: 'refuse', detail: 'over 5 publishes/s (burst 100): next slot in 10 s' });
  });

  it('a refusal does not charge the bucket: back within its rate, the device gets through', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 5, burst: 10, maxWaitMs: 0 });
    expect(takeMany(limiter, 'box-0001', 10, T0)).toEqual(Array(10).fill('now'));
    expect(takeMany(limiter, 'box-0001', 1000, T0).every((v) => v === 'refuse')).toBe(true);
    expect(limiter.take('box-0001', T0 + 200).verdict).toBe('now');
    expect(limiter.take('box-0001', T0 + 200).verdict).toBe('refuse');
  });

  it('refills at the rate up to the burst, never beyond', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 5, burst: 10, maxWaitMs: 0 });
    takeMany(limiter, 'box-0001', 10, T0);
    // An hour idle refills 10, not 18,000.
    expect(takeMany(limiter, 'box-0001', 11, T0 + 3_600_000)).toEqual([...Array(10).fill('now'), 'refuse']);
  });

  it('a sustained 5/s (the default) is never held or refused', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 5, burst: 1, maxWaitMs: 0 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('box-0001', T0 + i * 200).verdict).toBe('now');
  });

  it('devices have their own buckets', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 1, burst: 2, maxWaitMs: 0 });
    expect(takeMany(limiter, 'box-0001', 3, T0)).toEqual(['now', 'now', 'refuse']);
    expect(takeMany(limiter, 'box-0002', 2, T0)).toEqual(['now', 'now']);
  });

  it('a clock going back drains nothing and refills nothing', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 1, burst: 2, maxWaitMs: 0 });
    takeMany(limiter, 'box-0001', 2, T0);
    expect(limiter.take('box-0001', T0 - 5_000).verdict).toBe('refuse');
    expect(limiter.take('box-0001', T0 + 1_000).verdict).toBe('now');
  });

  it('logs a device refusal at most once a minute', () => {
    const limiter = new PublishRateLimiter({ ratePerSecond: 1, burst: 1 });
    expect(limiter.shouldLog('box-0001', T0)).toBe(true);
    expect(limiter.shouldLog('box-0001', T0 + 59_999)).toBe(false);
    expect(limiter.shouldLog('box-0002', T0 + 1)).toBe(true);
    expect(limiter.shouldLog('box-0001', T0 + 60_000)).toBe(true);
  });

  it('refuses nonsense options', () => {
    expect(() => new PublishRateLimiter({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new PublishRateLimiter({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});

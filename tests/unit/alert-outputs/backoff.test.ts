import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, parseRetryAfter, retryDelayMs } from '../../../services/alerts/core/backoff.ts';

const NOW = Date.parse('2026-05-10T04:00:00Z');
const policy = { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 600_000 };
const justBelowOne = () => 0.999_999;

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP-date relative to now, 0 when it has passed', () => {
    expect(parseRetryAfter('Sun, 10 May 2026 04:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 10 May 2026 03:59:00 GMT', NOW)).toBe(0);
  });

  it.each([[undefined], [null], [''], ['soon'], ['-5'], ['1.5'], ['12abc']])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('is full jitter: anywhere from 0 up to the exponential ceiling', () => {
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0 }, policy)).toBe(0);
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0.5 }, policy)).toBe(500);
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: justBelowOne }, policy)).toBe(999);
  });

  it('doubles the ceiling per attempt', () => {
    const ceilings = [1, 2, 3, 4, 5].map((attempt) => retryDelayMs({ attempt, nowMs: NOW, random: justBelowOne }, policy) + 1);
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('caps the ceiling, also for absurd attempt numbers', () => {
    expect(retryDelayMs({ attempt: 7, nowMs: NOW, random: justBelowOne }, policy)).toBe(59_999);
    expect(retryDelayMs({ attempt: 10_000, nowMs: NOW, random: justBelowOne }, policy)).toBe(59_999);
  });

  it('uses the random source it is given (no hidden Math.random)', () => {
    const draws: number[] = [];
    const random = () => {
      draws.push(1);
      return 0.25;
    };
    expect(retryDelayMs({ attempt: 3, nowMs: NOW, random }, policy)).toBe(1000);
    expect(draws).toHaveLength(1);
  });

  it('honours Retry-After over the jitter, in seconds or as a date', () => {
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0, retryAfter: '7' }, policy)).toBe(7000);
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0, retryAfter: 'Sun, 10 May 2026 04:01:00 GMT' }, policy)).toBe(60_000);
  });

  it('honours Retry-After beyond the backoff cap, but only up to its own cap', () => {
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0, retryAfter: '120' }, policy)).toBe(120_000);
    expect(retryDelayMs({ attempt: 1, nowMs: NOW, random: () => 0, retryAfter: '86400' }, policy)).toBe(600_000);
  });

  it('falls back to the jitter when Retry-After is unreadable', () => {
    expect(retryDelayMs({ attempt: 2, nowMs: NOW, random: () => 0.5, retryAfter: 'later please' }, policy)).toBe(1000);
  });

  it('has sane defaults', () => {
    expect(DEFAULT_BACKOFF.baseMs).toBeLessThan(DEFAULT_BACKOFF.capMs);
    expect(retryDelayMs({ attempt: 30, nowMs: NOW, random: justBelowOne })).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
  });
});

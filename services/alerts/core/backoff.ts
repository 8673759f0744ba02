/**
 * When to retry a failed webhook delivery: exponential backoff with full jitter (a random
 * delay between 0 and the exponential ceiling), so many failed deliveries do not come back
 * at the same instant and hammer a receiver that is just recovering. A receiver's own
 * Retry-After wins over the jitter, within a cap. Pure: randomness and "now" are passed in.
 */

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay; doubled each attempt. */
  baseMs: number;
  /** Upper bound of the exponential ceiling. */
  capMs: number;
  /** Upper bound of an honoured Retry-After (a receiver asking for a day is not obeyed). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  capMs: 5 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
};

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Milliseconds from now, 0 for
 * a date in the past, undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a date-like value: Date.parse would read "1.5" or "-3" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Delay before retry number `attempt` (1 = the first retry, after the first failure).
 * `random` returns [0, 1), as Math.random.
 */
export function retryDelayMs(
  input: { attempt: number; retryAfter?: string | null | undefined; nowMs: number; random: () => number },
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const asked = parseRetryAfter(input.retryAfter, input.nowMs);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  // 2 ** 30 already exceeds any sane cap; clamping the exponent keeps the number finite.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(input.attempt - 1, 0), 30));
  return Math.floor(input.random() * ceiling);
}

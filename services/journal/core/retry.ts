/**
 * When a journal consumer retries a batch its handler refused: exponential backoff with
 * "equal" jitter (half the ceiling fixed, half random). A consumer is alone on its store, so
 * spreading many clients apart matters less than never hammering a store that just went down
 * with near-zero delays, which full jitter (0..ceiling) would sometimes do. A handler's error
 * may carry `retryAfterMs` (e.g. from an HTTP 429/503 Retry-After of InfluxDB); it wins over
 * the schedule, within a cap. Pure: randomness is passed in.
 */

export interface RetryPolicy {
  /** Ceiling of the first retry's delay; multiplied by `factor` each attempt. */
  baseMs: number;
  /** Upper bound of the exponential ceiling. */
  capMs: number;
  /** Growth per attempt (2 = doubling). */
  factor: number;
  /** Upper bound of an honoured retryAfterMs (a store asking for a day is not obeyed). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 250, capMs: 30_000, factor: 2, maxRetryAfterMs: 5 * 60_000 };

/** Throws on a policy that would make the schedule meaningless (negative, NaN, shrinking). */
export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { baseMs, capMs, factor, maxRetryAfterMs } = policy;
  const finite = [baseMs, capMs, factor, maxRetryAfterMs].every((n) => Number.isFinite(n));
  if (!finite || baseMs < 0 || capMs < baseMs || factor < 1 || maxRetryAfterMs < 0) {
    throw new RangeError(`invalid retry policy ${JSON.stringify(policy)}`);
  }
  return policy;
}

/** The retryAfterMs an error asks for, if it carries a usable one. */
export function retryAfterOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('retryAfterMs' in err)) return undefined;
  const value = (err as { retryAfterMs: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Delay before retry number `attempt` (1 = the first retry, after the first failure).
 * `random` returns [0, 1), as Math.random.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  // Clamping the exponent keeps the number finite after a very long outage.
  const exponent = Math.min(Math.max(attempt - 1, 0), 60);
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

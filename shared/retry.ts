/**
 * The one backoff and the one `isRetriable()` of BinPulse (issue 16): the journal consumers
 * retrying a store, the demo history, the webhook notifier and the InfluxDB client all decide
 * here what is worth retrying and how long to wait. Pure: randomness and "now" are passed in.
 *
 * Jitter: `full` draws the delay anywhere from 0 to the exponential ceiling, so many failed
 * deliveries (webhooks: many alerts, one receiver) do not come back at the same instant and
 * hammer a receiver that is just recovering. `equal` keeps half the ceiling fixed and draws the
 * other half: a single client (a journal consumer is alone on its store) then never comes back
 * with a near-zero delay to a store that just went down.
 *
 * A server's own Retry-After (HTTP 429/503) wins over the schedule, within `maxRetryAfterMs`.
 */

export type Jitter = 'full' | 'equal';

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay; multiplied by `factor` each attempt. */
  baseMs: number;
  /** Upper bound of the exponential ceiling. */
  capMs: number;
  /** Growth per attempt (2 = doubling). */
  factor: number;
  /** Upper bound of an honoured Retry-After (a server asking for a day is not obeyed). */
  maxRetryAfterMs: number;
  jitter: Jitter;
}

/** Throws on a policy that would make the schedule meaningless (negative, NaN, shrinking). */
export function validateBackoffPolicy(policy: BackoffPolicy): BackoffPolicy {
  const { baseMs, capMs, factor, maxRetryAfterMs, jitter } = policy;
  const finite = [baseMs, capMs, factor, maxRetryAfterMs].every((n) => Number.isFinite(n));
  if (!finite || baseMs < 0 || capMs < baseMs || factor < 1 || maxRetryAfterMs < 0 || (jitter !== 'full' && jitter !== 'equal')) {
    throw new RangeError(`invalid backoff policy ${JSON.stringify(policy)}`);
  }
  return policy;
}

/**
 * Delay before retry number `attempt` (1 = the first retry, after the first failure).
 * `random` returns [0, 1), as Math.random. `retryAfterMs`, when the server said, wins.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  // Clamping the exponent keeps the number finite after a very long outage.
  const exponent = Math.min(Math.max(attempt - 1, 0), 60);
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** exponent);
  if (policy.jitter === 'full') return Math.floor(random() * ceiling);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

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
 * The HTTP answers worth repeating the same request for: 408 (the server gave up waiting),
 * 429 (throttled) and 5xx (the server may recover). Any other status will not change by
 * retrying: 4xx is the request's fault, 3xx is not followed (a POST turned GET is lost).
 */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Whether an error is worth retrying: errors that know say so with `retriable` (InfluxWriteError,
 * InfluxQueryError: a network error or a retriable status). Anything else is not, so a
 * configuration error stops instead of looping.
 */
export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

/** The retryAfterMs an error asks for, if it carries a usable one. */
export function retryAfterOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('retryAfterMs' in err)) return undefined;
  const value = (err as { retryAfterMs: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

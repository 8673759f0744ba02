/**
 * Per-device publish rate (issue 15: one box published 1,879 msg/s with no limit). A token
 * bucket per device: DEVICE_PUBLISH_RATE tokens a second, up to DEVICE_PUBLISH_BURST saved up.
 * Pure: time is passed in.
 *
 * Three answers, because MQTT 3.1.1 has no negative PUBACK and aedes 1.x closes the connection
 * on any refused publish (see ../adapters/publish-pacer.ts):
 * - 'now': a token was there.
 * - 'wait': no token, but one comes within maxWaitMs: the publish is held until then (the
 *   device's own token, taken in advance). The adapter holds the PUBACK, and aedes reads no
 *   more of that connection until the held publishes are done: TCP backpressure slows the
 *   device down and nothing is lost. A box flushing a day's backlog after an outage paces
 *   through here and is never refused.
 * - 'refuse': even waiting would take longer than maxWaitMs (the device keeps publishing
 *   faster than its rate). The publish is refused; the bucket is not charged for it, so a
 *   device that reconnects and slows down gets through as soon as it is back within its rate.
 *
 * Memory: one small entry per device that ever published (devices are authenticated first,
 * so bounded by the registry); refusal log times likewise.
 */

export interface PublishRateOptions {
  /** Sustained publishes a second. */
  ratePerSecond: number;
  /** Publishes a device may send at once above the rate (the bucket's size). */
  burst: number;
  /** How long a publish may be held for its token before it is refused instead. */
  maxWaitMs?: number;
  /** A device's refusals are logged at most once per this interval (the rest only counted). */
  logIntervalMs?: number;
}

export type RateDecision = { verdict: 'now' } | { verdict: 'wait'; waitMs: number } | { verdict: 'refuse'; detail: string };

/**
 * Half of a device's usual 60 s keep-alive. aedes hands over one socket read at a time (≤ 64 KiB,
 * ~190 district messages of 345 bytes), all at once: 100 of burst + 150 held cover one, so a
 * well-behaved device flushing any backlog is paced read by read and never refused.
 */
export const DEFAULT_MAX_WAIT_MS = 30_000;
export const DEFAULT_LOG_INTERVAL_MS = 60_000;

interface Bucket {
  /** May go below zero: publishes held for tokens not yet there. */
  tokens: number;
  atMs: number;
}

export class PublishRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly loggedAt = new Map<string, number>();
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly maxWaitMs: number;
  private readonly logIntervalMs: number;

  constructor(private readonly options: PublishRateOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(options.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.ratePerMs = options.ratePerSecond / 1000;
    this.burst = options.burst;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.logIntervalMs = options.logIntervalMs ?? DEFAULT_LOG_INTERVAL_MS;
  }

  /** One publish of the device at nowMs. */
  take(deviceId: string, nowMs: number): RateDecision {
    const bucket = this.refilled(deviceId, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { verdict: 'now' };
    }
    const waitMs = Math.ceil((1 - bucket.tokens) / this.ratePerMs);
    if (waitMs <= this.maxWaitMs) {
      bucket.tokens -= 1;
      return { verdict: 'wait', waitMs };
    }
    const { ratePerSecond, burst } = this.options;
    return { verdict: 'refuse', detail: `over ${ratePerSecond} publishes/s (burst ${burst}): next slot in ${Math.round(waitMs / 1000)} s` };
  }

  /** Whether a refusal of this device is to be logged now (at most once per log interval). */
  shouldLog(deviceId: string, nowMs: number): boolean {
    const last = this.loggedAt.get(deviceId);
    if (last !== undefined && nowMs - last < this.logIntervalMs) return false;
    this.loggedAt.set(deviceId, nowMs);
    return true;
  }

  private refilled(deviceId: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(deviceId);
    if (!bucket) {
      bucket = { tokens: this.burst, atMs: nowMs };
      this.buckets.set(deviceId, bucket);
      return bucket;
    }
    // A clock that goes back (it should not) refills nothing rather than draining.
    const elapsed = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsed * this.ratePerMs);
    bucket.atMs = Math.max(bucket.atMs, nowMs);
    return bucket;
  }
}

/**
 * "Logged once": a misconfigured device retries forever, so only the first refusal per
 * (reason, subject) is worth a log line; the rest only count. Memory is bounded by an LRU
 * of subjects, because the subject (a username) comes from the network and an attacker
 * can invent any number of them. A key pushed out of the LRU is logged again when it
 * returns, which is the price of the bound.
 */
import type { RefusalReason } from './access.ts';

export const DEFAULT_REFUSAL_LOG_CAPACITY = 10_000;

export interface RefusalDecision {
  /** True on the first occurrence (since the key was last evicted). */
  log: boolean;
  /** Occurrences of this key while it has been remembered, this one included. */
  occurrences: number;
}

export class RefusalLog {
  // A Map iterates in insertion order: delete + set moves a key to the young end.
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity: number = DEFAULT_REFUSAL_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  record(reason: RefusalReason, subject: string): RefusalDecision {
    const key = `${reason}\u0000${subject}`;
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      this.seen.delete(key);
      this.seen.set(key, previous + 1);
      return { log: false, occurrences: previous + 1 };
    }
    if (this.seen.size >= this.capacity) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(key, 1);
    return { log: true, occurrences: 1 };
  }

  get size(): number {
    return this.seen.size;
  }
}

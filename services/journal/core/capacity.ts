/**
 * The journal's cap, as pure decisions: what an entry weighs, whether one more fits, and when
 * to warn that the backlog nears the cap. Sizes are approximate on purpose (payload + topic
 * bytes, no SQLite overhead): the cap bounds disk use by order of magnitude, not to the byte.
 */

export function entryBytes(topic: string, payload: Buffer): number {
  return Buffer.byteLength(topic) + payload.length;
}

/** Whether `size` more bytes keep the backlog within the cap (reaching it exactly is allowed). */
export function fits(backlogBytes: number, size: number, maxBytes: number): boolean {
  return backlogBytes + size <= maxBytes;
}

export type CapacityChange = 'near_full' | 'recovered';

/** A capacity watch transition (or, on subscribing, the current state), for alerting. */
export interface CapacityEvent {
  backlogBytes: number;
  maxBytes: number;
  /** True from passing the warn ratio until back below the rearm ratio. */
  nearCap: boolean;
  /** The consumer furthest behind (what holds the backlog), when any is registered. */
  slowest?: string;
}

export type CapacityListener = (event: CapacityEvent) => void;

/**
 * Says 'near_full' once when the backlog passes `warnRatio` of the cap and 'recovered' once
 * when it is back below `rearmRatio`; only then can it warn again. The gap keeps a backlog
 * that hovers right at the threshold (a consumer just keeping up) from logging on every
 * append and commit.
 */
export class CapacityWatch {
  private near = false;
  private refusing = false;

  constructor(
    private readonly maxBytes: number,
    private readonly warnRatio = 0.8,
    private readonly rearmRatio = 0.7,
  ) {
    if (!(maxBytes > 0) || !(rearmRatio <= warnRatio && warnRatio <= 1)) {
      throw new RangeError(`invalid capacity watch: max ${maxBytes}, warn ${warnRatio}, rearm ${rearmRatio}`);
    }
  }

  /** Whether the last 'near_full' has not been followed by 'recovered' yet. */
  get nearCap(): boolean {
    return this.near;
  }

  observe(backlogBytes: number): CapacityChange | null {
    if (backlogBytes < this.maxBytes * this.rearmRatio) {
      this.refusing = false;
      if (!this.near) return null;
      this.near = false;
      return 'recovered';
    }
    if (!this.near && backlogBytes > this.maxBytes * this.warnRatio) {
      this.near = true;
      return 'near_full';
    }
    return null;
  }

  /** A refusal happened; true for the first one since the backlog was last below the rearm ratio (to log it once). */
  refused(): boolean {
    if (this.refusing) return false;
    this.refusing = true;
    return true;
  }
}

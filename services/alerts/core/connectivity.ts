/**
 * What the offline rules remember about device connections (in memory; lastSeen and the open
 * alerts carry what must survive a restart):
 *
 * - suspect: the device's 'offline' status (its MQTT last will, or its own goodbye) arrived and
 *   nothing came after it. The next sweep treats it as offline without waiting for the timeout.
 * - connection changes, for flapping. A device is 'up', 'down' (it dropped: the will) or
 *   'asleep' (it closed its connection cleanly: a device that connects only to report is not
 *   flapping). Counted changes are into 'down' and from 'down' back to 'up'.
 * - when the platform began sweeping: a device never heard from, or last heard from before a
 *   restart, gets one full timeout from then before it counts as offline, so a restart does not
 *   raise the whole fleet at once.
 */
import type { SweepDevice } from './ports.ts';
import { FLAPPING_WINDOW_MS } from './thresholds.ts';

type LinkState = 'up' | 'down' | 'asleep';

/** A device the sweep finds offline, and the moment it went quiet (area outages cluster on it). */
export interface Offline {
  since: number;
  suspect: boolean;
}

export class Connectivity {
  private startedAt: number | undefined;
  private readonly suspectSince = new Map<string, number>();
  private readonly link = new Map<string, LinkState>();
  private readonly changes = new Map<string, number[]>();

  /** Every sweep calls this first; the first one fixes the platform's start. */
  sweepStarted(at: number): void {
    this.startedAt ??= at;
  }

  /** The device said (or its will said) it is offline. True when that is a counted change. */
  wentOffline(deviceId: string, at: number): boolean {
    if (!this.suspectSince.has(deviceId)) this.suspectSince.set(deviceId, at);
    return this.move(deviceId, 'down', at);
  }

  /** A valid message other than 'offline': the device is up. True when that is a counted change. */
  alive(deviceId: string, at: number): boolean {
    this.suspectSince.delete(deviceId);
    return this.move(deviceId, 'up', at);
  }

  /** The broker saw the connection open or close. True when that is a counted change. */
  connection(deviceId: string, connected: boolean, at: number): boolean {
    if (connected) {
      this.suspectSince.delete(deviceId);
      return this.move(deviceId, 'up', at);
    }
    // A close after the will keeps the device 'down'; a close on its own is a clean sign-off.
    if (this.link.get(deviceId) === 'down') return false;
    return this.move(deviceId, 'asleep', at);
  }

  /** Counted connection changes within the last hour. */
  changesInLastHour(deviceId: string, at: number): number {
    const recent = (this.changes.get(deviceId) ?? []).filter((t) => t > at - FLAPPING_WINDOW_MS);
    if (recent.length === 0) this.changes.delete(deviceId);
    else this.changes.set(deviceId, recent);
    return recent.length;
  }

  /**
   * Offline when suspect, or when silent for longer than the timeout counted from the later of
   * its last message and the platform's start. Undefined while the device counts as up.
   */
  offline(sweep: SweepDevice, timeoutMs: number, at: number): Offline | undefined {
    const suspect = this.suspectSince.get(sweep.device.id);
    // The will's arrival is when the broker noticed: devices cut off together share it, while
    // their last readings may lie a whole report interval apart.
    if (suspect !== undefined) return { since: suspect, suspect: true };
    const started = this.startedAt ?? at;
    const quietSince = Math.max(sweep.lastSeenMs ?? started, started);
    return at - quietSince > timeoutMs ? { since: quietSince, suspect: false } : undefined;
  }

  private move(deviceId: string, next: LinkState, at: number): boolean {
    const previous = this.link.get(deviceId);
    this.link.set(deviceId, next);
    // The first state seen after start is no change: the platform simply did not know before.
    const counted = previous !== undefined && previous !== next && (next === 'down' || previous === 'down');
    if (counted) this.changes.set(deviceId, [...(this.changes.get(deviceId) ?? []), at]);
    return counted;
  }
}

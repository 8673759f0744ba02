/**
 * While the platform is down it hears nobody, so that time must not count against a device's
 * inactivity timeout: after a restart each device's silence is measured as if the downtime had
 * not happened. This keeps inactivity timers across a restart (a camera silent for 2 of its 3
 * minutes before a crash is raised 1 minute after the restart), without raising every device
 * the moment the platform comes back from a long stop.
 */
export interface Downtime {
  /** When this platform process started. */
  startedAt: number;
  /** How long the platform was down before startedAt (0 when unknown or first start). */
  downtimeMs: number;
}

/** The platform was last known alive at lastAliveAt (null on a first start). */
export function downtimeBefore(startedAt: number, lastAliveAt: number | null): Downtime {
  return { startedAt, downtimeMs: lastAliveAt === null ? 0 : Math.max(0, startedAt - lastAliveAt) };
}

/** A device's lastSeen with the platform's downtime taken out of its silence. */
export function effectiveLastSeen(lastSeenMs: number | null, downtime: Downtime): number | null {
  if (lastSeenMs === null || lastSeenMs >= downtime.startedAt) return lastSeenMs;
  return Math.min(lastSeenMs + downtime.downtimeMs, downtime.startedAt);
}

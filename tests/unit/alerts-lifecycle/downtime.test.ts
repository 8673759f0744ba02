import { describe, expect, it } from 'vitest';
import { downtimeBefore, effectiveLastSeen } from '../../../services/alerts/core/downtime.ts';

const MIN = 60_000;

describe('platform downtime and device inactivity', () => {
  const start = 100 * MIN;

  it('keeps a device’s silence across a short crash: 2 minutes before + time since restart', () => {
    // alive until 99:00, back at 100:00 → 1 minute down; the camera was last heard at 97:00.
    const downtime = downtimeBefore(start, 99 * MIN);
    expect(downtime.downtimeMs).toBe(MIN);
    expect(effectiveLastSeen(97 * MIN, downtime)).toBe(98 * MIN);
  });

  it('does not blame devices for a long stop: at most a fresh timeout from the restart', () => {
    const downtime = downtimeBefore(start, 10 * MIN);
    expect(effectiveLastSeen(9 * MIN, downtime)).toBe(start - MIN);
    expect(effectiveLastSeen(0, downtime)).toBe(90 * MIN);
    expect(effectiveLastSeen(9.99 * MIN, downtime)!).toBeLessThanOrEqual(start);
  });

  it('leaves devices heard since the restart, never-heard devices and first starts alone', () => {
    const downtime = downtimeBefore(start, 99 * MIN);
    expect(effectiveLastSeen(start + 5, downtime)).toBe(start + 5);
    expect(effectiveLastSeen(null, downtime)).toBeNull();
    expect(effectiveLastSeen(50 * MIN, downtimeBefore(start, null))).toBe(50 * MIN);
  });
});

/** Splitting a whole number of devices by shares, so any fleet size keeps the district's proportions. */

/**
 * Largest-remainder apportionment: every part gets the floor of its exact share, and the
 * leftover units go to the largest fractions (ties to the earlier part). Exact when the
 * total is the one the weights describe (36/16/2 of 54 stays 36/16/2).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`not a device count: ${total}`);
  if (sum <= 0) throw new RangeError('weights must have a positive sum');
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/** The district's plan: 36 existing camera points, 16 road and 2 market demonstration points. */
export const CAMERA_PLAN = { existing: 36, road: 16, market: 2 } as const;

/** Camera points per type for a fleet of `cameras`, in the plan's proportion. */
export function cameraPointCounts(cameras: number): { existing: number; road: number; market: number } {
  const [existing, road, market] = apportion(cameras, [CAMERA_PLAN.existing, CAMERA_PLAN.road, CAMERA_PLAN.market]);
  return { existing: existing!, road: road!, market: market! };
}

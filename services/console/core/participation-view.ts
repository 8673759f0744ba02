/** View logic of the participation screen (#/participation): trend arrows and rate tones. Pure. */

export type TrendDirection = 'up' | 'down' | 'flat' | 'none';

/**
 * Week-on-week change within ±2 % reads as flat: a few residents more or less is the week's
 * noise, not a trend a manager should act on.
 */
export const FLAT_TREND = 0.02;

export function trendDirection(trend: number | null): TrendDirection {
  if (trend === null) return 'none';
  if (Math.abs(trend) <= FLAT_TREND) return 'flat';
  return trend > 0 ? 'up' : 'down';
}

/**
 * The pilot's > 500 of ~800 (over 60 %) is what good looks like; under a third of households
 * taking part is where a community needs a visit.
 */
export const RATE_GOOD = 0.6;
export const RATE_LOW = 1 / 3;

export function rateTone(rate: number | null): 'good' | 'warn' | 'bad' | 'neutral' {
  if (rate === null) return 'neutral';
  return rate >= RATE_GOOD ? 'good' : rate >= RATE_LOW ? 'warn' : 'bad';
}

/** A rate bar's width, 0..100 % (a rate over 1, more cards than registered households, fills the bar). */
export const rateWidth = (rate: number | null): number => (rate === null ? 0 : Math.min(1, Math.max(0, rate)) * 100);

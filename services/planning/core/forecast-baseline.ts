/**
 * The naive baseline the forecast is measured against: a straight line through the compartment's
 * readings of the last windowHours (least squares), extended to the level; its 80 % interval from
 * the slope's standard error. No deposits, no daily rhythm: what a spreadsheet would do.
 * Instants beyond horizonHours are null, as the forecast's are.
 */
import { HOUR_MS } from '../../../shared/units.ts';
import type { CompartmentHistory } from './forecast-history.ts';
import { Z_80, type LevelForecast } from './forecast.ts';

export const DEFAULT_BASELINE_WINDOW_HOURS = 24;

export function baselineForecast(
  h: Pick<CompartmentHistory, 'readings'>,
  nowMs: number,
  level: number,
  windowHours = DEFAULT_BASELINE_WINDOW_HOURS,
  horizonHours = 14 * 24,
): LevelForecast {
  const points = h.readings.filter((r) => r.atMs <= nowMs && r.atMs >= nowMs - windowHours * HOUR_MS);
  const last = points.at(-1);
  const none: LevelForecast = { level, reached: false, atMs: null, earliestMs: null, latestMs: null };
  if (last === undefined) return none;
  if (last.level >= level) return { level, reached: true, atMs: nowMs, earliestMs: nowMs, latestMs: nowMs };
  if (points.length < 2) return none;
  const n = points.length;
  const meanT = points.reduce((s, p) => s + p.atMs, 0) / n;
  const meanL = points.reduce((s, p) => s + p.level, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.atMs - meanT) ** 2;
    sxy += (p.atMs - meanT) * (p.level - meanL);
  }
  if (!(sxx > 0)) return none;
  const slope = sxy / sxx; // level per ms
  let sse = 0;
  for (const p of points) sse += (p.level - (meanL + slope * (p.atMs - meanT))) ** 2;
  const slopeSe = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : 0;
  // Extended from the fitted line's value at the last reading.
  const fromLevel = meanL + slope * (last.atMs - meanT);
  // Beyond the horizon (a nearly flat line) is no forecast, as for the model.
  const reach = (s: number): number | null => {
    const at = s > 0 ? last.atMs + (level - fromLevel) / s : Infinity;
    return at <= nowMs + horizonHours * HOUR_MS ? Math.max(nowMs, Math.round(at)) : null;
  };
  if (!(slope > 0)) return none;
  return { level, reached: false, atMs: reach(slope), earliestMs: reach(slope + Z_80 * slopeSe), latestMs: reach(slope - Z_80 * slopeSe) };
}

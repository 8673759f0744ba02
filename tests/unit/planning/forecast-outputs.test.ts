import { describe, expect, it } from 'vitest';
import { baselineForecast } from '../../../services/planning/core/forecast-baseline.ts';
import { nextActuationDeadline } from '../../../services/planning/core/forecast-fiware.ts';
import { newCompartmentHistory, observeCollection, observeReading } from '../../../services/planning/core/forecast-history.ts';
import type { LevelForecast } from '../../../services/planning/core/forecast.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { ForecastScorer, type Issued } from '../../../evaluate/forecast/score.ts';
import { OFFSET, T0 } from './forecast-fixture.ts';

const readings = (levels: readonly number[]) => {
  const h = newCompartmentHistory(100, OFFSET);
  levels.forEach((level, i) => observeReading(h, T0 + i * HOUR_MS, level));
  return h;
};

describe('naive baseline: a line through the last readings', () => {
  it('readings rising 0.02 an hour from 0.5 reach 0.9 twenty hours after 0.5, with no interval on a perfect line', () => {
    const h = readings([0.5, 0.52, 0.54, 0.56, 0.58]);
    const now = T0 + 4 * HOUR_MS;
    const f = baselineForecast(h, now, 0.9);
    expect(f.atMs).toBeCloseTo(T0 + 20 * HOUR_MS, -1);
    expect(f.earliestMs).toBe(f.atMs);
    expect(f.latestMs).toBe(f.atMs);
  });

  it('scattered readings give an interval around the line', () => {
    const h = readings([0.5, 0.53, 0.53, 0.57, 0.58]);
    const f = baselineForecast(h, T0 + 4 * HOUR_MS, 0.9);
    expect(f.earliestMs!).toBeLessThan(f.atMs!);
    expect(f.latestMs!).toBeGreaterThan(f.atMs!);
  });

  it('only the window counts: a rise two days ago is not extrapolated', () => {
    const h = readings([0.1, 0.2, 0.3]);
    observeReading(h, T0 + 48 * HOUR_MS, 0.3);
    observeReading(h, T0 + 49 * HOUR_MS, 0.3);
    expect(baselineForecast(h, T0 + 49 * HOUR_MS, 0.9).atMs).toBeNull();
    expect(baselineForecast(h, T0 + 49 * HOUR_MS, 0.9, 72).atMs).not.toBeNull();
  });

  it('no forecast from a flat line, a single reading, a fresh cycle or beyond the horizon; reached when at the level', () => {
    expect(baselineForecast(readings([0.4, 0.4, 0.4]), T0 + 2 * HOUR_MS, 0.9).atMs).toBeNull();
    expect(baselineForecast(readings([0.4]), T0, 0.9).atMs).toBeNull();
    const emptied = readings([0.4, 0.5, 0.6]);
    observeCollection(emptied, T0 + 3 * HOUR_MS);
    expect(baselineForecast(emptied, T0 + 3 * HOUR_MS, 0.9).atMs).toBeNull();
    expect(baselineForecast(readings([0.1, 0.1001]), T0 + HOUR_MS, 0.9).atMs).toBeNull();
    expect(baselineForecast(readings([0.8, 0.95]), T0 + 2 * HOUR_MS, 0.9)).toMatchObject({ reached: true, atMs: T0 + 2 * HOUR_MS });
  });
});

describe('FIWARE nextActuationDeadline', () => {
  const level = (earliestMs: number | null, reached = false): { atMs: number; full: LevelForecast } => ({
    atMs: T0,
    full: { level: 0.9, reached, atMs: earliestMs === null ? null : earliestMs + HOUR_MS, earliestMs, latestMs: null },
  });

  it('is the earliest compartment\'s early bound of reaching the full level, in ISO 8601', () => {
    expect(nextActuationDeadline([level(T0 + 5 * HOUR_MS), level(T0 + 3 * HOUR_MS), level(null)])).toBe(new Date(T0 + 3 * HOUR_MS).toISOString());
  });

  it('is the forecast instant when a compartment is full already, and absent when none fills within the horizon', () => {
    expect(nextActuationDeadline([level(T0 + 5 * HOUR_MS), level(null, true)])).toBe(new Date(T0).toISOString());
    expect(nextActuationDeadline([level(null), level(null)])).toBeUndefined();
    expect(nextActuationDeadline([])).toBeUndefined();
  });
});

describe('backtest scoring', () => {
  const issued = (atH: number, predictedH: number | null, earlyH: number, lateH: number): Issued => {
    const at = (h: number): number => T0 + h * HOUR_MS;
    const f = { atMs: predictedH === null ? null : at(predictedH), earliestMs: at(earlyH), latestMs: at(lateH) };
    return { atMs: at(atH), model: f, baseline: { atMs: null, earliestMs: null, latestMs: null }, rating: 'good' };
  };

  it('scores a cycle at each horizon with the last forecast issued at least that long before it reached the level', () => {
    const scorer = new ForecastScorer();
    // Reached at 100 h. At 6 h: the forecast of 94 h (predicts 102, interval 98–104): error 2 h, inside.
    // At 24 h: the one of 70 h (predicts 90, 85–95): error 10 h, outside. At 72 h: nothing issued by 28 h.
    const cycle = [issued(30, 120, 100, 140), issued(70, 90, 85, 95), issued(94, 102, 98, 104), issued(95, 0, 0, 0), issued(96, 101, 99, 103)];
    scorer.reached(cycle, T0 + 100 * HOUR_MS);
    const [h6, h24, h72] = scorer.scores();
    expect(h6!.model).toMatchObject({ n: 1, maeHours: 2, biasHours: 2, coverage80: 1, meanWidthHours: 6 });
    expect(h24!.model).toMatchObject({ n: 1, maeHours: 10, biasHours: -10, coverage80: 0 });
    expect(h72!.scored).toBe(0);
    expect(h6!.baseline).toMatchObject({ n: 1, missing: 1, coverage80: 0 });
    // By the forecast's own lead (±25 %): the one of 96 h said 5 h (6 h band), the one of 70 h said
    // 20 h (24 h band); 94 h said 8 h, 30 h said 90 h: in no band.
    expect(h6!.byForecastLead.model).toMatchObject({ n: 1, maeHours: 1, biasHours: 1, coverage80: 1 });
    expect(h24!.byForecastLead.model).toMatchObject({ n: 1, maeHours: 10, biasHours: -10 });
    expect(h72!.byForecastLead.model.n).toBe(0);
    expect(h6!.byForecastLead.baseline.n).toBe(0);
  });

  it('counts a cycle emptied before it was full as censored at the horizons it had forecasts for, never scored', () => {
    const scorer = new ForecastScorer();
    scorer.censored([issued(10, 50, 40, 60)], T0 + 40 * HOUR_MS);
    const [h6, h24, h72] = scorer.scores();
    expect([h6!.censored, h24!.censored, h72!.censored]).toEqual([1, 1, 0]);
    expect(h6!.scored).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { runForecastBacktest } from '../../../evaluate/forecast/backtest.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { T0 } from './forecast-fixture.ts';

describe('forecast backtest on the simulated district (a small one)', () => {
  const devices = generateDemoFleet({ seed: 'backtest', boxes: 12, cameras: 0 });
  const run = (collectAt: number) =>
    runForecastBacktest({ seed: 'backtest', devices, startMs: T0, days: 12, warmupDays: 4, sampleEveryHours: 1, collectAt });

  it('collectors emptying only full compartments: every ended cycle reached the level and is scored, the forecast beats the baseline', () => {
    const result = run(1);
    expect(result.compartments).toBe(60);
    expect(result.cycles.reached).toBeGreaterThan(50);
    expect(result.cycles.censored).toBe(0);
    const [h6, h24] = result.horizons;
    expect(h6!.scored).toBeGreaterThan(30);
    expect(h6!.censored).toBe(0);
    expect(h24!.model.maeHours).toBeLessThan(h24!.baseline.maeHours);
    expect(h24!.model.coverage80).toBeGreaterThan(0.6);
    expect(h24!.model.coverage80).toBeLessThan(0.97);
  });

  it('the fixed rounds at 0.7 empty most cycles before 0.9: those are censored, not scored', () => {
    const result = run(0.7);
    expect(result.cycles.censored).toBeGreaterThan(result.cycles.reached);
    const [h6] = result.horizons;
    expect(h6!.censored).toBeGreaterThan(h6!.scored);
  });

  it('is deterministic for a seed', () => {
    expect(run(1).horizons).toEqual(run(1).horizons);
  });
});

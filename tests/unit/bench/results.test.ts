import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../../../bench/core/cli.ts';
import { judge, renderTable, TARGETS, type ScenarioResult } from '../../../bench/core/results.ts';
import { quantile, summarise } from '../../../bench/core/stats.ts';

const result = (scenario: ScenarioResult['scenario'], figures: Record<string, number>): ScenarioResult => ({
  scenario,
  figures: Object.fromEntries(Object.entries(figures).map(([k, value]) => [k, { label: k, value, unit: 'ms' }])),
  notes: [],
});

describe('benchmark statistics', () => {
  it('takes quantiles by nearest rank, so a p99 is a latency some sample had', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1).reverse();
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.99)).toBe(99);
    expect(quantile(samples, 1)).toBe(100);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
    expect(summarise([3, 1, 2])).toEqual({ count: 3, p50: 2, p90: 3, p99: 3, max: 3 });
  });
});

describe('targets', () => {
  it('judges each issue target by its direction, and a missing figure as not run', () => {
    const verdicts = judge([
      result('ingest', { ratio: 0.8 }),
      result('alerts', { raisedP99Ms: 50.1 }),
      result('storm', { stormS: Number.NaN }),
    ]);
    const of = (scenario: string) => verdicts.find((v) => v.target.scenario === scenario)!.verdict;
    expect(of('ingest')).toBe('met');
    expect(of('alerts')).toBe('not met');
    expect(of('storm')).toBe('not run');
    expect(of('memory')).toBe('not run');
    expect(verdicts).toHaveLength(TARGETS.length);
  });

  it('prints every figure with its target and verdict beside the judged ones', () => {
    const table = renderTable([result('alerts', { raisedP50Ms: 2.345, raisedP99Ms: 1234.5 })]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+figure\s+value\s+target\s+verdict$/);
    expect(lines[2]).toMatch(/^alerts\s+raisedP50Ms\s+2\.35 ms$/);
    expect(lines[3]).toMatch(/^alerts\s+raisedP99Ms\s+1,235 ms\s+<= 50 ms\s+not met$/);
  });
});

describe('npm run bench arguments', () => {
  it('runs every scenario by default, or the ones named, in the fixed order', () => {
    expect(parseBenchArgs([]).scenarios).toEqual(['ingest', 'alerts', 'memory', 'storm', 'reports', 'cold-start', 'planner', 'sse-connects']);
    expect(parseBenchArgs(['storm', 'ingest', '--quick'])).toMatchObject({ scenarios: ['ingest', 'storm'], quick: true, rounds: 2 });
    expect(parseBenchArgs(['--rounds', '3']).rounds).toBe(3);
  });

  it('refuses unknown scenarios and bad round counts with the reason', () => {
    expect(() => parseBenchArgs(['ingestion'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['ingestion'])).toThrow(/unknown scenario ingestion/);
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/--rounds/);
  });
});

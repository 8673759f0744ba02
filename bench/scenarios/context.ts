/** What every scenario gets from the runner. */
import type { BenchOptions } from '../core/cli.ts';
import type { ScenarioResult } from '../core/results.ts';

export interface ScenarioContext {
  options: BenchOptions;
  /** Replaces the progress line (stderr). */
  progress(text: string): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<ScenarioResult>;

export const DISTRICT = { boxes: 605, cameras: 54 } as const;
export const DISTRICT_DEVICES = DISTRICT.boxes + DISTRICT.cameras;

/**
 * BENCH_CPU_PROF=<dir>: the platform processes write V8 CPU profiles there (open them in
 * Chrome DevTools), to find where a missed target's time goes.
 */
export const platformNodeArgs = (): string[] => {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
};

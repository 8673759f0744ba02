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

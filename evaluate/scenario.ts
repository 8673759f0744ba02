export interface EvaluationOutput {
  table: string;
  json: unknown;
}

/** What `npm run evaluate -- <name>` runs: one entry per scenario in evaluate/main.ts. */
export interface EvaluationScenario {
  /** Options this scenario takes, in node:util parseArgs form (all strings). */
  options: Record<string, { type: 'string'; default: string }>;
  usage: string;
  run(values: Record<string, string>): EvaluationOutput | Promise<EvaluationOutput>;
}

/** `npm run bench -- [scenario ...] [--quick] [--rounds N]`. Pure. */
import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './results.ts';

export interface BenchOptions {
  scenarios: ScenarioName[];
  /** Shorter windows and a smaller year: a smoke run of the harness, not figures to publish. */
  quick: boolean;
  /** Alternating bare/platform rounds of the ingest benchmark. */
  rounds: number;
  help: boolean;
}

export const USAGE = `npm run bench -- [scenario ...] [--quick] [--rounds N]

scenarios: ${SCENARIOS.join(', ')} (default: all)
  --quick      short windows, 30 days of deposits instead of 365 (checks the harness; figures not comparable)
  --rounds N   ingest: alternating bare-aedes / platform rounds (default 2)
Results: a table on stdout, JSON in bench/results/.`;

export class UsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { quick: { type: 'boolean', default: false }, rounds: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const unknown = positionals.filter((p) => !(SCENARIOS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new UsageError(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const rounds = values.rounds === undefined ? 2 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new UsageError('--rounds must be an integer from 1 to 10');
  return {
    scenarios: positionals.length === 0 ? [...SCENARIOS] : SCENARIOS.filter((s) => positionals.includes(s)),
    quick: values.quick,
    rounds,
    help: values.help,
  };
}

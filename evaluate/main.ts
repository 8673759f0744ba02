/**
 * `npm run evaluate -- <scenario> [options]`: measures the platform's models on the simulated
 * district, in-process and fast, prints a table and writes the JSON result to evaluate/results/
 * (git-ignored). Scenarios: forecast and planning (docs/planning.md), sensors (docs/sensors.md), ledger
 * (docs/ledger.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { forecastScenario } from './forecast/scenario.ts';
import { ledgerScenario } from './ledger/scenario.ts';
import { planningScenario } from './planning/scenario.ts';
import { sensorsScenario } from './sensors/scenario.ts';
import type { EvaluationScenario } from './scenario.ts';

const SCENARIOS: Record<string, EvaluationScenario> = {
  forecast: forecastScenario,
  ledger: ledgerScenario,
  planning: planningScenario,
  sensors: sensorsScenario,
};

function usage(): string {
  return [
    'usage: npm run evaluate -- <scenario> [options]',
    ...Object.entries(SCENARIOS).map(([name, s]) => `  ${name}  ${s.usage}`),
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const scenario = name === undefined ? undefined : SCENARIOS[name];
  if (scenario === undefined) {
    process.stderr.write(`${name === undefined ? 'no scenario given' : `unknown scenario: ${name}`}\n${usage()}\n`);
    return 2;
  }
  let values: Record<string, string>;
  try {
    values = parseArgs({ args: rest, options: scenario.options, strict: true }).values as Record<string, string>;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage()}\n`);
    return 2;
  }
  const started = performance.now();
  const { table, json } = await scenario.run(values);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  process.stdout.write(`${table}\n(${seconds} s)\n`);
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ scenario: name, options: values, seconds, result: json }, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));

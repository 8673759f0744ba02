/**
 * `npm run bench`: runs the selected scenarios one after another (never in parallel: they
 * measure the machine), prints one table and writes the JSON results under bench/results/.
 * Not part of `npm test`. docs/benchmarks.md describes the method.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join } from 'node:path';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './core/cli.ts';
import { judge, renderTable, type ScenarioName, type ScenarioResult } from './core/results.ts';
import { ROOT } from './adapters/proc.ts';
import type { Scenario, ScenarioContext } from './scenarios/context.ts';
import { alertScenario } from './scenarios/alerts.ts';
import { coldStartScenario } from './scenarios/cold-start.ts';
import { ingestScenario } from './scenarios/ingest.ts';
import { memoryScenario } from './scenarios/memory.ts';
import { plannerScenario } from './scenarios/planner.ts';
import { reportsScenario } from './scenarios/reports.ts';
import { sseConnectsScenario } from './scenarios/sse-connects.ts';
import { stormScenario } from './scenarios/storm.ts';

const SCENARIO_RUNNERS: Record<ScenarioName, Scenario> = {
  ingest: ingestScenario,
  alerts: alertScenario,
  memory: memoryScenario,
  storm: stormScenario,
  reports: reportsScenario,
  'cold-start': coldStartScenario,
  planner: plannerScenario,
  'sse-connects': sseConnectsScenario,
};

function options(): BenchOptions {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

const opts = options();
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const progressLine = (text: string) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text.slice(0, (process.stderr.columns ?? 120) - 1)}`);
  else process.stderr.write(`${text}\n`);
};
const ctx: ScenarioContext = { options: opts, progress: progressLine };

const startedAt = new Date();
const results: ScenarioResult[] = [];
const failures: { scenario: ScenarioName; error: string }[] = [];
for (const name of opts.scenarios) {
  const t0 = performance.now();
  progressLine(`${name}: starting`);
  try {
    results.push(await SCENARIO_RUNNERS[name](ctx));
    progressLine(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } catch (error) {
    failures.push({ scenario: name, error: (error as Error).stack ?? String(error) });
    progressLine(`${name}: FAILED: ${(error as Error).message}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
}

const record = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  options: opts,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
  },
  commit: gitCommit(),
  results,
  targets: judge(results).map((j) => ({ ...j.target, value: j.value, verdict: j.verdict })),
  failures,
};
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`);

process.stdout.write(`\n${renderTable(results)}\n\n`);
for (const result of results) for (const note of result.notes) process.stdout.write(`${result.scenario}: ${note}\n`);
for (const failure of failures) process.stdout.write(`${failure.scenario}: FAILED\n${failure.error}\n`);
process.stdout.write(`\nresults: ${file}\n`);
process.exit(failures.length > 0 ? 1 : 0);

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

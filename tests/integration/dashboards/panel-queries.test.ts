/**
 * Every query of the committed dashboards, as Grafana would send it, against a real influxd
 * holding what the platform writes there: the platform runs on InfluxDB 1.x (managed retention,
 * so "raw" and "forever" exist) with a 1 s operations snapshot, and the simulator CLI replays
 * yesterday into it at ×1440 with faults 20× as frequent, so that deposits, collections (from
 * 08:00), night-time illegal dumping, faults, heartbeats and snapshots all exist within seconds.
 *
 * Each panel target and template variable query must answer without error and with at least
 * one row. $timeFilter spans the simulated data (from yesterday 00:00 local to now); panel time
 * overrides ("today", "month to date", "yesterday") are not applied, since the replayed data is
 * yesterday's: the queries are the same. Waits for data by polling, never with fixed sleeps.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS_FILE } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { hasInfluxd, type RunningInfluxd, startInfluxd } from '../../support/influxd.ts';
import { type RunningPlatform, startPlatformProcess, waitFor } from '../../support/platform-process.ts';
import { committedDashboards, interpolate, panelInterval, panelQueries, variableQueries } from './grafana-queries.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DB = 'binpulse';
const UTC_OFFSET_MIN = 480;
const SIM_START = localDayStart(localDay(Date.now(), UTC_OFFSET_MIN), UTC_OFFSET_MIN) - DAY_MS;

let influx: RunningInfluxd | undefined;
let platform: RunningPlatform | undefined;
let simulator: ChildProcess | undefined;
let simulatorOutput = '';

function startSimulator(running: RunningPlatform): ChildProcess {
  const args = [
    '--import', 'tsx', 'simulators/main.ts',
    '--url', `mqtt://127.0.0.1:${running.mqttPort}`,
    '--credentials', join(running.dataDir, DEMO_CREDENTIALS_FILE),
    '--speed', '1440',
    '--start', new Date(SIM_START).toISOString(),
    '--duration', '24h',
    '--fault-rate', '20',
    '--quiet',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (simulatorOutput += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (simulatorOutput += chunk.toString()));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

interface Answer {
  rows: number;
  /** The values of the first column after time (variable queries: the tag values). */
  values: string[];
  error?: string;
}

async function influxQuery(statement: string): Promise<Answer> {
  const res = await fetch(`${influx!.url}/query?${new URLSearchParams({ db: DB, epoch: 'ms' })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q: statement }).toString(),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  if (!res.ok) return { rows: 0, values: [], error: `HTTP ${res.status}: ${text.slice(0, 300)}` };
  const body = JSON.parse(text) as {
    error?: string;
    results?: { error?: string; series?: { columns: string[]; values: unknown[][] }[] }[];
  };
  const result = body.results?.[0];
  const error = body.error ?? result?.error;
  if (error) return { rows: 0, values: [], error };
  const series = result?.series ?? [];
  return {
    rows: series.reduce((n, s) => n + s.values.length, 0),
    values: series.flatMap((s) => s.values.map((row) => String(row[s.columns[0] === 'key' ? 1 : 0]))),
  };
}

interface Outcome {
  where: string;
  sent: string;
  answer: Answer;
}

/** Runs every variable query, then every panel target with the variables at All, as Grafana would. */
async function runEveryQuery(): Promise<Outcome[]> {
  const to = Date.now();
  const outcomes: Outcome[] = [];
  for (const dashboard of committedDashboards()) {
    const variables: Record<string, string[]> = {};
    for (const variable of variableQueries(dashboard)) {
      const answer = await influxQuery(variable.query);
      variables[variable.name] = answer.values;
      outcomes.push({ where: `${dashboard.uid} / variable $${variable.name}`, sent: variable.query, answer });
    }
    if (Object.values(variables).some((values) => values.length === 0)) continue; // nothing to substitute yet
    for (const target of panelQueries(dashboard)) {
      const sent = interpolate(target.query, { from: SIM_START, to, interval: panelInterval(SIM_START, to, target), variables });
      outcomes.push({ where: `${target.dashboard} / "${target.panel}" ${target.refId}`, sent, answer: await influxQuery(sent) });
    }
  }
  return outcomes;
}

const failing = (outcomes: Outcome[]) => outcomes.filter((o) => o.answer.error !== undefined || o.answer.rows === 0);
const expectedQueries = () => committedDashboards().reduce((n, d) => n + panelQueries(d).length + variableQueries(d).length, 0);

describe.skipIf(!hasInfluxd)('dashboard queries against a real InfluxDB fed by the platform', () => {
  beforeAll(async () => {
    influx = await startInfluxd();
    platform = await startPlatformProcess({
      INFLUX_URL: influx.url,
      INFLUX_API: 'v1',
      INFLUX_DB: DB,
      OPS_SNAPSHOT_SECONDS: '1',
      SIMULATOR: 'off',
    });
    simulator = startSimulator(platform);
  }, 90_000);

  afterAll(async () => {
    if (simulator) await stopChild(simulator);
    if (platform) {
      await platform.stop();
      platform.cleanUp();
    }
    await influx?.stop();
  }, 60_000);

  it('answers every panel target and template variable query with rows', async () => {
    // Poll until every query has rows or an error (which waiting will not mend), then report both.
    const settled = async (): Promise<Outcome[] | undefined> => {
      const outcomes = await runEveryQuery();
      const done = outcomes.every((o) => o.answer.error !== undefined || o.answer.rows > 0);
      if (done && outcomes.length === expectedQueries()) return outcomes;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return undefined;
    };
    const outcomes = await waitFor(settled, 100_000, 'a row for every dashboard query').catch(() => runEveryQuery());

    const problems = failing(outcomes).map((o) => `${o.where}: ${o.answer.error ?? 'no rows'}\n    ${o.sent}`);
    const context = `\n${problems.join('\n')}\n--- simulator:\n${simulatorOutput.slice(-2000)}\n--- platform:\n${platform!.output().slice(-3000)}`;
    expect(problems, context).toEqual([]);
    expect(outcomes.length, 'every query of every committed dashboard was run').toBe(expectedQueries());
  }, 150_000);
});

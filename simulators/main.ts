/**
 * The simulated district fleet, as a CLI (`npm run simulate -- --speed 60`) and as a function
 * the platform or a test can call in-process (runSimulation).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS_FILE } from '../shared/contracts/index.ts';
import { CredentialsError, loadFleetCredentials } from './adapters/credentials.ts';
import { runSimulation } from './adapters/runner.ts';
import { parseDuration } from './core/clock.ts';
import type { CollectionPolicy } from './core/context.ts';

export { runSimulation } from './adapters/runner.ts';
export type { FleetMember, SimulationHandle, SimulationOptions } from './adapters/runner.ts';
export type { SimulationStats } from './adapters/status-line.ts';

const USAGE = `Usage: npm run simulate -- [options]

  --url URL            broker (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --credentials FILE   fleet credentials JSON (default $DATA_DIR/demo-credentials.json, DATA_DIR=./data)
  --speed N            simulated seconds per real second (default 1); never runs ahead of the real clock
  --seed TEXT          random seed (default tianning)
  --boxes N            simulate only the first N boxes
  --cameras N          simulate only the first N cameras
  --start ISO          simulated start (default: now at speed 1, else 00:00 yesterday, UTC+8)
  --duration D         stop after this much simulated time, e.g. 24h, 90m
  --history-from ISO   with --history-until: the platform wrote the fleet's history over this
  --history-until ISO    span; replay it silently and go live from its end (instead of --start)
  --utc-offset MIN     district time, minutes east of UTC (default 480: UTC+8)
  --collection WHO     who empties the boxes: fixed (default; the collectors' fixed rounds) or
                       plan (the credentials' vehicles follow the platform's plans)
  --deposit-rate X     multiply deposit rates (default 1)
  --fault-rate X       multiply fault rates (default 1)
  --anomaly-rate X     multiply the rates of the anomalies injected after the box (light and
                       missing weigh-ins, drifting scales; default 1, 0: none)
  --sensor-fault-rate X  multiply the fill-sensor fault rates (stuck, jump, drift; default 0:
                       none, 1: ~2.5 a day over the demo fleet)
  --quiet              no status line
  --help`;

class UsageError extends Error {}

type NumberKind = 'positive' | 'zeroOrMore' | 'count';

function numberOption(name: string, text: string | undefined, kind: NumberKind = 'positive'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    (kind === 'positive' ? value > 0 : value >= 0) &&
    (kind !== 'count' || Number.isInteger(value));
  const wanted = { positive: 'a positive number', zeroOrMore: 'a number >= 0', count: 'a whole number >= 0' }[kind];
  if (!ok) throw new UsageError(`--${name} must be ${wanted}, got ${JSON.stringify(text)}`);
  return value;
}

const isCollectionPolicy = (value: string): value is CollectionPolicy => value === 'fixed' || value === 'plan';

function historySpan(from: string | undefined, until: string | undefined): { fromMs: number; untilMs: number } | undefined {
  if (from === undefined && until === undefined) return undefined;
  const fromMs = from === undefined ? NaN : Date.parse(from);
  const untilMs = until === undefined ? NaN : Date.parse(until);
  if (Number.isNaN(fromMs) || Number.isNaN(untilMs) || fromMs >= untilMs) {
    throw new UsageError('--history-from and --history-until must both be ISO date-times, from before until');
  }
  return { fromMs, untilMs };
}

export function parseCli(argv: string[], env: Record<string, string | undefined>) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string' },
      credentials: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      boxes: { type: 'string' },
      cameras: { type: 'string' },
      start: { type: 'string' },
      duration: { type: 'string' },
      'history-from': { type: 'string' },
      'history-until': { type: 'string' },
      'utc-offset': { type: 'string' },
      'deposit-rate': { type: 'string' },
      'fault-rate': { type: 'string' },
      'anomaly-rate': { type: 'string' },
      'sensor-fault-rate': { type: 'string' },
      collection: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  let startMs: number | undefined;
  if (values.start !== undefined) {
    startMs = Date.parse(values.start);
    if (Number.isNaN(startMs)) throw new UsageError(`--start must be an ISO date-time, got ${JSON.stringify(values.start)}`);
  }
  const history = historySpan(values['history-from'], values['history-until']);
  if (history && startMs !== undefined) throw new UsageError('--start and --history-from/--history-until exclude each other');
  const utcOffset = values['utc-offset'] === undefined ? undefined : Number(values['utc-offset']);
  if (utcOffset !== undefined && !(Number.isInteger(utcOffset) && utcOffset >= -720 && utcOffset <= 840)) {
    throw new UsageError(`--utc-offset must be whole minutes from -720 to 840, got ${JSON.stringify(values['utc-offset'])}`);
  }
  let durationMs: number | undefined;
  try {
    durationMs = values.duration === undefined ? undefined : parseDuration(values.duration);
  } catch (error) {
    throw new UsageError(`--duration: ${(error as Error).message}`);
  }
  const collection = values.collection ?? 'fixed';
  if (!isCollectionPolicy(collection)) throw new UsageError(`--collection must be fixed or plan, got ${JSON.stringify(collection)}`);
  const speed = numberOption('speed', values.speed) ?? 1;
  if (speed > 100_000) throw new UsageError('--speed must be at most 100000');
  return {
    help: values.help,
    url: values.url ?? (env.MQTT_URL || 'mqtt://127.0.0.1:1883'),
    credentialsPath: values.credentials ?? join(env.DATA_DIR || './data', DEMO_CREDENTIALS_FILE),
    speed,
    seed: values.seed || 'tianning',
    boxes: numberOption('boxes', values.boxes, 'count'),
    cameras: numberOption('cameras', values.cameras, 'count'),
    startMs,
    history,
    utcOffsetMinutes: utcOffset,
    durationMs,
    depositRate: numberOption('deposit-rate', values['deposit-rate'], 'zeroOrMore'),
    faultRate: numberOption('fault-rate', values['fault-rate'], 'zeroOrMore'),
    anomalyRate: numberOption('anomaly-rate', values['anomaly-rate'], 'zeroOrMore'),
    sensorFaultRate: numberOption('sensor-fault-rate', values['sensor-fault-rate'], 'zeroOrMore'),
    collection,
    quiet: values.quiet,
  };
}

async function main(): Promise<number> {
  let cli: ReturnType<typeof parseCli>;
  try {
    cli = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let credentials;
  try {
    credentials = await loadFleetCredentials(cli.credentialsPath);
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const { credentialsPath: _path, help: _help, ...options } = cli;
  const sim = await runSimulation({ ...options, devices: credentials.devices, vehicles: credentials.vehicles ?? [], sites: credentials.sites ?? [] });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl-C means "now": skip the goodbyes.
    if (++signals > 1) process.exit(130);
    process.stderr.write(`[sim] ${signal}: saying offline and disconnecting\n`);
    void sim.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await sim.finished;
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`[sim] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}

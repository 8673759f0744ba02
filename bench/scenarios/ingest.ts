/**
 * 1. Ingest throughput: the district's 659 devices publish their own traffic (QoS 1, a window
 * of publishes in flight per connection) as fast as the broker acknowledges, against
 * (a) bare aedes with a no-op subscriber and (b) the full platform (journal before PUBACK,
 * validation, enrichment, alerts, SQLite store). Rounds alternate a, b, a, b… in one run.
 *
 * b is the rate the platform *processes*: PUBACKs in the window minus what the journal backlog
 * grew by, so acknowledging fast while the consumers fall behind does not count.
 */
import { startPlatformProcess } from '../../tests/support/platform-process.ts';
import { median, round } from '../core/stats.ts';
import { Loadgen } from '../adapters/loadgen.ts';
import { prepareFleet } from '../adapters/fleet.ts';
import { journalBacklog } from '../adapters/platform-metrics.ts';
import { cpuMeter, sleep, startBareBroker } from '../adapters/proc.ts';
import { DISTRICT, DISTRICT_DEVICES, type Scenario, type ScenarioContext, platformNodeArgs } from './context.ts';

const WINDOW_PER_CONNECTION = 4;
const TRAFFIC_DAYS = 3;

interface RoundFigures {
  ackRate: number;
  processedRate: number;
  generatorCpu: number;
  targetCpu: number;
}

export const ingestScenario: Scenario = async (ctx) => {
  const timing = ctx.options.quick ? { warmupMs: 2000, measureMs: 5000 } : { warmupMs: 5000, measureMs: 20_000 };
  const bare: RoundFigures[] = [];
  const platform: RoundFigures[] = [];
  for (let round = 1; round <= ctx.options.rounds; round++) {
    const label = `round ${round}/${ctx.options.rounds}`;
    bare.push(await measureBare(ctx, timing, label));
    platform.push(await measurePlatform(ctx, timing, label));
  }
  const a = median(bare.map((r) => r.ackRate));
  const b = median(platform.map((r) => r.processedRate));
  return {
    scenario: 'ingest',
    figures: {
      bareRate: { label: '(a) bare aedes, QoS 1 acknowledged', value: round(a, 0), unit: 'msg/s' },
      platformAckRate: { label: '(b) platform, QoS 1 acknowledged', value: round(median(platform.map((r) => r.ackRate)), 0), unit: 'msg/s' },
      platformRate: { label: '(b) platform, processed (stored)', value: round(b, 0), unit: 'msg/s' },
      ratio: { label: 'b / a', value: round(b / a, 2), unit: '' },
      bareCpu: { label: 'bare aedes process CPU', value: round(median(bare.map((r) => r.targetCpu)) * 100, 0), unit: '% of a core' },
      platformCpu: { label: 'platform process CPU', value: round(median(platform.map((r) => r.targetCpu)) * 100, 0), unit: '% of a core' },
      generatorCpu: {
        label: 'load generator CPU (max of runs)',
        value: round(Math.max(...[...bare, ...platform].map((r) => r.generatorCpu)) * 100, 0),
        unit: '% of a core',
      },
    },
    notes: [
      `rounds (a, b): ${bare.map((r, i) => `${round(r.ackRate, 0)}/${round(platform[i]!.processedRate, 0)}`).join(', ')} msg/s`,
      `${DISTRICT_DEVICES} connections, ${WINDOW_PER_CONNECTION} publishes in flight each, ${timing.measureMs / 1000} s measured after ${timing.warmupMs / 1000} s warm-up`,
    ],
  };
};

async function measureBare(ctx: ScenarioContext, timing: { warmupMs: number; measureMs: number }, label: string): Promise<RoundFigures> {
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  const broker = await startBareBroker();
  const loadgen = await Loadgen.start({ host: '127.0.0.1', port: broker.port, credentialsPath: fleet.credentialsPath, from: 0, to: DISTRICT_DEVICES, auth: false });
  try {
    ctx.progress(`ingest ${label}: (a) bare aedes, connecting`);
    await loadgen.request({ type: 'connect', storm: false }, 'connected');
    await loadgen.request({ type: 'plan', days: TRAFFIC_DAYS }, 'planned');
    const run = runMax(ctx, loadgen, timing, `ingest ${label}: (a) bare aedes`);
    const cpu = cpuMeter(broker.pid);
    await sleep(timing.warmupMs);
    cpu.start();
    await sleep(timing.measureMs);
    const targetCpu = cpu.stop();
    const ran = await run;
    return { ackRate: rate(ran), processedRate: rate(ran), generatorCpu: ran.cpuShare, targetCpu };
  } finally {
    await loadgen.stop();
    await broker.stop();
    fleet.cleanUp();
  }
}

/**
 * Every device here publishes as fast as the platform acknowledges, hundreds of times the 5/s a
 * real device may (DEVICE_PUBLISH_RATE): lifted so the run measures ingest, as before the limit.
 */
const UNLIMITED_DEVICES = { SIMULATOR: 'off', DEVICE_PUBLISH_RATE: '10000', DEVICE_PUBLISH_BURST: '100000' };

async function measurePlatform(ctx: ScenarioContext, timing: { warmupMs: number; measureMs: number }, label: string): Promise<RoundFigures> {
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  const platform = await startPlatformProcess(UNLIMITED_DEVICES, { dataDir: fleet.dataDir, nodeArgs: platformNodeArgs() });
  const loadgen = await Loadgen.start({ host: '127.0.0.1', port: platform.mqttPort, credentialsPath: fleet.credentialsPath, from: 0, to: DISTRICT_DEVICES, auth: true });
  try {
    ctx.progress(`ingest ${label}: (b) platform, connecting`);
    await loadgen.request({ type: 'connect', storm: false }, 'connected');
    await loadgen.request({ type: 'plan', days: TRAFFIC_DAYS }, 'planned');
    const run = runMax(ctx, loadgen, timing, `ingest ${label}: (b) platform`);
    const cpu = cpuMeter(platform.child.pid!);
    await sleep(timing.warmupMs);
    const backlogBefore = await journalBacklog(platform.baseUrl);
    cpu.start();
    await sleep(timing.measureMs);
    const targetCpu = cpu.stop();
    const backlogAfter = await journalBacklog(platform.baseUrl);
    const ran = await run;
    const processed = ran.measuredAcked - Math.max(0, backlogAfter - backlogBefore);
    ctx.progress(`ingest ${label}: (b) platform, draining the journal (${backlogAfter} behind)`);
    while ((await journalBacklog(platform.baseUrl)) > 0) await sleep(200);
    return { ackRate: rate(ran), processedRate: (processed / ran.measuredMs) * 1000, generatorCpu: ran.cpuShare, targetCpu };
  } finally {
    await loadgen.stop();
    await platform.stop();
    platform.cleanUp();
  }
}

const rate = (ran: { measuredAcked: number; measuredMs: number }) => (ran.measuredAcked / ran.measuredMs) * 1000;

async function runMax(ctx: ScenarioContext, loadgen: Loadgen, timing: { warmupMs: number; measureMs: number }, label: string) {
  const started = performance.now();
  const ticker = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    ctx.progress(`${label}: ${s.toFixed(0)} s, ${loadgen.progress.acked.toLocaleString('en-US')} acknowledged`);
  }, 1000);
  try {
    return await loadgen.request({ type: 'run', mode: 'max', window: WINDOW_PER_CONNECTION, ...timing }, 'ran');
  } finally {
    clearInterval(ticker);
  }
}

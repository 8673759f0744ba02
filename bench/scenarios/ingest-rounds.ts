/**
 * One round of the ingest benchmark per system, each on fresh processes and the same load: the
 * district's devices replaying their own traffic, QoS 1, WINDOW_PER_CONNECTION publishes in
 * flight each, as fast as the broker acknowledges.
 */
import { startPlatformProcess } from '../../tests/support/platform-process.ts';
import { POINT_COUNT_FIELD } from '../core/node-red-flow.ts';
import { Loadgen } from '../adapters/loadgen.ts';
import { prepareFleet } from '../adapters/fleet.ts';
import { countPoints, createDatabase } from '../adapters/influx-count.ts';
import { startNodeRed } from '../adapters/node-red.ts';
import { journalBacklog } from '../adapters/platform-metrics.ts';
import { childPidByCommand, cpuMeter, sleep, startBareBroker } from '../adapters/proc.ts';
import { DISTRICT, DISTRICT_DEVICES, type ScenarioContext, platformNodeArgs } from './context.ts';

export const WINDOW_PER_CONNECTION = 4;
const TRAFFIC_DAYS = 3;
export const INFLUXD_BIN = process.env.INFLUXD_BIN ?? '/usr/bin/influxd';

export interface Timing {
  warmupMs: number;
  measureMs: number;
}

export interface RoundFigures {
  /** PUBACKs per second in the window. */
  ackRate: number;
  /** Messages per second that reached the store in the window (bare aedes: = ackRate). */
  storedRate: number;
  generatorCpu: number;
  /** Share of a core of the system's own process: the broker, the platform, Node-RED. */
  targetCpu: number;
  /** The broker's process when it is not the target (Node-RED's aedes). */
  brokerCpu?: number;
  influxdCpu?: number;
  /** Node-RED: every PUBACK of the run, and the points in influxd once its writes settled. */
  ackedTotal?: number;
  storedTotal?: number;
  /** Node-RED: the lines it logged as [error] (a refused InfluxDB write, a dropped connection). */
  errors?: string[];
}

export async function measureBare(ctx: ScenarioContext, timing: Timing, label: string): Promise<RoundFigures> {
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  const broker = await startBareBroker();
  const loadgen = await Loadgen.start({ host: '127.0.0.1', port: broker.port, credentialsPath: fleet.credentialsPath, from: 0, to: DISTRICT_DEVICES, auth: false });
  try {
    const { run } = await startLoad(ctx, loadgen, timing, `ingest ${label}: (a) bare aedes`);
    const cpu = cpuMeter(broker.pid);
    await sleep(timing.warmupMs);
    cpu.start();
    await sleep(timing.measureMs);
    const targetCpu = cpu.stop();
    const ran = await run;
    return { ackRate: rate(ran), storedRate: rate(ran), generatorCpu: ran.cpuShare, targetCpu };
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

/**
 * The platform as `npm start` runs it, on the embedded SQLite store or on a real influxd. Stored
 * = PUBACKs in the window minus what the largest journal backlog (of the store and live-path
 * consumers) grew by in it: a consumer commits its place only once its batch is handled (the
 * store has it), so acknowledging into a growing backlog does not count.
 */
export async function measurePlatform(ctx: ScenarioContext, timing: Timing, label: string, store: 'sqlite' | 'influx'): Promise<RoundFigures> {
  const name = store === 'sqlite' ? '(b) platform, SQLite' : '(c) platform, InfluxDB';
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  let influxd: Influxd | null = null;
  try {
    influxd = store === 'influx' ? await startInfluxd() : null;
    const env = influxd ? { ...UNLIMITED_DEVICES, INFLUX_URL: influxd.url, INFLUX_API: 'v1', INFLUX_DB: 'binpulse' } : UNLIMITED_DEVICES;
    const platform = await startPlatformProcess(env, { dataDir: fleet.dataDir, nodeArgs: platformNodeArgs() });
    const loadgen = await Loadgen.start({ host: '127.0.0.1', port: platform.mqttPort, credentialsPath: fleet.credentialsPath, from: 0, to: DISTRICT_DEVICES, auth: true });
    try {
      const { run } = await startLoad(ctx, loadgen, timing, `ingest ${label}: ${name}`);
      const cpu = cpuMeter(platform.child.pid!, { tree: true });
      const influxdCpu = influxd ? cpuMeter(influxd.pid) : null;
      await sleep(timing.warmupMs);
      const backlogBefore = await journalBacklog(platform.baseUrl);
      cpu.start();
      influxdCpu?.start();
      await sleep(timing.measureMs);
      const targetCpu = cpu.stop();
      const influxdShare = influxdCpu?.stop();
      const backlogAfter = await journalBacklog(platform.baseUrl);
      const ran = await run;
      const stored = ran.measuredAcked - Math.max(0, backlogAfter - backlogBefore);
      ctx.progress(`ingest ${label}: ${name}, draining the journal (${backlogAfter} behind)`);
      while ((await journalBacklog(platform.baseUrl)) > 0) await sleep(200);
      return {
        ackRate: rate(ran),
        storedRate: (stored / ran.measuredMs) * 1000,
        generatorCpu: ran.cpuShare,
        targetCpu,
        ...(influxdShare === undefined ? {} : { influxdCpu: influxdShare }),
      };
    } finally {
      await loadgen.stop();
      await platform.stop();
    }
  } finally {
    await influxd?.stop();
    fleet.cleanUp();
  }
}

const NODE_RED_DB = 'nodered';

/**
 * (d) Node-RED's flow on bare aedes (the broker of round a) writing to a real influxd. Stored =
 * the points influxd gained in the window (counted there, one per message); after the run the
 * count is read again once Node-RED's writes have settled, against every PUBACK the devices got.
 */
export async function measureNodeRed(ctx: ScenarioContext, timing: Timing, label: string): Promise<RoundFigures> {
  const name = '(d) Node-RED flow';
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  let influxd: Influxd | null = null;
  try {
    influxd = await startInfluxd();
    const influxUrl = influxd.url;
    const influxdPid = influxd.pid;
    await createDatabase(influxd.url, NODE_RED_DB);
    const broker = await startBareBroker();
    try {
      const red = await startNodeRed({ brokerPort: broker.port, influxPort: Number(new URL(influxUrl).port), database: NODE_RED_DB });
      const loadgen = await Loadgen.start({ host: '127.0.0.1', port: broker.port, credentialsPath: fleet.credentialsPath, from: 0, to: DISTRICT_DEVICES, auth: false });
      try {
        const stored = () => countPoints(influxUrl, NODE_RED_DB, POINT_COUNT_FIELD);
        const { run } = await startLoad(ctx, loadgen, timing, `ingest ${label}: ${name}`);
        const meters = { red: cpuMeter(red.pid), broker: cpuMeter(broker.pid), influxd: cpuMeter(influxdPid) };
        await sleep(timing.warmupMs);
        const storedBefore = await stored();
        const t0 = performance.now();
        for (const m of Object.values(meters)) m.start();
        await sleep(timing.measureMs);
        const [targetCpu, brokerCpu, influxdCpu] = [meters.red.stop(), meters.broker.stop(), meters.influxd.stop()];
        const storedAfter = await stored();
        const windowMs = performance.now() - t0;
        const ran = await run;
        ctx.progress(`ingest ${label}: ${name}, waiting for its writes to settle`);
        const storedTotal = await settled(stored);
        return {
          ackRate: rate(ran),
          storedRate: ((storedAfter - storedBefore) / windowMs) * 1000,
          generatorCpu: ran.cpuShare,
          targetCpu,
          brokerCpu,
          influxdCpu,
          ackedTotal: ran.acked,
          storedTotal,
          errors: red.output().split('\n').filter((line) => line.includes('[error]')),
        };
      } finally {
        await loadgen.stop();
        await red.stop();
      }
    } finally {
      await broker.stop();
    }
  } finally {
    await influxd?.stop();
    fleet.cleanUp();
  }
}

/** The count once it has not moved for 3 s (at most a minute). */
async function settled(count: () => Promise<number>): Promise<number> {
  let last = await count();
  let stillSince = performance.now();
  const deadline = performance.now() + 60_000;
  while (performance.now() - stillSince < 3000 && performance.now() < deadline) {
    await sleep(500);
    const now = await count();
    if (now !== last) [last, stillSince] = [now, performance.now()];
  }
  return last;
}

interface Influxd {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** A real influxd (tests/support/influxd.ts) and its pid, for its CPU. */
async function startInfluxd(): Promise<Influxd> {
  // Imported here: the module warns at import time when influxd is missing.
  const { startInfluxd: start } = await import('../../tests/support/influxd.ts');
  const influxd = await start();
  const pid = childPidByCommand('influxd');
  if (pid === null) {
    await influxd.stop();
    throw new Error('influxd started but its process was not found under /proc');
  }
  return { url: influxd.url, pid, stop: influxd.stop };
}

const rate = (ran: { measuredAcked: number; measuredMs: number }) => (ran.measuredAcked / ran.measuredMs) * 1000;

/** Connects the devices, plans their traffic and starts publishing; `run` settles when it ends. */
async function startLoad(ctx: ScenarioContext, loadgen: Loadgen, timing: Timing, label: string) {
  ctx.progress(`${label}, connecting`);
  await loadgen.request({ type: 'connect', storm: false }, 'connected');
  await loadgen.request({ type: 'plan', days: TRAFFIC_DAYS }, 'planned');
  const started = performance.now();
  const ticker = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    ctx.progress(`${label}: ${s.toFixed(0)} s, ${loadgen.progress.acked.toLocaleString('en-US')} acknowledged`);
  }, 1000);
  const run = loadgen.request({ type: 'run', mode: 'max', window: WINDOW_PER_CONNECTION, ...timing }, 'ran');
  // Wrapped: an async function returning the promise itself would wait for the whole run.
  return { run: run.finally(() => clearInterval(ticker)) };
}

/**
 * A load generator process: holds many device connections and publishes the district's
 * traffic over them, driven by a benchmark over IPC (bench/core/loadgen-protocol.ts). A
 * separate process, so the broker under test and the generator each have a core.
 */
import { createHash } from 'node:crypto';
import { EXAMPLE_PAYLOADS } from '../../shared/contracts/examples.ts';
import { deviceTopic, type Device } from '../../shared/contracts/index.ts';
import { DAY_MS, localDayStart, toLocalIso } from '../../shared/units.ts';
import { readCredentialsFile } from '../../services/fleet/adapters/credentials-file.ts';
import { districtTraffic, payloadOnPass, type PlannedMessage } from '../core/district-traffic.ts';
import type { LoadgenCommand, LoadgenInit, LoadgenReply } from '../core/loadgen-protocol.ts';
import { encodeTopic } from '../core/mqtt-wire.ts';
import { WireDevice } from './wire-device.ts';

const UTC_OFFSET_MIN = 480;
const reply = (message: LoadgenReply) => process.send!(message);

interface Connection {
  device: Device;
  wire: WireDevice;
  plan: { topic: Buffer; message: PlannedMessage; first: Buffer }[];
  cursor: number;
}

let init: LoadgenInit;
let connections: Connection[] = [];
let sent = 0;
let acked = 0;
let stopRequested = false;

process.on('message', (command: LoadgenCommand) => {
  handle(command).catch((error: unknown) => reply({ type: 'failed', message: (error as Error).stack ?? String(error) }));
});
process.on('disconnect', () => process.exit(0));
// Devices ping within their 60 s keepalive; idle benchmark connections must too.
setInterval(() => {
  for (const c of connections) c.wire.ping();
}, 30_000).unref();

async function handle(command: LoadgenCommand): Promise<void> {
  switch (command.type) {
    case 'init':
      return start(command);
    case 'connect':
      reply({ type: 'connected', ...(await connectAll(command.storm, command.concurrency ?? 200)) });
      return;
    case 'plan':
      reply({ type: 'planned', messages: planTraffic(command.days) });
      return;
    case 'run':
      reply(command.mode === 'max' ? await runMax(command) : await runPaced(command));
      return;
    case 'stop':
      stopRequested = true;
      return;
    case 'publish-once':
      reply({ type: 'published-once', acked: await publishOnce() });
      return;
    case 'close':
      for (const c of connections) c.wire.close();
      await new Promise((r) => setTimeout(r, 200));
      reply({ type: 'closed' });
      return;
  }
}

function start(command: LoadgenInit): void {
  init = command;
  const devices = readCredentialsFile(command.credentialsPath).devices.slice(command.from, command.to);
  connections = devices.map(({ device, secret }) => {
    const statusTopic = deviceTopic(device.id, 'status');
    const wire = new WireDevice(
      { host: command.host, port: command.port },
      {
        clientId: device.id,
        ...(command.auth ? { username: device.id, password: secret } : {}),
        keepaliveS: 60,
        will: { topic: statusTopic, payload: Buffer.from(JSON.stringify({ state: 'offline', ts: toLocalIso(Date.now(), UTC_OFFSET_MIN) })), retain: true },
      },
    );
    wire.onAck = () => void acked++;
    return { device, wire, plan: [], cursor: 0 };
  });
  reply({ type: 'ready', devices: connections.length });
}

/** Connects every device; a refused or reset connect is retried after 0.5–1.5 s, as firmware does. */
async function connectAll(storm: boolean, concurrency: number) {
  const startedAt = performance.now();
  let accepted = 0;
  let refused = 0;
  let attempts = 0;
  const connectOne = async (c: Connection) => {
    for (;;) {
      attempts++;
      try {
        const code = await c.wire.connect(60_000);
        if (code === 0) accepted++;
        else refused++;
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      }
    }
  };
  if (storm) await Promise.all(connections.map(connectOne));
  else {
    let next = 0;
    const worker = async () => {
      while (next < connections.length) await connectOne(connections[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, connections.length) }, worker));
  }
  return { elapsedMs: performance.now() - startedAt, accepted, refused, attempts };
}

/** The devices' own traffic over `days` simulated days ending at last local midnight. */
function planTraffic(days: number): number {
  const today = localDayStart(toLocalIso(Date.now(), UTC_OFFSET_MIN).slice(0, 10), UTC_OFFSET_MIN);
  const traffic = districtTraffic({
    seed: 'bench',
    devices: connections.map((c) => c.device),
    startMs: today - days * DAY_MS,
    days,
    hashResident: (text) => createHash('sha256').update(text).digest('hex'),
    utcOffsetMinutes: UTC_OFFSET_MIN,
  });
  const topics = new Map<string, Buffer>();
  for (const c of connections) {
    c.plan = (traffic.get(c.device.id) ?? []).map((message) => {
      let topic = topics.get(message.topic);
      if (!topic) topics.set(message.topic, (topic = encodeTopic(message.topic)));
      return { topic, message, first: Buffer.from(message.json) };
    });
  }
  return connections.reduce((n, c) => n + c.plan.length, 0);
}

/** The connection's next planned message; after the plan's end, again with new event ids. */
function sendNext(c: Connection): boolean {
  if (c.plan.length === 0) return false;
  const pass = Math.floor(c.cursor / c.plan.length);
  const step = c.plan[c.cursor % c.plan.length]!;
  c.cursor++;
  const payload = pass === 0 ? step.first : Buffer.from(payloadOnPass(step.message, pass));
  if (!c.wire.publish(step.topic, payload)) return false;
  sent++;
  return true;
}

async function runMax(command: Extract<LoadgenCommand, { type: 'run'; mode: 'max' }>): Promise<LoadgenReply> {
  let publishing = true;
  for (const c of connections) {
    c.wire.onAck = () => {
      acked++;
      if (publishing) sendNext(c);
    };
    c.wire.corked(() => {
      for (let i = 0; i < command.window; i++) sendNext(c);
    });
  }
  const progress = setInterval(() => reply({ type: 'progress', sent, acked }), 1000);
  await sleep(command.warmupMs);
  const ackedBefore = acked;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  await sleep(command.measureMs);
  const measuredMs = performance.now() - t0;
  const measuredAcked = acked - ackedBefore;
  const cpu = process.cpuUsage(cpuBefore);
  publishing = false;
  await allAcknowledged();
  clearInterval(progress);
  return ran(measuredAcked, measuredMs, cpu, connections);
}

/** ratePerS spread evenly in time and round-robin over the connections that have traffic. */
async function runPaced(command: Extract<LoadgenCommand, { type: 'run'; mode: 'paced' }>): Promise<LoadgenReply> {
  const active = connections.filter((c) => c.plan.length > 0);
  for (const c of connections) c.wire.onAck = () => void acked++;
  const progress = setInterval(() => reply({ type: 'progress', sent, acked }), 1000);
  const cpuBefore = process.cpuUsage();
  const ackedBefore = acked;
  const t0 = performance.now();
  let due = 0;
  let next = 0;
  stopRequested = false;
  while (!stopRequested && performance.now() - t0 < command.durationMs) {
    const target = Math.floor(((performance.now() - t0) / 1000) * command.ratePerS);
    for (; due < target; due++) sendNext(active[next++ % active.length]!);
    await sleep(5);
  }
  const measuredMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  const measuredAcked = acked - ackedBefore;
  await allAcknowledged();
  clearInterval(progress);
  return ran(measuredAcked, measuredMs, cpu, active);
}

function ran(measuredAcked: number, measuredMs: number, cpu: NodeJS.CpuUsage, planned: readonly Connection[]): LoadgenReply {
  return {
    type: 'ran',
    sent,
    acked,
    measuredAcked,
    measuredMs,
    cpuShare: (cpu.user + cpu.system) / 1000 / measuredMs,
    messagesPlanned: planned.reduce((n, c) => n + c.plan.length, 0),
  };
}

async function publishOnce(): Promise<number> {
  const before = acked;
  const now = Date.now();
  const ts = toLocalIso(now, UTC_OFFSET_MIN);
  for (const c of connections) {
    const status = { state: 'online', ts, firmware: 'bench' };
    const reading =
      c.device.kind === 'box'
        ? { ...EXAMPLE_PAYLOADS.telemetry, ts, compartments: c.device.compartments.map((spec) => ({ category: spec.category, fillingLevel: 0.3, weightKg: spec.capacityKg * 0.3 })) }
        : { ...EXAMPLE_PAYLOADS.heartbeat, ts };
    c.wire.corked(() => {
      c.wire.publish(encodeTopic(deviceTopic(c.device.id, 'status')), Buffer.from(JSON.stringify(status)));
      c.wire.publish(encodeTopic(deviceTopic(c.device.id, c.device.kind === 'box' ? 'telemetry' : 'heartbeat')), Buffer.from(JSON.stringify(reading)));
    });
  }
  await allAcknowledged();
  return acked - before;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every publish still in flight acknowledged (or its connection gone). */
const allAcknowledged = () => waitUntil(() => connections.every((c) => c.wire.inflight === 0 || !c.wire.connected), 120_000);

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting for outstanding PUBACKs');
    await sleep(20);
  }
}

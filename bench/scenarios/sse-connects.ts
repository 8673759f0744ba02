/**
 * SSE connects (issue 15): while the district publishes at 100× its real rate, 600 alert-stream
 * clients connect at once (a crowd of dashboards reconnecting after a network blip). Measured:
 * probe devices' PUBACK latency (QoS 1 publish → PUBACK) in the seconds the crowd connects,
 * against the same probes before it. Before issue 15 each connect read, validated and
 * serialized every open alert on the event loop and the p99 went past a second.
 *
 * The open alerts are made first: RAISERS boxes report every compartment at 0.95 (bin_full).
 */
import { deviceTopic, type Device } from '../../shared/contracts/index.ts';
import { toLocalIso } from '../../shared/units.ts';
import { readCredentialsFile } from '../../services/fleet/adapters/credentials-file.ts';
import { startPlatformProcess } from '../../tests/support/platform-process.ts';
import { encodeTopic } from '../core/mqtt-wire.ts';
import { round, summarise } from '../core/stats.ts';
import { prepareFleet } from '../adapters/fleet.ts';
import { Loadgen } from '../adapters/loadgen.ts';
import { sleep } from '../adapters/proc.ts';
import { SseCrowd } from '../adapters/sse-crowd.ts';
import { WireDevice } from '../adapters/wire-device.ts';
import { districtMessageRate } from './alerts.ts';
import { DISTRICT, DISTRICT_DEVICES, type Scenario, platformNodeArgs } from './context.ts';

const CLIENTS = 600;
const PROBES = 20;
const RAISERS = 100;
/** Each probe publishes every 250 ms: 4/s, under DEVICE_PUBLISH_RATE (5/s). */
const PROBE_INTERVAL_MS = 250;
const RATE_MULTIPLIER = 100;
const UTC_OFFSET_MIN = 480;

interface Wired {
  device: Device;
  wire: WireDevice;
  topic: Buffer;
}

export const sseConnectsScenario: Scenario = async (ctx) => {
  const baselineMs = ctx.options.quick ? 3000 : 5000;
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  const credentials = readCredentialsFile(fleet.credentialsPath).devices;
  const districtRate = districtMessageRate(credentials.map((c) => c.device));
  // One token for the whole crowd: the cap per token is lifted, the snapshot path is what is measured.
  const platform = await startPlatformProcess(
    { SIMULATOR: 'off', SSE_MAX_STREAMS_PER_TOKEN: String(CLIENTS + 10) },
    { dataDir: fleet.dataDir, nodeArgs: platformNodeArgs() },
  );
  const wired = (from: number, to: number): Wired[] =>
    credentials.slice(from, to).map(({ device, secret }) => ({
      device,
      wire: new WireDevice({ host: '127.0.0.1', port: platform.mqttPort }, { clientId: device.id, username: device.id, password: secret }),
      topic: encodeTopic(deviceTopic(device.id, 'telemetry')),
    }));
  const boxes = credentials.map((c, i) => [c.device.kind, i] as const).filter(([kind]) => kind === 'box').map(([, i]) => i);
  const probes = wired(boxes[0]!, boxes[0]! + PROBES);
  const raisers = wired(boxes[0]! + PROBES, boxes[0]! + PROBES + RAISERS);
  const background = await Loadgen.start({
    host: '127.0.0.1',
    port: platform.mqttPort,
    credentialsPath: fleet.credentialsPath,
    from: boxes[0]! + PROBES + RAISERS,
    to: DISTRICT_DEVICES,
    auth: true,
  });
  const crowd = SseCrowd.start();
  let probeTimer: NodeJS.Timeout | undefined;
  try {
    ctx.progress('sse-connects: connecting the district');
    await background.request({ type: 'connect', storm: false }, 'connected');
    await background.request({ type: 'plan', days: 1 }, 'planned');
    for (const d of [...probes, ...raisers]) await d.wire.connect();
    for (const r of raisers) r.wire.publish(r.topic, reading(r.device, 0.95));
    const run = background.request({ type: 'run', mode: 'paced', ratePerS: districtRate * RATE_MULTIPLIER, durationMs: 10 * 60_000 }, 'ran');

    const latencies: Array<{ at: number; ms: number }> = [];
    for (const p of probes) p.wire.onAck = (_id, sentAt) => latencies.push({ at: sentAt, ms: performance.now() - sentAt });
    let turn = 0;
    probeTimer = setInterval(() => {
      // Spread over the interval: one probe per tick, every probe once per PROBE_INTERVAL_MS.
      const p = probes[turn++ % PROBES]!;
      if (p.wire.inflight < 4) p.wire.publish(p.topic, reading(p.device, 0.2));
    }, PROBE_INTERVAL_MS / PROBES);
    ctx.progress('sse-connects: warming up');
    await sleep(3000);
    const baselineFrom = performance.now();
    ctx.progress('sse-connects: baseline');
    await sleep(baselineMs);
    const crowdFrom = performance.now();
    ctx.progress(`sse-connects: ${CLIENTS} alert streams connecting at once`);
    const opened = await crowd.open(`${platform.baseUrl}/api/v1/alerts/stream`, platform.adminToken, CLIENTS);
    // A second after the last snapshot: PUBACKs held back by the crowd are answered by then.
    await sleep(1000);
    const crowdTo = performance.now();
    clearInterval(probeTimer);
    background.send({ type: 'stop' });
    const ran = await run;

    const during = summarise(latencies.filter((l) => l.at >= crowdFrom && l.at < crowdTo).map((l) => l.ms));
    const before = summarise(latencies.filter((l) => l.at >= baselineFrom && l.at < crowdFrom).map((l) => l.ms));
    return {
      scenario: 'sse-connects',
      figures: {
        backgroundRate: { label: 'background load (100×), sent', value: round((ran.measuredAcked / ran.measuredMs) * 1000, 0), unit: 'msg/s' },
        pubackP99Ms: { label: `device PUBACK p99 while ${CLIENTS} SSE clients connect`, value: round(during.p99, 1), unit: 'ms' },
        pubackP50Ms: { label: `device PUBACK p50 while ${CLIENTS} SSE clients connect`, value: round(during.p50, 1), unit: 'ms' },
        baselineP99Ms: { label: 'device PUBACK p99 before (same load, no connects)', value: round(before.p99, 1), unit: 'ms' },
        allSnapshotsMs: { label: `${CLIENTS} connects → every snapshot received`, value: round(opened.elapsedMs, 0), unit: 'ms' },
        snapshotKb: { label: 'snapshot size', value: round(opened.snapshotBytes / 1024, 1), unit: 'KiB' },
      },
      notes: [
        `${during.count} probe PUBACKs during the connects (max ${round(during.max, 1)} ms), ${before.count} before; streams ${JSON.stringify(opened.statuses)}`,
        `${RAISERS} boxes reported every compartment at 0.95 first (open bin_full alerts in the snapshot)`,
      ],
    };
  } finally {
    if (probeTimer) clearInterval(probeTimer);
    await crowd.stop();
    for (const d of [...probes, ...raisers]) d.wire.destroy();
    await background.stop();
    await platform.stop();
    platform.cleanUp();
  }
};

/** A box reading with every compartment at `level`. */
function reading(device: Device, level: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      ts: toLocalIso(Date.now(), UTC_OFFSET_MIN),
      compartments: device.compartments.map((c) => ({ category: c.category, fillingLevel: level, weightKg: round(c.capacityKg * level, 1) })),
      temperatureC: 15,
      power: { source: 'mains' },
      lid: 'closed',
      status: 'ok',
      signal: { rssiDbm: -75, network: '4g' },
    }),
  );
}

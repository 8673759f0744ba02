/**
 * 2. Alert latency: while the rest of the district publishes its own traffic at 100× the real
 * rate, probe boxes push one compartment over the bin_full threshold (0.95) and back (0.5);
 * latency is from the PUBLISH leaving the probe to the `raised` (and `resolved`) event
 * arriving on the alert stream, both stamped in this process.
 */
import { createHash } from 'node:crypto';
import { deviceTopic, type Device } from '../../shared/contracts/index.ts';
import { DAY_MS, localDayStart, toLocalIso } from '../../shared/units.ts';
import { readCredentialsFile } from '../../services/fleet/adapters/credentials-file.ts';
import { startPlatformProcess } from '../../tests/support/platform-process.ts';
import { districtTraffic, meanRatePerSecond } from '../core/district-traffic.ts';
import { encodeTopic } from '../core/mqtt-wire.ts';
import { round, summarise } from '../core/stats.ts';
import { listenToAlerts, type StampedAlertEvent } from '../adapters/alert-stream.ts';
import { BENCH_SEED, prepareFleet } from '../adapters/fleet.ts';
import { Loadgen } from '../adapters/loadgen.ts';
import { sleep } from '../adapters/proc.ts';
import { WireDevice } from '../adapters/wire-device.ts';
import { DISTRICT, DISTRICT_DEVICES, type Scenario, platformNodeArgs } from './context.ts';

const PROBES = 10;
const RATE_MULTIPLIER = 100;
const UTC_OFFSET_MIN = 480;

export const alertScenario: Scenario = async (ctx) => {
  const samples = ctx.options.quick ? 40 : 200;
  const fleet = prepareFleet(DISTRICT.boxes, DISTRICT.cameras);
  const credentials = readCredentialsFile(fleet.credentialsPath).devices;
  const districtRate = districtMessageRate(credentials.map((c) => c.device));
  const platform = await startPlatformProcess({ SIMULATOR: 'off' }, { dataDir: fleet.dataDir, nodeArgs: platformNodeArgs() });
  const events: StampedAlertEvent[] = [];
  const stopListening = await listenToAlerts(platform.baseUrl, platform.adminToken, (e) => events.push(e));
  // The probes are the first boxes; the background is everyone else, with their own traffic.
  const background = await Loadgen.start({
    host: '127.0.0.1',
    port: platform.mqttPort,
    credentialsPath: fleet.credentialsPath,
    from: PROBES,
    to: DISTRICT_DEVICES,
    auth: true,
  });
  const probes = credentials.slice(0, PROBES).map(({ device, secret }) => ({
    device,
    wire: new WireDevice({ host: '127.0.0.1', port: platform.mqttPort }, { clientId: device.id, username: device.id, password: secret }),
    topic: encodeTopic(deviceTopic(device.id, 'telemetry')),
  }));
  try {
    ctx.progress('alerts: connecting the district');
    await background.request({ type: 'connect', storm: false }, 'connected');
    await background.request({ type: 'plan', days: 1 }, 'planned');
    for (const p of probes) await p.wire.connect();
    const backgroundRate = districtRate * RATE_MULTIPLIER;
    const run = background.request({ type: 'run', mode: 'paced', ratePerS: backgroundRate, durationMs: 30 * 60_000 }, 'ran');
    await sleep(3000);

    const raised: number[] = [];
    const resolved: number[] = [];
    let missed = 0;
    for (let i = 0; i < samples; i++) {
      const probe = probes[i % PROBES]!;
      const category = probe.device.compartments[Math.floor(i / PROBES) % probe.device.compartments.length]!.category;
      const key = `bin_full:${probe.device.id}:${category}`;
      ctx.progress(`alerts: sample ${i + 1}/${samples} at ${Math.round(backgroundRate)} msg/s background`);
      for (const [level, event, into] of [[0.95, 'raised', raised], [0.5, 'resolved', resolved]] as const) {
        const sentAt = sendReading(probe, category, level);
        const arrived = await nextEvent(events, (e) => e.event === event && e.alert.key === key && e.receivedAt >= sentAt, 5000);
        if (arrived === undefined) missed++;
        else into.push(arrived.receivedAt - sentAt);
        await sleep(150);
      }
    }
    background.send({ type: 'stop' });
    const ran = await run;
    const up = summarise(raised);
    const down = summarise(resolved);
    return {
      scenario: 'alerts',
      figures: {
        districtRate: { label: 'district message rate (simulated day)', value: round(districtRate, 2), unit: 'msg/s' },
        backgroundRate: { label: 'background load (100×), sent', value: round((ran.measuredAcked / ran.measuredMs) * 1000, 0), unit: 'msg/s' },
        raisedP50Ms: { label: 'publish → raised on SSE, p50', value: round(up.p50, 1), unit: 'ms' },
        raisedP99Ms: { label: 'publish → raised on SSE, p99', value: round(up.p99, 1), unit: 'ms' },
        resolvedP50Ms: { label: 'publish → resolved on SSE, p50', value: round(down.p50, 1), unit: 'ms' },
        resolvedP99Ms: { label: 'publish → resolved on SSE, p99', value: round(down.p99, 1), unit: 'ms' },
      },
      notes: [
        `${up.count} raised and ${down.count} resolved samples (${missed} missing after 5 s), max ${round(up.max, 1)} / ${round(down.max, 1)} ms`,
      ],
    };
  } finally {
    stopListening();
    for (const p of probes) p.wire.destroy();
    await background.stop();
    await platform.stop();
    platform.cleanUp();
  }
};

/** The district's mean message rate: one simulated day of the whole fleet through the simulator core. */
export function districtMessageRate(devices: readonly Device[]): number {
  const today = localDayStart(toLocalIso(Date.now(), UTC_OFFSET_MIN).slice(0, 10), UTC_OFFSET_MIN);
  const traffic = districtTraffic({
    seed: BENCH_SEED,
    devices,
    startMs: today - DAY_MS,
    days: 1,
    hashResident: (text) => createHash('sha256').update(text).digest('hex'),
    utcOffsetMinutes: UTC_OFFSET_MIN,
  });
  return meanRatePerSecond(traffic, 1);
}

/** A reading with one compartment at `level` and the others low; returns when it was sent. */
function sendReading(probe: { device: Device; wire: WireDevice; topic: Buffer }, category: string, level: number): number {
  const payload = {
    ts: toLocalIso(Date.now(), UTC_OFFSET_MIN),
    compartments: probe.device.compartments.map((c) => {
      const fillingLevel = c.category === category ? level : 0.2;
      return { category: c.category, fillingLevel, weightKg: round(c.capacityKg * fillingLevel, 1) };
    }),
    temperatureC: 15,
    power: { source: 'mains' },
    lid: 'closed',
    status: 'ok',
    signal: { rssiDbm: -75, network: '4g' },
  };
  const sentAt = performance.now();
  probe.wire.publish(probe.topic, Buffer.from(JSON.stringify(payload)));
  return sentAt;
}

async function nextEvent(events: StampedAlertEvent[], match: (e: StampedAlertEvent) => boolean, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const found = events.find(match);
    if (found) {
      events.splice(0, events.indexOf(found) + 1);
      return found;
    }
    await sleep(1);
  }
  return undefined;
}

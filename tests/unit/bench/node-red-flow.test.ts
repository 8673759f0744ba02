import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALL_DEVICE_TOPICS } from '../../../shared/contracts/index.ts';
import { localDayStart } from '../../../shared/units.ts';
import { parseBenchArgs } from '../../../bench/core/cli.ts';
import { districtTraffic } from '../../../bench/core/district-traffic.ts';
import { nodeRedFlow, nodeRedSettings, POINT_COUNT_FIELD, TO_POINT_FUNCTION } from '../../../bench/core/node-red-flow.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';

interface Point {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, unknown>;
  timestamp: number;
}

/** Runs the function node's body as Node-RED does: msg in, msg out, a per-node context. */
function toPointNode() {
  const store = new Map<string, unknown>();
  const context = { get: (k: string) => store.get(k), set: (k: string, v: unknown) => void store.set(k, v) };
  const body = new Function('msg', 'context', TO_POINT_FUNCTION) as (msg: unknown, ctx: typeof context) => { payload: Point };
  return (topic: string, payload: unknown) => body({ topic, payload: structuredClone(payload) }, context).payload;
}

const devices = generateDemoFleet({ seed: 'bench-test', boxes: 10, cameras: 2 });
const traffic = [
  ...districtTraffic({
    seed: 'bench-test',
    devices,
    startMs: localDayStart('2026-11-20', 480),
    days: 1,
    hashResident: (t) => createHash('sha256').update(t).digest('hex'),
  }).values(),
].flat();

describe('the Node-RED peer flow', () => {
  it('subscribes to every device channel at QoS 1 and runs mqtt in → json → function → join → influxdb batch', () => {
    const flow = nodeRedFlow({ brokerPort: 1883, influxPort: 8086, database: 'nodered' });
    const byId = new Map(flow.map((node) => [node.id as string, node]));
    const chain: string[] = [];
    for (let node = flow.find((n) => n.type === 'mqtt in'); node; ) {
      chain.push(node.type as string);
      const next = (node.wires as string[][] | undefined)?.[0]?.[0];
      node = next === undefined ? undefined : byId.get(next);
    }
    expect(chain).toEqual(['mqtt in', 'json', 'function', 'join', 'influxdb batch']);
    expect(flow.find((n) => n.type === 'mqtt in')).toMatchObject({ topic: ALL_DEVICE_TOPICS, qos: '1', broker: 'broker' });
    expect(byId.get('broker')).toMatchObject({ port: '1883', protocolVersion: '4' });
    expect(byId.get('influx')).toMatchObject({ port: '8086', database: 'nodered', influxdbVersion: '1.x' });
    expect(byId.get('join')).toMatchObject({ mode: 'custom', build: 'array', count: '1000', timeout: '1' });
    expect(byId.get('out')).toMatchObject({ influxdb: 'influx', precision: 'u' });
  });

  it('makes one point per message of every channel, scalar fields only, the count field on each', () => {
    const toPoint = toPointNode();
    const channels = new Set<string>();
    for (const message of traffic) {
      const point = toPoint(message.topic, JSON.parse(message.json));
      const [, , device] = message.topic.split('/');
      expect(point.measurement).toBe(message.channel.replace('/', '_'));
      expect(point.tags).toEqual({ device });
      expect(point.fields[POINT_COUNT_FIELD]).toBe(1);
      for (const value of Object.values(point.fields)) expect(['number', 'string', 'boolean']).toContain(typeof value);
      channels.add(message.channel);
    }
    expect(channels.has('telemetry')).toBe(true);
    expect(channels.has('event/deposit')).toBe(true);
    const reading = traffic.find((m) => m.channel === 'telemetry')!;
    const compartment = (JSON.parse(reading.json) as { compartments: { category: string; fillingLevel: number }[] }).compartments[0]!;
    expect(toPoint(reading.topic, JSON.parse(reading.json)).fields[`fill_${compartment.category}`]).toBe(compartment.fillingLevel);
  });

  it('gives a replayed message its own timestamp, so influxd keeps both points', () => {
    const toPoint = toPointNode();
    const message = traffic[0]!;
    const stamps = new Set(Array.from({ length: 500 }, () => toPoint(message.topic, JSON.parse(message.json)).timestamp));
    expect(stamps.size).toBe(500);
  });

  it('serves nothing beyond loopback and installs nothing at run time', () => {
    const settings = nodeRedSettings({ uiPort: 4000, flowFile: 'flow.json' });
    const exported = new Function('module', `${settings}; return module.exports;`)({}) as Record<string, unknown>;
    expect(exported).toMatchObject({ uiHost: '127.0.0.1', uiPort: 4000, flowFile: 'flow.json', httpAdminRoot: false });
    expect(exported.externalModules).toEqual({ autoInstall: false, palette: { allowInstall: false } });
  });
});

describe('npm run bench -- --peer', () => {
  it('runs no peer unless asked (the peer is installed on first use), and refuses an unknown one', () => {
    expect(parseBenchArgs(['ingest']).peer).toBeNull();
    expect(parseBenchArgs(['ingest', '--peer', 'node-red']).peer).toBe('node-red');
    expect(() => parseBenchArgs(['--peer', 'telegraf'])).toThrow(/unknown peer telegraf/);
  });
});

/**
 * The peer of the ingest benchmark (issue 16): what a user wires in an afternoon with Node-RED
 * and node-red-contrib-influxdb. One flow subscribed to every device channel (events
 * included): mqtt in (QoS 1) → json → function (one point per message) → join (an array of up
 * to 1,000 points or what came in 1 s) → influxdb batch (one write per array). No
 * authentication, journal, validation, enrichment or alerts. Pure: the flow and settings files
 * as text; bench/adapters/node-red.ts installs, writes and runs them.
 */
import { ALL_DEVICE_TOPICS } from '../../shared/contracts/index.ts';

/** Pinned so runs on different days measure the same peer (Node-RED 5 needs Node 22). */
export const NODE_RED_PACKAGES = ['node-red@4.1.8', 'node-red-contrib-influxdb@0.7.0'] as const;

export interface NodeRedFlowOptions {
  brokerPort: number;
  influxPort: number;
  database: string;
  /** Messages per InfluxDB write, and how long the join waits for a short batch. */
  batchSize?: number;
  batchTimeoutS?: number;
}

/** The field every point carries once: count(POINT_COUNT_FIELD) counts the messages stored. */
export const POINT_COUNT_FIELD = 'msgs';

/**
 * The function node's body (topic binpulse/v1/<device>/<channel>, channels such as
 * event/deposit): measurement = channel with `_` for `/`, tag = device, fields = the payload's scalars
 * and each compartment's fill level and weight. The timestamp is the time of receipt in µs plus
 * a counter: a replayed message carries the same `ts` as its first pass, and points of one
 * series with one timestamp overwrite each other, so the payload's own time would undercount.
 */
export const TO_POINT_FUNCTION = `const parts = msg.topic.split('/');
const p = msg.payload;
const fields = { ${POINT_COUNT_FIELD}: 1 };
for (const key in p) {
  const v = p[key];
  if (key !== 'ts' && (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')) fields[key] = v;
}
if (Array.isArray(p.compartments)) {
  for (const c of p.compartments) {
    if (typeof c.fillingLevel === 'number') fields['fill_' + c.category] = c.fillingLevel;
    if (typeof c.weightKg === 'number') fields['kg_' + c.category] = c.weightKg;
  }
}
const seq = ((context.get('seq') || 0) + 1) % 1000;
context.set('seq', seq);
msg.payload = { measurement: parts.slice(3).join('_'), tags: { device: parts[2] }, fields, timestamp: Date.now() * 1000 + seq };
return msg;`;

export function nodeRedFlow(options: NodeRedFlowOptions): Record<string, unknown>[] {
  const tab = 'binpulse-bench';
  return [
    { id: tab, type: 'tab', label: 'BinPulse peer', disabled: false, info: '' },
    {
      id: 'broker',
      type: 'mqtt-broker',
      name: 'aedes',
      broker: '127.0.0.1',
      port: String(options.brokerPort),
      clientid: 'node-red-bench',
      autoConnect: true,
      usetls: false,
      // aedes speaks MQTT 3.1.1.
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: '',
      closeTopic: '',
      willTopic: '',
    },
    {
      id: 'influx',
      type: 'influxdb',
      hostname: '127.0.0.1',
      port: String(options.influxPort),
      protocol: 'http',
      database: options.database,
      name: 'influxd',
      usetls: false,
      influxdbVersion: '1.x',
    },
    {
      id: 'in',
      type: 'mqtt in',
      z: tab,
      name: 'every device channel',
      topic: ALL_DEVICE_TOPICS,
      qos: '1',
      datatype: 'utf8',
      broker: 'broker',
      nl: false,
      rap: false,
      inputs: 0,
      x: 140,
      y: 80,
      wires: [['json']],
    },
    { id: 'json', type: 'json', z: tab, name: '', property: 'payload', action: 'obj', pretty: false, x: 320, y: 80, wires: [['point']] },
    {
      id: 'point',
      type: 'function',
      z: tab,
      name: 'to point',
      func: TO_POINT_FUNCTION,
      outputs: 1,
      timeout: 0,
      noerr: 0,
      initialize: '',
      finalize: '',
      libs: [],
      x: 470,
      y: 80,
      wires: [['join']],
    },
    {
      id: 'join',
      type: 'join',
      z: tab,
      name: 'batch',
      mode: 'custom',
      build: 'array',
      property: 'payload',
      propertyType: 'msg',
      key: 'topic',
      joiner: '\\n',
      joinerType: 'str',
      accumulate: false,
      timeout: String(options.batchTimeoutS ?? 1),
      count: String(options.batchSize ?? 1000),
      reduceRight: false,
      reduceExp: '',
      reduceInit: '',
      reduceInitType: '',
      reduceFixup: '',
      x: 620,
      y: 80,
      wires: [['out']],
    },
    {
      id: 'out',
      type: 'influxdb batch',
      z: tab,
      influxdb: 'influx',
      precision: 'u',
      retentionPolicy: '',
      name: 'influxdb batch',
      x: 790,
      y: 80,
      wires: [],
    },
  ];
}

/** settings.js: loopback only, no editor, no palette installs, nothing phoning home. */
export function nodeRedSettings(options: { uiPort: number; flowFile: string }): string {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: options.uiPort,
    flowFile: options.flowFile,
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    diagnostics: { enabled: false, ui: false },
    telemetry: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    functionExternalModules: false,
    logging: { console: { level: 'info', metrics: false, audit: false } },
  };
  return `module.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

/**
 * The platform's configuration: one zod schema, read from environment variables once at
 * start-up and passed down. A bad value stops start-up with "VARIABLE: what is wrong".
 * README.md's configuration table lists the same variables.
 */
import { z } from 'zod';
import { parseShiftCalendar } from './shifts.ts';
import { tokenWeakness } from './token-strength.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

export const ConfigShape = {
  // Loopback by default: a first `npm start` on a laptop must not open the broker and the API to
  // the network. Deployments that serve devices (the compose file, the images) set 0.0.0.0.
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface the MQTT and HTTP servers listen on (0.0.0.0: every interface)'),
  MQTT_PORT: port.default(1883).describe('MQTT over TCP'),
  MQTT_WS_PORT: port.default(8083).describe('MQTT over WebSocket (path /mqtt)'),
  HTTP_PORT: port.default(8080).describe('HTTP API, OpenAPI at /docs'),
  // Issue 15: TLS beside (or instead of) the plaintext listeners. With no certificate files given,
  // a local CA and a server certificate are made in DATA_DIR/tls at first start (the quick start).
  TLS: onOff.default(true).describe('MQTT over TLS, MQTT over secure WebSocket and HTTPS listeners'),
  PLAINTEXT: onOff.default(true).describe('The plaintext listeners (MQTT_PORT, MQTT_WS_PORT, HTTP_PORT); off: TLS only'),
  MQTTS_PORT: port.default(8883).describe('MQTT over TLS'),
  MQTT_WSS_PORT: port.default(8084).describe('MQTT over secure WebSocket (path /mqtt)'),
  HTTPS_PORT: port.default(8443).describe('HTTPS API and console'),
  TLS_CERT_FILE: z.string().min(1).optional().describe('Server certificate chain (PEM); unset: DATA_DIR/tls/server.crt, made by a local CA at first start. Reloaded when the file changes'),
  TLS_KEY_FILE: z.string().min(1).optional().describe('Private key of TLS_CERT_FILE (PEM)'),
  TLS_CA_FILE: z.string().min(1).optional().describe('CA certificate(s) that sign device client certificates (PEM); a device presenting one whose CN is its id needs no secret. Unset: the local CA of DATA_DIR/tls when it made the server certificate, else no client certificates'),
  TLS_HOSTNAMES: z.string().min(1).default('localhost,127.0.0.1').describe('Names and addresses the generated server certificate is valid for (comma-separated)'),
  CONSOLE_TILE_URL: z
    .string()
    .refine((url) => /^https?:\/\/[^/]+/i.test(url) && ['{z}', '{x}', '{y}'].every((p) => url.includes(p)), 'an http(s) tile URL template with {z}, {x} and {y}')
    .optional()
    .describe("Map tiles of the web console's map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; unset: no tiles (works offline)"),
  DATA_DIR: z.string().min(1).default('./data').describe('Where the SQLite files, tokens and demo credentials live'),
  ADMIN_TOKEN: z
    .string()
    .superRefine((token, ctx) => {
      const weakness = tokenWeakness(token);
      if (weakness !== undefined) ctx.addIssue({ code: 'custom', message: weakness });
    })
    .optional()
    .describe('Bearer token of the admin role (at least 32 characters, not low-entropy, not a documented example); generated into DATA_DIR/admin-token when unset'),
  TOKEN_MAX_AGE_DAYS: positiveInt.max(3650).optional().describe('API tokens created from now on expire after this many days (unset: when revoked)'),
  DEVICE_PUBLISH_RATE: z.coerce.number().positive().max(10_000).default(5).describe("A device's sustained publishes per second; beyond it (and DEVICE_PUBLISH_BURST) publishes are refused and counted"),
  DEVICE_PUBLISH_BURST: positiveInt.max(100_000).default(100).describe('Publishes a device may send at once above DEVICE_PUBLISH_RATE (a box catching up after an outage)'),
  SSE_MAX_STREAMS_PER_TOKEN: positiveInt.max(10_000).default(8).describe('Open alert streams (server-sent events) one token may hold; more are refused with 429'),
  MQTT_MAX_PAYLOAD_BYTES: positiveInt.default(16_384).describe('Larger publishes are refused'),
  MQTT_MAX_TOPIC_LEVELS: positiveInt.max(64).default(8).describe('Deeper topics are refused'),
  INGEST_MAX_FUTURE_SKEW_S: positiveInt.default(300).describe('Readings stamped further ahead are dead-lettered'),
  INGEST_MAX_AGE_H: positiveInt.default(168).describe('Readings stamped further back are dead-lettered'),
  DISTRICT_UTC_OFFSET_MIN: z.coerce.number().int().min(-720).max(840).default(480).describe('Local time of day boundaries in reports (UTC+8)'),
  DEMO_FLEET: onOff.default(true).describe("Provision the district's demo fleet (605 boxes, 54 cameras) into an empty registry"),
  SIMULATOR: onOff.default(true).describe('Start the simulated fleet beside the platform'),
  // A new demo fleet gets its past through the store (DEMO_HISTORY_DAYS), not by a replay over
  // MQTT, so the fleet runs at real time; a faster replay stays possible for who wants it.
  SIM_SPEED: z.coerce.number().positive().max(100_000).default(1).describe('Simulated seconds per real second (1: real time); above 1 with DEMO_HISTORY_DAYS=0, a new demo fleet first replays from yesterday 00:00 over MQTT at that speed'),
  DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(365).default(28).describe('Complete days of history (and today so far) written through the time-series store when the demo fleet is created with the simulator on (0: none)'),
  SIM_SEED: z.string().min(1).default('tianning').describe('Random seed of the simulated fleet'),
  SIM_SENSOR_FAULT_RATE: z.coerce.number().min(0).max(1000).default(0).describe("Multiplies the simulated fill sensors' fault rates (stuck, jump, drift; 0: none, 1: ~2.5 a day over the demo fleet), for the sensor_suspect cross-check"),
  SIM_COLLECTION: z.enum(['fixed', 'plan']).default('fixed').describe("Who empties the simulated boxes: fixed (the collectors' fixed rounds) or plan (the demo vehicles follow the plans published to them)"),
  PLAN_SHIFTS: z
    .string()
    .default('06:00-14:00,14:00-22:00')
    .transform((text, ctx) => {
      try {
        return parseShiftCalendar(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; expected e.g. 06:00-14:00,14:00-22:00` });
        return z.NEVER;
      }
    })
    .describe("The district's daily collection shifts, district time: a box a plan skips can be visited next at the following shift's start"),
  AUTO_PLAN: onOff
    .optional()
    .describe('Plan every PLAN_SHIFTS shift automatically AUTO_PLAN_LEAD_MIN before it starts (unless planned already); unset: on when the simulated vehicles follow plans (SIMULATOR on, SIM_COLLECTION=plan)'),
  AUTO_PLAN_LEAD_MIN: positiveInt.max(720).default(60).describe('How long before a shift starts it is planned automatically'),
  ALERT_SWEEP_SECONDS: positiveInt.max(3600).default(15).describe('How often time-based alert rules (inactivity, lid open) run'),
  ALERT_THRESHOLDS_FILE: z.string().min(1).optional().describe('JSON file of alert thresholds per kind, subdistrict and device'),
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional().describe('Alert events are POSTed here as JSON'),
  JOURNAL_MAX_MB: positiveInt.max(1_048_576).default(1024).describe('Cap of the journal backlog (accepted, not yet stored); beyond it publishes are refused, not lost'),
  JOURNAL_SYNC: z.enum(['full', 'normal']).default('full').describe('full: an acknowledged publish survives an OS crash; normal: a process crash only (faster)'),
  INFLUX_URL: z.url({ protocol: /^https?$/ }).optional().describe('InfluxDB base URL; unset: the embedded SQLite store'),
  INFLUX_API: z.enum(['v1', 'v2']).default('v2').describe('v2: /api/v2/write with token, org, bucket (InfluxDB 1.8+, 2.x, 3.x); v1: /write with db, rp, user, password'),
  INFLUX_TOKEN: z.string().min(1).optional().describe('v2 API token'),
  INFLUX_ORG: z.string().min(1).optional().describe('v2 organisation'),
  INFLUX_BUCKET: z.string().min(1).default('binpulse').describe('v2 bucket (reads use InfluxQL: map it to INFLUX_DB with a DBRP mapping)'),
  INFLUX_DB: z.string().min(1).default('binpulse').describe('database for v1 writes and InfluxQL reads'),
  INFLUX_RP: z.string().min(1).optional().describe('v1 retention policy (default: the database default)'),
  INFLUX_USER: z.string().min(1).optional().describe('v1 user'),
  INFLUX_PASSWORD: z.string().min(1).optional().describe('v1 password'),
  RETENTION_RAW_DAYS: positiveInt.max(36_500).default(90).describe('Raw readings (box, compartment, camera heartbeat, device status) older than this are deleted; events and the daily tonnage rollup are kept'),
  OPS_SNAPSHOT_SECONDS: positiveInt.max(3600).default(60).describe('InfluxDB only: how often the operations snapshot (devices online, open alerts, ingest and dead-letter rates, journal backlog) is written for the dashboards'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const ConfigSchema = z.object(ConfigShape).superRefine((c, ctx) => {
  if ((c.TLS_CERT_FILE === undefined) !== (c.TLS_KEY_FILE === undefined)) {
    ctx.addIssue({ code: 'custom', path: [c.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'], message: 'TLS_CERT_FILE and TLS_KEY_FILE go together' });
  }
  if (!c.TLS && !c.PLAINTEXT) ctx.addIssue({ code: 'custom', path: ['PLAINTEXT'], message: 'off with TLS off too leaves no listener' });
});
export type Config = z.infer<typeof ConfigSchema>;

const SECRET_VARIABLES = new Set(['ADMIN_TOKEN', 'INFLUX_TOKEN', 'INFLUX_PASSWORD']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(ConfigShape)) {
    const value = env[key];
    // An empty variable means "unset", as in most shells' `VAR= cmd`.
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const result = ConfigSchema.safeParse(relevant);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '?');
    // A refused secret is still someone's secret (or a near miss of it): never echoed to logs.
    return SECRET_VARIABLES.has(key) ? `${key}: ${issue.message}` : `${key}: ${issue.message} (got ${JSON.stringify(relevant[key])})`;
  });
  throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * Demo boxes as real MQTT devices (mqtt.js, their own credentials from DATA_DIR's
 * demo-credentials.json) streaming unique deposit events at QoS 1, with a ledger of what was
 * sent and what the broker acknowledged (publishAsync resolved = PUBACK received), for the
 * durability tests: "nothing acknowledged is lost, nothing is stored twice".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { EXAMPLE_PAYLOADS } from '../../shared/contracts/examples.ts';
import { DEMO_CREDENTIALS_FILE, FleetCredentialsFile, WASTE_CATEGORIES } from '../../shared/contracts/index.ts';
import { toLocalIso } from '../../shared/units.ts';

export interface SentDeposit {
  deviceId: string;
  eventId: string;
  /** Whole grams, so expected sums are exact integers; the payload says grams / 1000 kg. */
  grams: number;
}

export interface DepositLedger {
  sent: SentDeposit[];
  acked: SentDeposit[];
  /** Publishes that failed (connection closed before the PUBACK) or never settled. */
  unacked: number;
  /** Errors the clients reported (a killed broker resets their connections). */
  clientErrors: string[];
}

/** The first `count` demo boxes with their MQTT secrets. */
export function demoBoxes(dataDir: string, count: number): { id: string; secret: string }[] {
  const file = FleetCredentialsFile.parse(JSON.parse(readFileSync(join(dataDir, DEMO_CREDENTIALS_FILE), 'utf8')));
  const boxes = file.devices.filter((d) => d.device.kind === 'box').slice(0, count);
  if (boxes.length < count) throw new Error(`only ${boxes.length} demo boxes in ${dataDir}`);
  return boxes.map((d) => ({ id: d.device.id, secret: d.secret }));
}

export interface DepositStreamOptions {
  mqttPort: number;
  boxes: { id: string; secret: string }[];
  /** Prefix of every eventId: unique per test run. */
  runId: string;
  /** Publishes awaiting their PUBACK, per box, at most. */
  inFlightPerBox: number;
  /** Pause between two publishes of one box (0: as fast as the in-flight window allows). */
  pauseMs: number;
  /** The district's offset, for device-style timestamps. */
  utcOffsetMinutes: number;
}

export interface DepositStream {
  ledger: DepositLedger;
  /**
   * Stops publishing. graceful: waits for every PUBACK, then disconnects. Otherwise (the
   * broker is gone): closes the connections at once, which fails what is still in flight.
   * Resolves with the ledger once every publish has settled (or settleTimeoutMs passed).
   */
  stop(options: { graceful: boolean; settleTimeoutMs?: number }): Promise<DepositLedger>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDepositStream(options: DepositStreamOptions): Promise<DepositStream> {
  const ledger: DepositLedger = { sent: [], acked: [], unacked: 0, clientErrors: [] };
  const clients = await Promise.all(
    options.boxes.map(async ({ id, secret }) => {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${options.mqttPort}`, {
        clientId: id,
        username: id,
        password: secret,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      });
      // A killed broker resets the socket: mqtt.js emits 'error', which must not crash the test.
      client.on('error', (err) => ledger.clientErrors.push(`${id}: ${err.message}`));
      return { id, client };
    }),
  );

  let running = true;
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const publishOne = (deviceId: string, client: MqttClient) => {
    n += 1;
    const deposit: SentDeposit = {
      deviceId,
      eventId: `${options.runId}-${deviceId}-${n}`,
      // 0.1 .. 25 kg in 1 g steps, varied
      grams: 100 + ((n * 7919) % 24_901),
    };
    const payload = {
      ...EXAMPLE_PAYLOADS['event/deposit'],
      ts: toLocalIso(Date.now(), options.utcOffsetMinutes),
      eventId: deposit.eventId,
      category: WASTE_CATEGORIES[n % 5]!,
      weightKg: deposit.grams / 1000,
      points: Math.ceil(deposit.grams / 1000),
    };
    ledger.sent.push(deposit);
    const settled = client.publishAsync(`binpulse/v1/${deviceId}/event/deposit`, JSON.stringify(payload), { qos: 1 }).then(
      () => void ledger.acked.push(deposit),
      () => void (ledger.unacked += 1),
    );
    return settled;
  };

  const pump = async ({ id, client }: { id: string; client: MqttClient }) => {
    const mine = new Set<Promise<void>>();
    while (running && client.connected) {
      if (mine.size >= options.inFlightPerBox) {
        await Promise.race(mine);
        continue;
      }
      const settled = publishOne(id, client);
      const tracked = settled.finally(() => {
        mine.delete(tracked);
        inFlight.delete(tracked);
      });
      mine.add(tracked);
      inFlight.add(tracked);
      await (options.pauseMs > 0 ? sleep(options.pauseMs) : new Promise((resolve) => setImmediate(resolve)));
    }
  };
  const pumps = clients.map((c) => pump(c));

  return {
    ledger,
    async stop({ graceful, settleTimeoutMs = 30_000 }) {
      running = false;
      if (!graceful) for (const { client } of clients) client.end(true);
      const pending = [...inFlight];
      const all = Promise.all([...pumps, ...pending]).then(() => true);
      const settledInTime = await Promise.race([all, sleep(settleTimeoutMs).then(() => false)]);
      if (!settledInTime) ledger.unacked += inFlight.size;
      await Promise.all(clients.map(({ client }) => client.endAsync(!graceful).catch(() => undefined)));
      return ledger;
    },
  };
}

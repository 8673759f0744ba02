/**
 * SIGKILL under load. The broker + journal (fixtures/journal-broker.ts) and a consumer
 * (fixtures/journal-consumer.ts) run as child processes so they can really be killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { connect, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalConsumer } from '../../../services/journal/adapters/journal-consumer.ts';
import { entry, openJournal, removeTempDirs, tempJournalFile, waitFor } from './journal-harness.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const children: ChildProcess[] = [];
const clients: MqttClient[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  removeTempDirs();
});

/** Spawns a fixture and resolves with the first JSON line it prints. */
async function spawnFixture(name: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(name), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let output = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code));
  });
  const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => reject(new Error(`${name} exited (${how}) before it was ready:\n${output}`)));
  });
  return { child, first, exited, output: () => output };
}

const device = (i: number) => `box-${String(i).padStart(4, '0')}`;

interface Round {
  /** payload → device, for every publish made */
  sent: Map<string, string>;
  /** payloads whose publishAsync resolved: the PUBACK arrived */
  acknowledged: string[];
}

/**
 * Starts the broker on the journal file, streams QoS 1 deposits from several devices (a window
 * of publishes in flight per device), SIGKILLs the broker once `killAfter` were acknowledged.
 */
async function crashRound(file: string, round: number, devices: number, killAfter: number): Promise<Round> {
  const window = 64;
  const broker = await spawnFixture('journal-broker.ts', [file, String(devices)], {
    JOURNAL_HOOK: process.env.JOURNAL_HOOK ?? '',
  });
  const port = broker.first.mqttPort as number;
  const sent = new Map<string, string>();
  const acknowledged = new Set<string>();
  const closedAll: Promise<void>[] = [];
  for (let d = 1; d <= devices; d += 1) {
    const id = device(d);
    const options = { clientId: id, username: id, password: `${id}-secret`, reconnectPeriod: 0 };
    const client = connect(`mqtt://127.0.0.1:${port}`, options);
    client.on('error', () => {});
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('close', () => reject(new Error(`${id} could not connect`)));
    });
    closedAll.push(new Promise((resolve) => client.once('close', () => resolve())));
    let n = 0;
    const sendNext = (): void => {
      // Keep publishing until the connection dies, so publishes are always in flight at the kill.
      if (!client.connected) return;
      n += 1;
      const payload = JSON.stringify({ device: id, round, n, pad: 'x'.repeat(120) });
      sent.set(payload, id);
      client.publishAsync(`binpulse/v1/${id}/event/deposit`, payload, { qos: 1 }).then(
        () => {
          acknowledged.add(payload);
          sendNext();
        },
        () => {},
      );
    };
    for (let w = 0; w < window; w += 1) sendNext();
  }
  await waitFor(() => acknowledged.size >= killAfter, `${killAfter} acknowledgements`, 60_000);
  broker.child.kill('SIGKILL');
  expect(await broker.exited).toBe('SIGKILL');
  // Once every connection is closed no PUBACK can arrive any more: the acknowledged set is final.
  await Promise.all(closedAll);
  return { sent, acknowledged: [...acknowledged] };
}

describe('SIGKILL of the broker under load', () => {
  it('keeps every publish whose PUBACK was sent, across kills and restarts on the same journal', async () => {
    const file = tempJournalFile();
    const devices = 6;
    // Each round restarts on the journal the previous kill left behind (as the platform would).
    const rounds: Round[] = [];
    for (let round = 1; round <= 4; round += 1) rounds.push(await crashRound(file, round, devices, 3_000));

    const db = new Database(file); // a read-write open recovers the WAL, as the restarted platform would
    const rows = db.prepare('SELECT device_id, topic, payload FROM entries ORDER BY seq').all() as Array<{
      device_id: string;
      topic: string;
      payload: Buffer;
    }>;
    db.close();
    const journalled = new Map(rows.map((r) => [r.payload.toString(), r]));
    const sent = new Map(rounds.flatMap((r) => [...r.sent]));
    const acked = rounds.flatMap((r) => r.acknowledged);
    for (const [i, r] of rounds.entries()) {
      const inJournal = [...r.sent.keys()].filter((p) => journalled.has(p)).length;
      const counts = `sent ${r.sent.size}, acknowledged ${r.acknowledged.length}, journalled ${inJournal}`;
      console.info(`broker crash round ${i + 1}: ${counts}`);
    }

    for (const r of rounds) expect(r.acknowledged.length).toBeLessThan(r.sent.size); // each kill landed mid-stream
    const missing = acked.filter((payload) => !journalled.has(payload));
    expect(missing).toEqual([]);
    for (const [payload, row] of journalled) {
      expect(row.device_id).toBe(sent.get(payload));
      expect(row.topic).toBe(`binpulse/v1/${row.device_id}/event/deposit`);
    }
    // Per device, the journal keeps the order in which the device sent.
    for (let d = 1; d <= devices; d += 1) {
      const order = rows
        .filter((r) => r.device_id === device(d))
        .map((r) => JSON.parse(r.payload.toString()) as { round: number; n: number })
        .map((m) => m.round * 1e9 + m.n);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 120_000);
});

describe('SIGKILL of a consumer mid-stream', () => {
  it('resumes from the committed offset after a restart: nothing skipped, at most the last batch handled again', async () => {
    const file = tempJournalFile();
    const total = 3_000;
    const batchSize = 50;
    const seed = openJournal(file);
    seed.journal.register('store');
    for (let i = 1; i <= total; i += 1) void seed.journal.append(entry(`m${i}`));
    await seed.journal.append(entry('last')); // the same turn's group: resolves when all are committed
    await seed.journal.stop();
    const count = total + 1;

    const log = `${file}.handled`;
    const lines = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : []);
    const consumer = await spawnFixture('journal-consumer.ts', [file, log, String(batchSize)]);
    await waitFor(() => lines().length >= 1_000, '1000 handled entries', 60_000);
    consumer.child.kill('SIGKILL');
    expect(await consumer.exited).toBe('SIGKILL');
    const before = lines();

    const reopened = openJournal(file);
    const committed = reopened.journal.offset('store');
    const after: number[] = [];
    const restarted = new JournalConsumer({
      journal: reopened.journal,
      name: 'store',
      batchSize,
      logger: pino({ level: 'silent' }),
      handle: async (entries) => void after.push(...entries.map((e) => e.seq)),
    });
    restarted.start();
    await waitFor(() => reopened.journal.offset('store') === count, 'the rest of the journal');
    await restarted.stop();
    await reopened.journal.stop();

    const handledAgain = before.filter((seq) => seq > committed);
    console.info(
      `consumer crash: handled ${before.length} before the kill, committed ${committed}, ` +
        `handled again ${handledAgain.length}, handled after restart ${after.length}`,
    );
    expect(committed).toBeLessThan(count); // killed mid-stream
    expect(before).toEqual(Array.from({ length: before.length }, (_, i) => i + 1)); // in order, no gaps
    expect(handledAgain.length).toBeLessThanOrEqual(batchSize);
    expect(after).toEqual(Array.from({ length: count - committed }, (_, i) => committed + i + 1));
    expect(new Set([...before, ...after]).size).toBe(count);
  }, 90_000);
});

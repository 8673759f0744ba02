/**
 * The broker with the journal hook, a JournalConsumer behind it, in one process: a store
 * outage is absorbed by the journal, and a full journal makes the broker refuse publishes.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalConsumer } from '../../../services/journal/adapters/journal-consumer.ts';
import { closed, connectDevice, deviceOptions, startHarness, stopHarness, type Harness } from '../broker/broker-harness.ts';
import { metricValue, openJournal, removeTempDirs, tempJournalFile, waitFor, type OpenJournal } from './journal-harness.ts';

let h: Harness | undefined;
let j: OpenJournal | undefined;
let consumer: JournalConsumer | undefined;
afterEach(async () => {
  await consumer?.stop();
  await stopHarness(h);
  await j?.journal.stop();
  h = j = consumer = undefined;
  removeTempDirs();
});

const topic = 'binpulse/v1/box-0001/event/deposit';
const topicBytes = Buffer.byteLength(topic);

async function start(maxBytes: number): Promise<void> {
  j = openJournal(tempJournalFile(), { maxBytes });
  j.journal.start();
  j.journal.register('store');
  const journal = j.journal;
  h = await startHarness({ onAcceptedPublish: async (publish) => void (await journal.append(publish)) });
}

function startConsumer(handle: (payloads: string[]) => Promise<void>): void {
  consumer = new JournalConsumer({
    journal: j!.journal,
    name: 'store',
    batchSize: 4,
    handle: (entries) => handle(entries.map((e) => e.payload.toString())),
    logger: pino({ level: 'silent' }),
    backoff: { baseMs: 1, capMs: 5 },
  });
  consumer.start();
}

describe('broker + journal + consumer', () => {
  it('keeps accepting publishes while the store is down and replays them in order when it is back', async () => {
    await start(1_000_000);
    let storeUp = false;
    const stored: string[] = [];
    let failedWrites = 0;
    startConsumer(async (payloads) => {
      if (!storeUp) {
        failedWrites += 1;
        throw new Error('store unreachable');
      }
      stored.push(...payloads);
    });
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    const sent = Array.from({ length: 30 }, (_, i) => `deposit-${i + 1}`);
    for (const payload of sent) await client.publishAsync(topic, payload, { qos: 1 });
    await waitFor(() => failedWrites >= 2, 'the store to fail');
    expect(stored).toEqual([]);
    expect(await metricValue(j!.registry, 'binpulse_journal_backlog', { consumer: 'store' })).toBe(30);

    storeUp = true;
    await waitFor(() => stored.length === 30, 'the replay');
    expect(stored).toEqual(sent);
    const backlog = () => metricValue(j!.registry, 'binpulse_journal_backlog', { consumer: 'store' });
    await waitFor(async () => (await backlog()) === 0, 'no backlog');
  });

  it('refuses publishes once the journal is full, and accepts them again after the consumer caught up and pruned', async () => {
    const payloadBytes = 10;
    await start(3 * (topicBytes + payloadBytes));
    const client = await connectDevice(h!, deviceOptions('box-0001'));
    for (const n of [1, 2, 3]) await client.publishAsync(topic, `deposit-0${n}`, { qos: 1 });

    client.publish(topic, 'deposit-04', { qos: 1 }, () => {});
    await closed(client); // refused: no PUBACK, the device keeps the message
    expect(await metricValue(j!.registry, 'binpulse_journal_full_refusals_total')).toBe(1);
    expect(h!.received.map((m) => m.payload)).toEqual(['deposit-01', 'deposit-02', 'deposit-03']);
    expect(j!.journal.read(0, 10)).toHaveLength(3);
    expect(j!.logs.some((l) => l.level === 50 && String(l.msg).includes('journal full'))).toBe(true);

    const stored: string[] = [];
    startConsumer(async (payloads) => void stored.push(...payloads));
    await waitFor(() => stored.length === 3, 'the consumer to catch up');
    await waitFor(() => j!.journal.offset('store') === 3, 'the commit');
    await j!.journal.prune();
    expect(await metricValue(j!.registry, 'binpulse_journal_entries')).toBe(0);

    const again = await connectDevice(h!, deviceOptions('box-0001'));
    await again.publishAsync(topic, 'deposit-04', { qos: 1 }); // the device resends it
    await waitFor(() => stored.length === 4, 'the resent deposit');
    expect(stored).toEqual(['deposit-01', 'deposit-02', 'deposit-03', 'deposit-04']);
  });
});

import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalConsumer, type JournalConsumerOptions } from '../../../services/journal/adapters/journal-consumer.ts';
import type { JournalEntry } from '../../../services/journal/core/ports.ts';
import { bodies, entry, openJournal, removeTempDirs, tempJournalFile, waitFor, type OpenJournal } from './journal-harness.ts';

const stoppers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
  removeTempDirs();
});

function journalAt(file = tempJournalFile()): OpenJournal {
  const j = openJournal(file);
  stoppers.push(() => j.journal.stop());
  return j;
}

function consumerOf(
  j: OpenJournal,
  handle: JournalConsumerOptions['handle'],
  options: Partial<JournalConsumerOptions> = {},
): { consumer: JournalConsumer; logs: Array<Record<string, unknown>> } {
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const consumer = new JournalConsumer({
    journal: j.journal,
    name: 'store',
    batchSize: 10,
    handle,
    logger,
    backoff: { baseMs: 2, capMs: 10 },
    random: () => 0.5,
    ...options,
  });
  stoppers.push(() => consumer.stop());
  return { consumer, logs };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('JournalConsumer', () => {
  it('hands over existing entries in batches, then live appends as they are committed, committing after each batch', async () => {
    const j = journalAt();
    for (let i = 1; i <= 25; i += 1) await j.journal.append(entry(`m${i}`));
    const batches: string[][] = [];
    const { consumer } = consumerOf(j, async (entries) => void batches.push(bodies(entries)));
    consumer.start();
    await waitFor(() => j.journal.offset('store') === 25, 'the backlog');
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);

    // Idle now, with no polling timer: only the journal's append notification can wake it.
    await j.journal.append(entry('live'));
    await waitFor(() => j.journal.offset('store') === 26, 'the live entry');
    expect(batches.flat()).toEqual([...Array.from({ length: 25 }, (_, i) => `m${i + 1}`), 'live']);
  });

  it('retries the same batch after failures, in order, losing nothing, and commits only once it succeeded', async () => {
    const j = journalAt();
    for (let i = 1; i <= 15; i += 1) await j.journal.append(entry(`m${i}`));
    const calls: string[][] = [];
    const offsetsSeenWhileFailing: number[] = [];
    let failures = 0;
    const { consumer, logs } = consumerOf(j, async (entries) => {
      calls.push(bodies(entries));
      if (failures < 3) {
        failures += 1;
        offsetsSeenWhileFailing.push(j.journal.offset('store'));
        throw new Error('store unreachable');
      }
    });
    consumer.start();
    await waitFor(() => j.journal.offset('store') === 15, 'all entries');
    const first = Array.from({ length: 10 }, (_, i) => `m${i + 1}`);
    expect(calls).toEqual([first, first, first, first, ['m11', 'm12', 'm13', 'm14', 'm15']]);
    expect(offsetsSeenWhileFailing).toEqual([0, 0, 0]);
    // One warning for the outage, the later failures at debug, then a recovery note.
    expect(logs.filter((l) => l.level === 40).map((l) => l.attempt)).toEqual([1]);
    expect(logs.filter((l) => l.level === 20).map((l) => l.attempt)).toEqual([2, 3]);
    expect(logs.find((l) => l.level === 30)).toMatchObject({ attempts: 4, upTo: 10, consumer: 'store' });
  });

  it("waits for an error's retryAfterMs instead of the backoff schedule", async () => {
    const j = journalAt();
    await j.journal.append(entry('m1'));
    let failed = false;
    const { consumer, logs } = consumerOf(j, async () => {
      if (failed) return;
      failed = true;
      throw Object.assign(new Error('429 too many requests'), { retryAfterMs: 37 });
    });
    consumer.start();
    await waitFor(() => j.journal.offset('store') === 1, 'the retried entry');
    expect(logs.find((l) => l.level === 40)).toMatchObject({ delayMs: 37, attempt: 1 });
  });

  it('does not let live appends cut a backoff short; stop() does', async () => {
    const j = journalAt();
    await j.journal.append(entry('m1'));
    let calls = 0;
    const { consumer } = consumerOf(
      j,
      async () => {
        calls += 1;
        throw new Error('down');
      },
      { backoff: { baseMs: 60_000, capMs: 60_000 } },
    );
    consumer.start();
    await waitFor(() => calls === 1, 'the first attempt');
    for (let i = 0; i < 5; i += 1) await j.journal.append(entry(`live${i}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
    await consumer.stop(); // would hang for a minute if the backoff were not cut short
    expect(j.journal.offset('store')).toBe(0);
  });

  it('stop() waits for the batch in flight and commits it', async () => {
    const j = journalAt();
    for (let i = 1; i <= 3; i += 1) await j.journal.append(entry(`m${i}`));
    const gate = deferred();
    let handling = false;
    const { consumer } = consumerOf(j, async () => {
      handling = true;
      await gate.promise;
    });
    consumer.start();
    await waitFor(() => handling, 'the batch to be in flight');
    let stopped = false;
    const stopping = consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(j.journal.offset('store')).toBe(3);
  });

  it('resumes after a restart from its committed offset', async () => {
    const file = tempJournalFile();
    const first = openJournal(file);
    for (let i = 1; i <= 5; i += 1) await first.journal.append(entry(`m${i}`));
    const seen: JournalEntry[] = [];
    const a = consumerOf(first, async (entries) => void seen.push(...entries), { batchSize: 2 });
    a.consumer.start();
    await waitFor(() => first.journal.offset('store') === 5, 'the first run');
    await a.consumer.stop();
    await first.journal.append(entry('while down'));
    await first.journal.stop();

    const second = journalAt(file);
    const b = consumerOf(second, async (entries) => void seen.push(...entries), { batchSize: 2 });
    b.consumer.start();
    await waitFor(() => second.journal.offset('store') === 6, 'the second run');
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bodies(seen.slice(-1))).toEqual(['while down']);
  });

  it('refuses a batch size below 1', () => {
    const j = journalAt();
    expect(() => consumerOf(j, async () => {}, { batchSize: 0 })).toThrow(RangeError);
  });
});

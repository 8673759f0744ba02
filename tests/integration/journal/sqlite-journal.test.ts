import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalFullError } from '../../../services/journal/core/ports.ts';
import {
  bodies,
  entry,
  metricValue,
  openJournal,
  removeTempDirs,
  tempJournalFile,
  waitFor,
  type OpenJournal,
} from './journal-harness.ts';

const open: OpenJournal[] = [];
function journalAt(file = tempJournalFile(), options: Parameters<typeof openJournal>[1] = {}): OpenJournal {
  const j = openJournal(file, options);
  open.push(j);
  return j;
}
afterEach(async () => {
  for (const j of open.splice(0)) await j.journal.stop();
  removeTempDirs();
});

/** What another process would find in the file right now (committed data only). */
function onDisk(file: string): Array<{ seq: number; device_id: string; payload: Buffer; received_at: number }> {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, device_id, payload, received_at FROM entries ORDER BY seq').all() as never;
  } finally {
    db.close();
  }
}

describe('append', () => {
  it('resolves with increasing seqs, each entry committed to the file by the time it resolves', async () => {
    const { journal, file } = journalAt();
    const seqs: number[] = [];
    const seen: number[][] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((body) =>
        journal.append(entry(body)).then((seq) => {
          seqs.push(seq);
          seen.push(onDisk(file).map((r) => r.seq));
        }),
      ),
    );
    expect(seqs).toEqual([1, 2, 3]);
    for (const [i, seq] of seqs.entries()) expect(seen[i]).toContain(seq);
    const rows = onDisk(file);
    expect(rows.map((r) => r.payload.toString())).toEqual(['a', 'b', 'c']);
    expect(rows[0]).toMatchObject({ device_id: 'box-0001', received_at: 1_760_000_000_000 });
  });

  it('commits the appends of one event-loop turn together: one failing rejects them all; a later turn is separate', async () => {
    const { journal, file } = journalAt();
    const db = new Database(file);
    // A failing insert in the middle of a group (as a full disk would fail its COMMIT).
    db.exec(`CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.payload = CAST('poison' AS BLOB)
             BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END;`);
    db.close();
    const group = [journal.append(entry('x1')), journal.append(entry('poison')), journal.append(entry('x3'))];
    const outcomes = await Promise.allSettled(group);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toContain('poisoned entry');
    expect(onDisk(file)).toEqual([]);
    expect(await metricValue(open[0]!.registry, 'binpulse_journal_appends_total')).toBe(0);

    // The journal is not wedged, and a later turn is its own transaction.
    const next = await journal.append(entry('after'));
    await expect(journal.append(entry('poison'))).rejects.toThrow('poisoned entry');
    expect(bodies(journal.read(0, 10))).toEqual(['after']);
    expect(journal.headSeq()).toBe(next);
  });

  it('never reuses a seq, even after every entry was pruned and the journal reopened', async () => {
    const file = tempJournalFile();
    const first = journalAt(file);
    first.journal.register('store');
    await Promise.all([first.journal.append(entry('a')), first.journal.append(entry('b'))]);
    first.journal.commit('store', 2);
    expect(await first.journal.prune()).toBe(2);
    await first.journal.stop();

    const second = journalAt(file);
    expect(second.journal.headSeq()).toBe(2);
    expect(await second.journal.append(entry('c'))).toBe(3);
    expect(bodies(second.journal.read(second.journal.offset('store'), 10))).toEqual(['c']);
  });

  it('rejects after stop() but commits what was pending at stop()', async () => {
    const { journal, file } = journalAt();
    const pending = journal.append(entry('last'));
    await journal.stop();
    expect(await pending).toBe(1);
    expect(onDisk(file)).toHaveLength(1);
    await expect(journal.append(entry('late'))).rejects.toThrow('closed');
  });

  it('tells onAppend listeners the new head after each commit', async () => {
    const { journal } = journalAt();
    const heads: number[] = [];
    const off = journal.onAppend((head) => heads.push(head));
    await Promise.all([journal.append(entry('a')), journal.append(entry('b'))]);
    await journal.append(entry('c'));
    off();
    await journal.append(entry('d'));
    expect(heads).toEqual([2, 3]);
  });
});

describe('read, offsets, register', () => {
  it('reads after a seq, in order, up to a limit', async () => {
    const { journal } = journalAt();
    for (const body of ['a', 'b', 'c', 'd']) await journal.append(entry(body));
    expect(bodies(journal.read(1, 2))).toEqual(['b', 'c']);
    expect(journal.read(4, 10)).toEqual([]);
    expect(journal.read(0, 1)[0]).toEqual({ ...entry('a'), seq: 1 });
  });

  it("starts a new consumer at the oldest kept entry by default, or at the head; keeps a known consumer's offset", async () => {
    const { journal } = journalAt();
    await Promise.all([journal.append(entry('a')), journal.append(entry('b'))]);
    expect(journal.register('store')).toBe(0);
    expect(journal.register('live', 'head')).toBe(2);
    journal.commit('store', 1);
    expect(journal.register('store', 'head')).toBe(1);
    expect(() => journal.offset('unknown')).toThrow('not registered');
  });

  it('commits monotonically, never beyond the head, and keeps offsets across a reopen', async () => {
    const file = tempJournalFile();
    const first = journalAt(file);
    first.journal.register('store');
    for (const body of ['a', 'b', 'c']) await first.journal.append(entry(body));
    first.journal.commit('store', 2);
    first.journal.commit('store', 1); // a late, lower commit is ignored
    expect(first.journal.offset('store')).toBe(2);
    expect(() => first.journal.commit('store', 4)).toThrow(RangeError);
    expect(() => first.journal.commit('nobody', 1)).toThrow('not registered');
    await first.journal.stop();

    const second = journalAt(file);
    expect(second.journal.offset('store')).toBe(2);
    expect(second.journal.consumers()).toEqual(['store']);
  });

  it('exports the backlog per consumer (head − offset)', async () => {
    const { journal, registry } = journalAt();
    journal.register('store');
    journal.register('alerts');
    for (const body of ['a', 'b', 'c']) await journal.append(entry(body));
    journal.commit('alerts', 3);
    expect(await metricValue(registry, 'binpulse_journal_backlog', { consumer: 'store' })).toBe(3);
    expect(await metricValue(registry, 'binpulse_journal_backlog', { consumer: 'alerts' })).toBe(0);
    expect(await metricValue(registry, 'binpulse_journal_appends_total')).toBe(3);
  });
});

describe('prune', () => {
  it('deletes, in batches, only what every registered consumer has committed', async () => {
    const { journal, registry, file } = journalAt(undefined, { pruneBatchSize: 2 });
    journal.register('store');
    journal.register('alerts');
    for (let i = 1; i <= 7; i += 1) await journal.append(entry(`m${i}`));
    journal.commit('store', 7);
    journal.commit('alerts', 5);
    expect(await journal.prune()).toBe(5);
    expect(onDisk(file).map((r) => r.seq)).toEqual([6, 7]);
    expect(await metricValue(registry, 'binpulse_journal_entries')).toBe(2);
    expect(bodies(journal.read(journal.offset('alerts'), 10))).toEqual(['m6', 'm7']);
  });

  it('deletes nothing while no consumer is registered', async () => {
    const { journal } = journalAt();
    await journal.append(entry('a'));
    expect(await journal.prune()).toBe(0);
    expect(journal.read(0, 10)).toHaveLength(1);
  });

  it('stops holding entries back for a consumer that is unregistered', async () => {
    const { journal } = journalAt();
    journal.register('store');
    journal.register('retired');
    await journal.append(entry('a'));
    journal.commit('store', 1);
    expect(await journal.prune()).toBe(0);
    journal.unregister('retired');
    expect(await journal.prune()).toBe(1);
  });

  it('prunes periodically once started', async () => {
    const { journal, registry } = journalAt(undefined, { pruneIntervalMs: 20 });
    journal.start();
    journal.register('store');
    await journal.append(entry('a'));
    journal.commit('store', 1);
    await waitFor(async () => (await metricValue(registry, 'binpulse_journal_entries')) === 0, 'the periodic prune');
  });
});

describe('cap', () => {
  // Every entry('xxxxxx') weighs 34 topic + 6 payload = 40 bytes.
  const size = 40;

  it('refuses an append that would take the unconsumed backlog past maxBytes, counting it', async () => {
    const { journal, registry } = journalAt(undefined, { maxBytes: 3 * size });
    journal.register('store');
    for (let i = 0; i < 3; i += 1) await journal.append(entry('abcdef'));
    const refused = journal.append(entry('abcdef'));
    await expect(refused).rejects.toBeInstanceOf(JournalFullError);
    await expect(refused).rejects.toMatchObject({ backlogBytes: 3 * size, maxBytes: 3 * size });
    expect(journal.read(0, 10)).toHaveLength(3);
    expect(await metricValue(registry, 'binpulse_journal_full_refusals_total')).toBe(1);
    expect(await metricValue(registry, 'binpulse_journal_bytes')).toBe(3 * size);
  });

  it('counts appends of the same turn that are not committed yet', async () => {
    const { journal } = journalAt(undefined, { maxBytes: 2 * size });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => journal.append(entry('abcdef'))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });

  it('accepts appends again once the slowest consumer committed, pruned or not', async () => {
    const { journal } = journalAt(undefined, { maxBytes: 2 * size });
    journal.register('store');
    journal.register('alerts');
    await journal.append(entry('abcdef'));
    await journal.append(entry('abcdef'));
    await expect(journal.append(entry('abcdef'))).rejects.toBeInstanceOf(JournalFullError);
    journal.commit('store', 2);
    await expect(journal.append(entry('abcdef'))).rejects.toBeInstanceOf(JournalFullError); // alerts still behind
    journal.commit('alerts', 1);
    expect(journal.backlogBytes()).toBe(size);
    expect(await journal.append(entry('abcdef'))).toBe(3);
    journal.commit('alerts', 3);
    journal.commit('store', 3);
    await journal.prune();
    expect(journal.backlogBytes()).toBe(0);
    expect(await journal.append(entry('abcdef'))).toBe(4);
  });

  it('measures the backlog correctly across a reopen after pruning', async () => {
    const file = tempJournalFile();
    const first = journalAt(file, { maxBytes: 10 * size });
    first.journal.register('store');
    for (let i = 0; i < 5; i += 1) await first.journal.append(entry('abcdef'));
    first.journal.commit('store', 3);
    await first.journal.prune();
    await first.journal.stop();
    const second = journalAt(file, { maxBytes: 10 * size });
    expect(second.journal.backlogBytes()).toBe(2 * size);
  });

  it('warns once when the backlog passes 80% of the cap, and again after it dropped and rose again', async () => {
    const { journal, logs } = journalAt(undefined, { maxBytes: 10 * size });
    journal.register('store');
    const warnings = () => logs.filter((l) => String(l.msg).includes('above 80%'));
    for (let i = 1; i <= 8; i += 1) await journal.append(entry('abcdef'));
    expect(warnings()).toHaveLength(0);
    await journal.append(entry('abcdef'));
    await journal.append(entry('abcdef'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ level: 40, backlogBytes: 9 * size, slowest: 'store' });
    journal.commit('store', 8); // 2 left: well below
    expect(logs.some((l) => String(l.msg).includes('back below'))).toBe(true);
    for (let i = 0; i < 7; i += 1) await journal.append(entry('abcdef'));
    expect(warnings()).toHaveLength(2);
  });
});

/**
 * The ingest split over a real journal: a 'live' consumer (dead letters, device state, alert
 * listeners) and a 'timeseries' consumer (store writes), each at its own offset. A store outage
 * holds back only the second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/units.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../../services/ingest/pipeline.ts';
import { TimeSeriesWriter } from '../../../services/ingest/timeseries-writer.ts';
import { JournalConsumer } from '../../../services/journal/adapters/journal-consumer.ts';
import { SqliteJournal } from '../../../services/journal/adapters/sqlite-journal.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import { SwitchableStore, metricValue } from './test-doubles.ts';
import { BOX, BOX_2, CAMERA, NOW, deposit, json, lookup, topic } from '../../unit/ingest/fixtures.ts';

const logger = pino({ level: 'silent' });
const LIMITS = { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };
const TODAY = { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 };

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const stoppers: Array<() => Promise<void> | void> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function platform() {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-ingest-journal-'));
  dirs.push(dir);
  const metrics = new Registry();
  const registry = { get: lookup([BOX, BOX_2, CAMERA]) };

  const store = new SwitchableStore(new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: 480 }));
  stoppers.push(() => store.close());
  const stateDb = openDatabase(join(dir, 'ingest.db'));
  stoppers.push(() => void stateDb.close());
  const deadLetters = new SqliteDeadLetterStore(stateDb, { metrics });
  const deviceState = new SqliteDeviceStateStore(stateDb, { logger, now: () => NOW });
  const pipeline = new IngestPipeline({ registry, deadLetters, deviceState, now: () => NOW, limits: LIMITS, logger, metrics });
  pipeline.start();
  stoppers.push(() => pipeline.stop());
  const writer = new TimeSeriesWriter({ registry, store, limits: LIMITS, logger, metrics });

  const journal = new SqliteJournal({ file: join(dir, 'journal.db'), maxBytes: 10_000_000, logger, metrics });
  journal.start();
  stoppers.push(() => journal.stop());
  const backoff = { baseMs: 2, capMs: 20 };
  const live = new JournalConsumer({ journal, name: 'live', batchSize: 10, handle: (e) => pipeline.handleEntries(e), logger, backoff });
  const timeseries = new JournalConsumer({ journal, name: 'timeseries', batchSize: 25, handle: (e) => writer.writeEntries(e), logger, backoff });
  live.start();
  timeseries.start();
  stoppers.push(() => live.stop(), () => timeseries.stop());

  const alerts: string[] = [];
  pipeline.onAccepted((message) => alerts.push((message.payload as { eventId: string }).eventId));

  /** Appends as the broker does before its PUBACK; answers the seq. */
  const publish = (t: string, payload: Buffer) => journal.append({ deviceId: t.split('/')[2]!, topic: t, payload, receivedAt: NOW });
  return { journal, store, deadLetters, deviceState, metrics, alerts, publish };
}

describe('ingest over the journal: live and timeseries consumers', () => {
  it('alerts and device state keep up while the store is down; afterwards every record is written once, in order', async () => {
    const p = platform();
    p.store.down = true;
    const expected: string[] = [];
    let garbage = 0;
    const send = async (from: number, to: number) => {
      const appends: Promise<number>[] = [];
      for (let i = from; i < to; i++) {
        const id = `d-${String(i).padStart(3, '0')}`;
        expected.push(id);
        appends.push(p.publish(topic(i % 2 ? BOX : BOX_2, 'event/deposit'), json(deposit(id, NOW - (1000 - i) * 1000, 1))));
        if (i % 7 === 0) {
          appends.push(p.publish(topic(BOX, 'event/deposit'), Buffer.from(`garbage ${i}`)));
          garbage++;
        }
      }
      await Promise.all(appends);
    };

    await send(0, 60);
    await waitFor(() => p.journal.offset('live') === p.journal.headSeq(), 'the live consumer');
    expect(p.alerts).toEqual(expected);
    expect(p.deviceState.get(BOX.id)!.messagesReceived + p.deviceState.get(BOX_2.id)!.messagesReceived).toBe(60);
    expect(p.deadLetters.counts().invalid_json).toBe(garbage);

    // The store is still down: its consumer keeps retrying its first batch, committing nothing.
    await waitFor(() => p.store.attempts >= 3, 'store retries');
    expect(p.journal.offset('timeseries')).toBe(0);
    expect(p.store.stored).toEqual([]);

    // Live traffic during the outage reaches the live path at once.
    await send(60, 100);
    await waitFor(() => p.journal.offset('live') === p.journal.headSeq(), 'the live consumer again');
    expect(p.alerts).toEqual(expected);
    expect(p.journal.offset('timeseries')).toBe(0);
    expect(await metricValue(p.metrics, 'binpulse_store_write_errors_total')).toBeGreaterThanOrEqual(3);

    p.store.down = false;
    await waitFor(() => p.journal.offset('timeseries') === p.journal.headSeq(), 'the timeseries backlog');
    const written = p.store.stored.flat().map((r) => (r as { eventId: string }).eventId);
    expect(written).toEqual(expected);
    expect(await p.store.tonnage(TODAY)).toEqual([
      { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 50, deposits: 50 },
      { day: '2026-11-26', category: 'paper', subdistrict: 'lanling', kg: 50, deposits: 50 },
    ]);
    expect(await metricValue(p.metrics, 'binpulse_timeseries_records_written_total')).toBe(100);
    // Nothing was handled twice on the live path either.
    expect(p.deadLetters.counts().invalid_json).toBe(garbage);
    expect(p.alerts).toHaveLength(100);
  });
});

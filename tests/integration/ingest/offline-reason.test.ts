/**
 * Why a device is offline, end to end as the platform wires it: a real aedes broker, its
 * connection events to the pipeline, device publishes (wills included) through a real journal
 * and its live consumer. Each way of going offline leaves its reason and since-when in the
 * device state; coming back clears it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/units.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../../services/ingest/pipeline.ts';
import { JournalConsumer } from '../../../services/journal/adapters/journal-consumer.ts';
import { SqliteJournal } from '../../../services/journal/adapters/sqlite-journal.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { connectDevice, deviceOptions, rawConnect, startHarness, stopHarness, waitFor, type Harness } from '../broker/broker-harness.ts';
import { BOX, BOX_2, NOW, lookup } from '../../unit/ingest/fixtures.ts';

const logger = pino({ level: 'silent' });
const LIMITS = { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };
const STATUS = `binpulse/v1/${BOX.id}/status`;
const will = { topic: STATUS, payload: Buffer.from('{"state":"offline"}'), qos: 1 as const, retain: true };

const stoppers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const stop of stoppers.splice(0).reverse()) await stop();
});

/** Broker → journal → live consumer → pipeline, and broker connection events → pipeline, as platform.ts wires them. */
async function platform() {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-offline-reason-'));
  stoppers.push(() => rmSync(dir, { recursive: true, force: true }));
  const metrics = new Registry();
  const clock = { now: NOW };
  const now = () => clock.now;
  const db = openDatabase(join(dir, 'binpulse.db'));
  stoppers.push(() => void db.close());
  const deviceState = new SqliteDeviceStateStore(db, { logger, now });
  const pipeline = new IngestPipeline({
    registry: { get: lookup([BOX, BOX_2]) },
    deadLetters: new SqliteDeadLetterStore(db, { metrics }),
    deviceState,
    now,
    limits: LIMITS,
    logger,
    metrics,
  });
  pipeline.start();
  stoppers.push(() => pipeline.stop());
  const journal = new SqliteJournal({ file: join(dir, 'journal.db'), maxBytes: 10_000_000, logger, metrics });
  journal.start();
  stoppers.push(() => journal.stop());
  const live = new JournalConsumer({ journal, name: 'live', batchSize: 10, handle: (e) => pipeline.handleEntries(e), logger });
  live.start();
  stoppers.push(() => live.stop());

  const h: Harness = await startHarness({ now, onAcceptedPublish: async (p) => void (await journal.append(p)) });
  stoppers.push(() => stopHarness(h));
  h.broker.onDeviceConnection((event) => pipeline.deviceConnection(event));
  const state = () => deviceState.get(BOX.id);
  const caughtUp = () => waitFor(() => journal.offset('live') === journal.headSeq(), 'the live consumer');
  return { h, clock, state, caughtUp };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('offline reason in the device state, from what the broker saw', () => {
  it('socket destroyed without DISCONNECT: last_will since then, kept when the will itself arrives; a reconnect clears it', async () => {
    const p = await platform();
    const client = await connectDevice(p.h, deviceOptions(BOX.id, { will }));
    await client.publishAsync(STATUS, '{"state":"online"}', { qos: 1, retain: true });
    await p.caughtUp();
    expect(p.state()).toMatchObject({ online: true, offlineReason: null, statusChangedAt: iso(NOW) });

    p.clock.now = NOW + 60_000;
    client.stream.destroy();
    await waitFor(() => p.state()?.online === false, 'the device to go offline');
    expect(p.state()).toMatchObject({ offlineReason: 'last_will', statusChangedAt: iso(NOW + 60_000) });
    // The will travels the journal: once handled it counts as a message, and the reason stays.
    await waitFor(() => p.state()!.messagesReceived === 2, 'the will');
    expect(p.state()).toMatchObject({ online: false, offlineReason: 'last_will', statusChangedAt: iso(NOW + 60_000) });

    p.clock.now = NOW + 120_000;
    await connectDevice(p.h, deviceOptions(BOX.id, { will }));
    await waitFor(() => p.state()?.online === true, 'the device to come back');
    expect(p.state()).toMatchObject({ offlineReason: null, statusChangedAt: iso(NOW + 120_000) });
  });

  it('clean DISCONNECT after its own goodbye: clean_disconnect, and no will', async () => {
    const p = await platform();
    const client = await connectDevice(p.h, deviceOptions(BOX.id, { will }));
    await client.publishAsync(STATUS, JSON.stringify({ state: 'online', ts: iso(NOW) }), { qos: 1, retain: true });
    p.clock.now = NOW + 30_000;
    await client.publishAsync(STATUS, JSON.stringify({ state: 'offline', ts: iso(NOW + 30_000) }), { qos: 1, retain: true });
    await client.endAsync();
    await waitFor(() => p.state()?.online === false, 'the device to go offline');
    await p.caughtUp();
    expect(p.state()).toMatchObject({ offlineReason: 'clean_disconnect', statusChangedAt: iso(NOW + 30_000), messagesReceived: 2 });
  });

  it('keep-alive expiry: keepalive_timeout', async () => {
    const p = await platform();
    const socket = netConnect(p.h.ports.mqttPort, '127.0.0.1');
    socket.on('error', () => {});
    stoppers.push(() => void socket.destroy());
    socket.write(rawConnect(BOX.id, 1)); // keepalive 1 s, then silence: no PINGREQ ever
    await waitFor(() => p.state()?.online === true, 'the connection');
    p.clock.now = NOW + 1500;
    await waitFor(() => p.state()?.online === false, 'the keep-alive expiry', 15_000);
    expect(p.state()).toMatchObject({ offlineReason: 'keepalive_timeout', statusChangedAt: iso(NOW + 1500) });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS, type DeadLetterReason } from '../../../shared/contracts/index.ts';
import { seededRandom } from '../../../shared/random.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../../services/ingest/pipeline.ts';
import type { JournalEntry } from '../../../services/journal/core/ports.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { metricValue } from './test-doubles.ts';
import { BOX, BOX_2, CAMERA, NOW, deposit, fault, heartbeat, iso, json, lookup, telemetry, topic } from '../../unit/ingest/fixtures.ts';

const logger = pino({ level: 'silent' });
const LIMITS = { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };

interface Harness {
  pipeline: IngestPipeline;
  deadLetters: SqliteDeadLetterStore;
  deviceState: SqliteDeviceStateStore;
  metrics: Registry;
  stateDb: SqliteDatabase;
}

/** Journal entries numbered from `firstSeq`, all received at `receivedAt`. */
function entries(publishes: [string, Buffer][], receivedAt = NOW, firstSeq = 1): JournalEntry[] {
  return publishes.map(([t, payload], i) => ({
    seq: firstSeq + i,
    deviceId: t.split('/')[2] ?? '',
    topic: t,
    payload,
    receivedAt,
  }));
}

/** One publish of every dead-letter class, in DEAD_LETTER_REASONS order. */
const INVALID: [DeadLetterReason, string, Buffer][] = [
  ['invalid_json', topic(BOX, 'telemetry'), Buffer.from([0x00, 0xff, 0x13, 0x37])],
  ['schema_violation', topic(BOX, 'telemetry'), json(telemetry(NOW, { temperatureC: 999 }))],
  ['unknown_topic', topic(BOX, 'firmware/update'), json({})],
  ['unknown_device', topic('box-9999', 'telemetry'), json(telemetry())],
  ['kind_mismatch', topic(CAMERA, 'telemetry'), json(telemetry())],
  ['timestamp_out_of_range', topic(BOX, 'event/deposit'), json(deposit('d-1', NOW + HOUR_MS))],
  ['unknown_compartment', topic(BOX, 'event/deposit'), json(deposit('d-2', NOW, 1, 'glass'))],
  ['repeated_compartment', topic(BOX, 'telemetry'), json(telemetry(NOW, { compartments: [0.1, 0.2].map((fillingLevel) => ({ category: 'paper', fillingLevel, weightKg: 1 })) }))],
];

describe('IngestPipeline (the live path) with real SQLite files', () => {
  let dir: string;
  const running: Harness[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-ingest-'));
  });
  afterEach(() => {
    for (const h of running.splice(0)) {
      h.pipeline.stop();
      h.stateDb.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function start(options: { now?: () => number } = {}): Harness {
    const metrics = new Registry();
    const stateDb = openDatabase(join(dir, 'ingest.db'));
    const deadLetters = new SqliteDeadLetterStore(stateDb, { metrics });
    const deviceState = new SqliteDeviceStateStore(stateDb, { logger, now: options.now ?? (() => NOW) });
    const pipeline = new IngestPipeline({
      registry: { get: lookup([BOX, BOX_2, CAMERA]) },
      deadLetters,
      deviceState,
      now: options.now ?? (() => NOW),
      limits: LIMITS,
      logger,
      metrics,
    });
    pipeline.start();
    const harness = { pipeline, deadLetters, deviceState, metrics, stateDb };
    running.push(harness);
    return harness;
  }

  function stopAndForget(h: Harness): void {
    running.splice(running.indexOf(h), 1);
    h.pipeline.stop();
    h.stateDb.close();
  }

  const totalDeadLetters = (h: Harness) => Object.values(h.deadLetters.counts()).reduce((a, b) => a + b, 0);

  it('valid traffic updates device state and counts messages per channel; no store, no pending metrics', async () => {
    const h = start();
    h.pipeline.handle(topic(BOX, 'status'), json({ state: 'online' }));
    h.pipeline.handle(topic(BOX, 'telemetry'), json(telemetry(NOW - 60_000)));
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-1', NOW - 30_000, 2.5)));
    h.pipeline.handle(topic(BOX_2, 'event/deposit'), json(deposit('d-1', NOW - 20_000, 4, 'glass')));
    h.pipeline.handle(topic(CAMERA, 'heartbeat'), json(heartbeat(NOW - 10_000)));

    expect(h.deviceState.get(BOX.id)).toMatchObject({ online: true, maxFillingLevel: 0.85, messagesReceived: 3 });
    expect(h.deviceState.get(BOX_2.id)).toMatchObject({ messagesReceived: 1 });
    expect(h.deviceState.get(CAMERA.id)).toMatchObject({ streamOk: true, frameRate: 25 });
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'event/deposit' })).toBe(2);
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'heartbeat' })).toBe(1);
    expect(totalDeadLetters(h)).toBe(0);
    // The store writes moved to TimeSeriesWriter; the in-memory buffer and its metrics are gone.
    for (const gone of ['binpulse_ingest_pending_records', 'binpulse_ingest_dropped_records_total', 'binpulse_store_write_errors_total']) {
      expect(h.metrics.getSingleMetric(gone)).toBeUndefined();
    }
  });

  it('dead-letters each invalid class with its reason, counted in SQLite and in the prom counter', async () => {
    const h = start();
    for (const [, t, payload] of INVALID) expect(() => h.pipeline.handle(t, payload)).not.toThrow();

    const one = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 1]));
    expect(h.deadLetters.counts()).toEqual(one);
    for (const reason of DEAD_LETTER_REASONS) {
      expect(await metricValue(h.metrics, 'binpulse_dead_letters_total', { reason })).toBe(1);
    }
    const recent = h.deadLetters.recent(10).reverse();
    expect(recent.map((d) => [d.reason, d.topic, d.deviceId])).toEqual(INVALID.map(([reason, t]) => [reason, t, t.split('/')[2]]));
    expect(recent[1]!.detail).toBe('temperatureC: Too big: expected number to be <=200');
    expect(recent[0]!.payloadPreview).toBe('\u0000\uFFFD\u00137');
    expect(h.deviceState.all().size).toBe(0);
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'telemetry' })).toBe(0);
  });

  it('handleEntries: valid traffic interleaved with garbage updates state and tells listeners, garbage is dead-lettered', async () => {
    const h = start();
    const accepted: string[] = [];
    h.pipeline.onAccepted((message) => accepted.push((message.payload as { eventId: string }).eventId));
    const rnd = seededRandom('interleaved');
    const publishes: [string, Buffer][] = [];
    let garbage = 0;
    for (let i = 0; i < 300; i++) {
      publishes.push([topic(i % 2 ? BOX : BOX_2, 'event/deposit'), json(deposit(`d-${i}`, NOW - i * 1000, 1))]);
      if (rnd.next() < 0.5) {
        const bytes = Buffer.alloc(1 + Math.floor(rnd.next() * 64));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd.next() * 256);
        publishes.push([topic(BOX, 'event/deposit'), bytes]);
        garbage++;
      }
    }
    const all = entries(publishes);
    for (let i = 0; i < all.length; i += 50) await h.pipeline.handleEntries(all.slice(i, i + 50));

    expect(garbage).toBeGreaterThan(100);
    expect(accepted).toEqual(Array.from({ length: 300 }, (_, i) => `d-${i}`));
    expect(h.deviceState.get(BOX.id)!.messagesReceived).toBe(150);
    expect(h.deviceState.get(BOX_2.id)!.messagesReceived).toBe(150);
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'event/deposit' })).toBe(300);
    expect(totalDeadLetters(h)).toBe(garbage);
    expect(await metricValue(h.metrics, 'binpulse_dead_letters_total', { reason: 'invalid_json' })).toBe(h.deadLetters.counts().invalid_json);
    expect(await metricValue(h.metrics, 'binpulse_ingest_handler_errors_total')).toBe(0);
  });

  it('handleEntries judges timestamps against entry.receivedAt, not now()', async () => {
    // now() is 8 days on: a reading stamped 2 h before its receipt would be too old by now(),
    // and one stamped "now" would be fine by now() but is 2 h in the future of its receipt.
    const later = NOW + 8 * 24 * HOUR_MS;
    const h = start({ now: () => later });
    const receivedAt = NOW - 2 * HOUR_MS;
    const seen: number[] = [];
    h.pipeline.onAccepted((_m, _d, receivedAtMs) => seen.push(receivedAtMs));
    await h.pipeline.handleEntries(
      entries(
        [
          [topic(BOX, 'telemetry'), json(telemetry(NOW - 2 * HOUR_MS))],
          [topic(BOX, 'event/deposit'), json(deposit('d-future', NOW))],
        ],
        receivedAt,
      ),
    );

    expect(seen).toEqual([receivedAt]);
    expect(h.deviceState.get(BOX.id)).toMatchObject({ messagesReceived: 1, lastSeen: new Date(receivedAt).toISOString() });
    const [deadLetter] = h.deadLetters.recent(10);
    expect(deadLetter).toMatchObject({ reason: 'timestamp_out_of_range', receivedAt: new Date(receivedAt).toISOString() });
    expect(deadLetter!.detail).toContain(`ts ${iso(NOW)} is 7200 s in the future`);

    // handle() without a receive time still judges against now().
    h.pipeline.handle(topic(BOX_2, 'telemetry'), json(telemetry(NOW - 2 * HOUR_MS)));
    expect(h.deviceState.get(BOX_2.id)).toBeUndefined();
    expect(h.deadLetters.counts().timestamp_out_of_range).toBe(2);
  });

  it('replaying the same entries records each dead letter once and counts it once', async () => {
    const h = start();
    const batch = entries(
      [
        ...INVALID.map(([, t, payload]): [string, Buffer] => [t, payload]),
        [topic(BOX, 'event/deposit'), json(deposit('d-ok'))],
      ],
      NOW - 1000,
      41,
    );
    await h.pipeline.handleEntries(batch);
    await h.pipeline.handleEntries(batch); // the consumer crashed before committing: handled again

    const one = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 1]));
    expect(h.deadLetters.counts()).toEqual(one);
    for (const reason of DEAD_LETTER_REASONS) {
      expect(await metricValue(h.metrics, 'binpulse_dead_letters_total', { reason })).toBe(1);
    }
    expect(h.deadLetters.recent(100)).toHaveLength(INVALID.length);
    expect(await metricValue(h.metrics, 'binpulse_ingest_handler_errors_total')).toBe(0);

    // A restart (new store on the same file) does not forget what was recorded.
    stopAndForget(h);
    const again = start();
    await again.pipeline.handleEntries(batch);
    expect(again.deadLetters.counts()).toEqual(one);
    expect(await metricValue(again.metrics, 'binpulse_dead_letters_total', { reason: 'invalid_json' })).toBe(0);

    // Without a seq (handle() called directly), every call is a new dead letter, as before.
    again.pipeline.handle(INVALID[0]![1], INVALID[0]![2]);
    again.pipeline.handle(INVALID[0]![1], INVALID[0]![2]);
    expect(again.deadLetters.counts().invalid_json).toBe(3);
  });

  it('device state persists across stop and start (offline until the device reconnects)', async () => {
    const first = start();
    await first.pipeline.handleEntries(
      entries([
        [topic(BOX, 'telemetry'), json(telemetry())],
        [topic(BOX, 'event/fault'), json(fault('f-1', 'tamper', true))],
        [topic(BOX, 'event/deposit'), json(deposit('d-1'))],
      ]),
    );
    const before = first.deviceState.get(BOX.id)!;
    expect(before.messagesReceived).toBe(3);
    stopAndForget(first);

    const later = NOW + HOUR_MS;
    const second = start({ now: () => later });
    const after = second.deviceState.get(BOX.id);
    expect(after).toEqual({ ...before, online: false, statusChangedAt: new Date(later).toISOString(), offlineReason: null });
    expect(after!.activeFaults).toEqual(['tamper']);

    second.pipeline.deviceConnection({ deviceId: BOX.id, connected: true, reason: null });
    expect(second.deviceState.get(BOX.id)!.online).toBe(true);
  });

  it('connection events: a close marks the device offline with its reason; unknown devices are ignored', () => {
    const h = start();
    h.pipeline.handle(topic(BOX, 'status'), json({ state: 'online' }));
    h.pipeline.deviceConnection({ deviceId: BOX.id, connected: false, reason: 'keepalive_timeout' });
    expect(h.deviceState.get(BOX.id)).toMatchObject({ online: false, lastSeen: new Date(NOW).toISOString(), offlineReason: 'keepalive_timeout' });
    h.pipeline.deviceConnection({ deviceId: 'box-9999', connected: true, reason: null });
    h.pipeline.deviceConnection({ deviceId: BOX_2.id, connected: false, reason: 'last_will' });
    expect([...h.deviceState.all().keys()]).toEqual([BOX.id]);
  });

  it('devices found silent read offline (silent) from when their timeout ran out; unknown ones are skipped', () => {
    const h = start();
    h.pipeline.handle(topic(BOX, 'status'), json({ state: 'online' }));
    h.pipeline.devicesSilent([
      { deviceId: 'box-9999', sinceMs: NOW + 1000 },
      { deviceId: BOX.id, sinceMs: NOW + 15 * 60_000 },
    ]);
    expect(h.deviceState.get(BOX.id)).toMatchObject({
      online: false,
      offlineReason: 'silent',
      statusChangedAt: new Date(NOW + 15 * 60_000).toISOString(),
    });
    expect(h.deviceState.get('box-9999')).toBeUndefined();
  });

  it('tells onAccepted listeners about valid messages only; a failing listener harms nothing', () => {
    const h = start();
    const seen: string[] = [];
    h.pipeline.onAccepted(() => {
      throw new Error('alert engine bug');
    });
    const unsubscribe = h.pipeline.onAccepted((message, device) => seen.push(`${device.kind}:${message.channel}`));
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-1')));
    h.pipeline.handle(topic(CAMERA, 'telemetry'), json(telemetry()));
    h.pipeline.handle(topic(CAMERA, 'heartbeat'), json(heartbeat()));
    unsubscribe();
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-2')));
    expect(seen).toEqual(['box:event/deposit', 'camera:heartbeat']);
    expect(h.deviceState.get(BOX.id)!.messagesReceived).toBe(2);
  });

  it('handle never throws and handleEntries never rejects, even when its own stores fail', async () => {
    const h = start();
    running.splice(running.indexOf(h), 1);
    h.stateDb.close();
    expect(() => h.pipeline.handle(topic(BOX, 'telemetry'), Buffer.from('not json'))).not.toThrow();
    await expect(h.pipeline.handleEntries(entries([[topic(BOX, 'telemetry'), Buffer.from('{')]]))).resolves.toBeUndefined();
    expect(await metricValue(h.metrics, 'binpulse_ingest_handler_errors_total')).toBe(2);
  });
});

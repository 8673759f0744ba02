import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEAD_LETTER_REASONS, type DeadLetterReason } from '../../../shared/contracts/index.ts';
import { seededRandom } from '../../../shared/random.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline, type IngestBatching } from '../../../services/ingest/pipeline.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/platform/adapters/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../../../services/timeseries/core/store.ts';
import { FlakyStore, metricValue } from './test-doubles.ts';
import { BOX, BOX_2, CAMERA, NOW, deposit, fault, heartbeat, json, lookup, telemetry, topic } from '../../unit/ingest/fixtures.ts';

const logger = pino({ level: 'silent' });
const TODAY = { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 };
/** Large enough that only explicit flush()/stop() write in tests that count writes. */
const MANUAL_FLUSH: Partial<IngestBatching> = { flushIntervalMs: 3_600_000 };

interface Harness {
  pipeline: IngestPipeline;
  store: TimeSeriesStore;
  deadLetters: SqliteDeadLetterStore;
  deviceState: SqliteDeviceStateStore;
  metrics: Registry;
  stateDb: SqliteDatabase;
}

describe('IngestPipeline with real SQLite files', () => {
  let dir: string;
  const running: Harness[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-ingest-'));
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const h of running.splice(0)) {
      await h.pipeline.stop();
      await h.store.close();
      h.stateDb.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function start(
    options: { wrapStore?: (s: TimeSeriesStore) => TimeSeriesStore; batching?: Partial<IngestBatching>; now?: () => number } = {},
  ): Harness {
    const metrics = new Registry();
    const stateDb = openDatabase(join(dir, 'ingest.db'));
    const deadLetters = new SqliteDeadLetterStore(stateDb, { metrics });
    const deviceState = new SqliteDeviceStateStore(stateDb, { logger, now: options.now ?? (() => NOW) });
    const sqliteStore = new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: 480 });
    const store = options.wrapStore ? options.wrapStore(sqliteStore) : sqliteStore;
    const pipeline = new IngestPipeline({
      registry: { get: lookup([BOX, BOX_2, CAMERA]) },
      store,
      deadLetters,
      deviceState,
      now: options.now ?? (() => NOW),
      limits: { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS },
      logger,
      metrics,
      batching: options.batching,
    });
    pipeline.start();
    const harness = { pipeline, store, deadLetters, deviceState, metrics, stateDb };
    running.push(harness);
    return harness;
  }

  async function stopAndForget(h: Harness): Promise<void> {
    running.splice(running.indexOf(h), 1);
    await h.pipeline.stop();
    await h.store.close();
    h.stateDb.close();
  }

  it('stores valid traffic, updates device state and counts messages per channel', async () => {
    const h = start();
    h.pipeline.handle(topic(BOX, 'status'), json({ state: 'online' }));
    h.pipeline.handle(topic(BOX, 'telemetry'), json(telemetry(NOW - 60_000)));
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-1', NOW - 30_000, 2.5)));
    h.pipeline.handle(topic(BOX_2, 'event/deposit'), json(deposit('d-1', NOW - 20_000, 4, 'glass')));
    h.pipeline.handle(topic(CAMERA, 'heartbeat'), json(heartbeat(NOW - 10_000)));
    await h.pipeline.flush();

    const series = await h.store.deviceSeries(BOX.id, { from: NOW - HOUR_MS, to: NOW + 1 }, 100);
    expect(series.filter((p) => p.metric === 'fillingLevel').map((p) => [p.category, p.value])).toEqual([
      ['paper', 0.4],
      ['plastic', 0.85],
    ]);
    expect(series.at(-1)).toEqual({ ts: new Date(NOW - 30_000).toISOString(), metric: 'depositKg', category: 'paper', value: 2.5 });
    expect(await h.store.deviceSeries(CAMERA.id, { from: NOW - HOUR_MS, to: NOW }, 10)).toHaveLength(2);
    const tonnage = await h.store.tonnage(TODAY);
    expect(tonnage.map((r) => [r.subdistrict, r.category, r.kg])).toEqual([
      ['hongmei', 'paper', 2.5],
      ['lanling', 'glass', 4],
    ]);

    expect(h.deviceState.get(BOX.id)).toMatchObject({ online: true, maxFillingLevel: 0.85, messagesReceived: 3 });
    expect(h.deviceState.get(CAMERA.id)).toMatchObject({ streamOk: true, frameRate: 25 });
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'event/deposit' })).toBe(2);
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'heartbeat' })).toBe(1);
    expect(await metricValue(h.metrics, 'binpulse_ingest_pending_records')).toBe(0);
    expect(Object.values(h.deadLetters.counts()).every((n) => n === 0)).toBe(true);
  });

  it('dead-letters each invalid class with its reason, counted in SQLite and in the prom counter', async () => {
    const h = start();
    const invalid: [DeadLetterReason, string, Buffer][] = [
      ['invalid_json', topic(BOX, 'telemetry'), Buffer.from([0x00, 0xff, 0x13, 0x37])],
      ['schema_violation', topic(BOX, 'telemetry'), json(telemetry(NOW, { temperatureC: 999 }))],
      ['unknown_topic', topic(BOX, 'firmware/update'), json({})],
      ['unknown_device', topic('box-9999', 'telemetry'), json(telemetry())],
      ['kind_mismatch', topic(CAMERA, 'telemetry'), json(telemetry())],
      ['timestamp_out_of_range', topic(BOX, 'event/deposit'), json(deposit('d-1', NOW + HOUR_MS))],
    ];
    for (const [, t, payload] of invalid) expect(() => h.pipeline.handle(t, payload)).not.toThrow();
    await h.pipeline.flush();

    const one = Object.fromEntries(DEAD_LETTER_REASONS.map((r) => [r, 1]));
    expect(h.deadLetters.counts()).toEqual(one);
    for (const reason of DEAD_LETTER_REASONS) {
      expect(await metricValue(h.metrics, 'binpulse_dead_letters_total', { reason })).toBe(1);
    }
    const recent = h.deadLetters.recent(10).reverse();
    expect(recent.map((d) => [d.reason, d.topic, d.deviceId])).toEqual(
      invalid.map(([reason, t]) => [reason, t, t.split('/')[2]]),
    );
    expect(recent[1]!.detail).toBe('temperatureC: Too big: expected number to be <=200');
    expect(recent[0]!.payloadPreview).toBe('\u0000\uFFFD\u00137');
    expect(await h.store.tonnage(TODAY)).toEqual([]);
    expect(h.deviceState.all().size).toBe(0);
    expect(await metricValue(h.metrics, 'binpulse_ingest_messages_total', { channel: 'telemetry' })).toBe(0);
  });

  it('stores all valid traffic interleaved with garbage', async () => {
    const h = start({ batching: { maxBatchRecords: 50 } });
    const rnd = seededRandom('interleaved');
    let garbage = 0;
    for (let i = 0; i < 300; i++) {
      h.pipeline.handle(topic(i % 2 ? BOX : BOX_2, 'event/deposit'), json(deposit(`d-${i}`, NOW - i * 1000, 1)));
      if (rnd.next() < 0.5) {
        const bytes = Buffer.alloc(1 + Math.floor(rnd.next() * 64));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd.next() * 256);
        h.pipeline.handle(topic(BOX, 'event/deposit'), bytes);
        garbage++;
      }
    }
    await h.pipeline.flush();
    const rows = await h.store.tonnage(TODAY);
    expect(rows.reduce((n, r) => n + r.deposits, 0)).toBe(300);
    expect(rows.reduce((kg, r) => kg + r.kg, 0)).toBe(300);
    expect(garbage).toBeGreaterThan(100);
    expect(Object.values(h.deadLetters.counts()).reduce((a, b) => a + b, 0)).toBe(garbage);
  });

  it('writes a full batch at once, without waiting for the interval', () => {
    const writes: number[] = [];
    const h = start({
      batching: { ...MANUAL_FLUSH, maxBatchRecords: 5 },
      wrapStore: (inner) => Object.assign(Object.create(inner) as TimeSeriesStore, {
        write: (records: readonly TimeSeriesRecord[]) => {
          writes.push(records.length);
          return inner.write(records);
        },
      }),
    });
    for (let i = 0; i < 4; i++) h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit(`d-${i}`)));
    expect(writes).toEqual([]);
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-4')));
    expect(writes).toEqual([5]);
  });

  it('flushes on the interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const h = start();
    h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-1')));
    expect(h.pipeline.pendingRecords()).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.pipeline.pendingRecords()).toBe(0);
    expect((await h.store.tonnage(TODAY))[0]!.deposits).toBe(1);
  });

  it('a store that fails twice loses nothing: the batch is retried on the next flush', async () => {
    let flaky: FlakyStore | undefined;
    const h = start({ batching: MANUAL_FLUSH, wrapStore: (inner) => (flaky = new FlakyStore(inner, 2)) });
    for (let i = 0; i < 20; i++) h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit(`d-${i}`, NOW - i, 0.5)));
    await h.pipeline.flush();
    h.pipeline.handle(topic(BOX, 'telemetry'), json(telemetry()));
    await h.pipeline.flush();
    expect(h.pipeline.pendingRecords()).toBe(21);
    expect(await metricValue(h.metrics, 'binpulse_ingest_pending_records')).toBe(21);
    expect(await metricValue(h.metrics, 'binpulse_store_write_errors_total')).toBe(2);
    await h.pipeline.flush();

    expect(h.pipeline.pendingRecords()).toBe(0);
    expect(flaky!.writes).toBe(3);
    const rows = await h.store.tonnage(TODAY);
    expect(rows).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 10, deposits: 20 }]);
    expect(await h.store.deviceSeries(BOX.id, { from: NOW, to: NOW + 1 }, 100)).not.toEqual([]);
    expect(await metricValue(h.metrics, 'binpulse_ingest_dropped_records_total')).toBe(0);
  });

  it('bounds what waits for a failing store, dropping the oldest and counting them', async () => {
    const h = start({
      batching: { ...MANUAL_FLUSH, maxPendingRecords: 10, maxBatchRecords: 4 },
      wrapStore: (inner) => new FlakyStore(inner, 1),
    });
    const send = (i: number) => h.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit(`d-${i}`, NOW - (25 - i) * 1000)));
    for (let i = 0; i < 3; i++) send(i);
    await h.pipeline.flush(); // fails: the 3 records stay
    for (let i = 3; i < 25; i++) send(i);
    expect(h.pipeline.pendingRecords()).toBe(10);
    expect(await metricValue(h.metrics, 'binpulse_ingest_dropped_records_total')).toBe(15);
    await h.pipeline.flush();
    const kept = await h.store.deviceSeries(BOX.id, { from: NOW - HOUR_MS, to: NOW }, 100);
    expect(kept.map((p) => Date.parse(p.ts))).toEqual(Array.from({ length: 10 }, (_, k) => NOW - (10 - k) * 1000));
    expect((await h.store.tonnage(TODAY))[0]!.deposits).toBe(10);
  });

  it('device state persists across stop and start (offline until the device reconnects)', async () => {
    const first = start();
    first.pipeline.handle(topic(BOX, 'telemetry'), json(telemetry()));
    first.pipeline.handle(topic(BOX, 'event/fault'), json(fault('f-1', 'tamper', true)));
    first.pipeline.handle(topic(BOX, 'event/deposit'), json(deposit('d-1')));
    const before = first.deviceState.get(BOX.id)!;
    await stopAndForget(first);

    const later = NOW + HOUR_MS;
    const second = start({ now: () => later });
    const after = second.deviceState.get(BOX.id);
    expect(after).toEqual({ ...before, online: false, statusChangedAt: new Date(later).toISOString() });
    expect(after!.activeFaults).toEqual(['tamper']);
    // The deposit buffered before stop was written by stop().
    expect((await second.store.tonnage(TODAY))[0]!.deposits).toBe(1);

    second.pipeline.deviceConnection(BOX.id, true);
    expect(second.deviceState.get(BOX.id)!.online).toBe(true);
  });

  it('connection events: a close marks the device offline; unknown devices are ignored', () => {
    const h = start();
    h.pipeline.handle(topic(BOX, 'status'), json({ state: 'online' }));
    h.pipeline.deviceConnection(BOX.id, false);
    expect(h.deviceState.get(BOX.id)).toMatchObject({ online: false, lastSeen: new Date(NOW).toISOString() });
    h.pipeline.deviceConnection('box-9999', true);
    h.pipeline.deviceConnection(BOX_2.id, false);
    expect([...h.deviceState.all().keys()]).toEqual([BOX.id]);
  });

  it('tells onAccepted listeners about valid messages only; a failing listener harms nothing', async () => {
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
    await h.pipeline.flush();
    expect((await h.store.tonnage(TODAY))[0]!.deposits).toBe(2);
  });

  it('handle never throws, even when its own stores fail', async () => {
    const h = start();
    h.stateDb.close();
    expect(() => h.pipeline.handle(topic(BOX, 'telemetry'), Buffer.from('not json'))).not.toThrow();
    expect(await metricValue(h.metrics, 'binpulse_ingest_handler_errors_total')).toBe(1);
    running.splice(running.indexOf(h), 1);
    await h.pipeline.stop();
    await h.store.close();
  });
});

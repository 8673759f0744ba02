import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../shared/units.ts';
import { TimeSeriesWriter } from '../../../services/ingest/timeseries-writer.ts';
import type { JournalEntry } from '../../../services/journal/core/ports.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { Device } from '../../../shared/contracts/index.ts';
import { StoreDownError, SwitchableStore, metricValue } from './test-doubles.ts';
import { BOX, BOX_2, CAMERA, NOW, deposit, heartbeat, json, lookup, telemetry, topic } from '../../unit/ingest/fixtures.ts';

const TODAY = { fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 };
const LIMITS = { maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };

function entries(publishes: [string, Buffer][], receivedAt = NOW, firstSeq = 1): JournalEntry[] {
  return publishes.map(([t, payload], i) => ({ seq: firstSeq + i, deviceId: t.split('/')[2] ?? '', topic: t, payload, receivedAt }));
}

interface Harness {
  writer: TimeSeriesWriter;
  store: SwitchableStore;
  metrics: Registry;
  logs: Array<Record<string, unknown>>;
}

describe('TimeSeriesWriter with a real SQLite store', () => {
  let dir: string;
  const open: SwitchableStore[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-tsw-'));
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(lookupDevice: (id: string) => Device | undefined = lookup([BOX, BOX_2, CAMERA])): Harness {
    const metrics = new Registry();
    const logs: Harness['logs'] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
    const store = new SwitchableStore(new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: 480 }));
    open.push(store);
    const writer = new TimeSeriesWriter({ registry: { get: lookupDevice }, store, limits: LIMITS, logger, metrics });
    return { writer, store, metrics, logs };
  }

  it('stores the valid entries in one write and skips the invalid ones silently', async () => {
    const h = start();
    await h.writer.writeEntries(
      entries([
        [topic(BOX, 'status'), json({ state: 'online' })],
        [topic(BOX, 'telemetry'), json(telemetry(NOW - 60_000))],
        [topic(BOX, 'telemetry'), Buffer.from('{ not json')],
        [topic(BOX, 'event/deposit'), json(deposit('d-1', NOW - 30_000, 2.5))],
        [topic('box-9999', 'event/deposit'), json(deposit('d-x'))],
        [topic(CAMERA, 'telemetry'), json(telemetry())],
        [topic(BOX_2, 'event/deposit'), json(deposit('d-1', NOW - 20_000, 4, 'glass'))],
        [topic(BOX, 'event/deposit'), json(deposit('d-late', NOW + HOUR_MS))],
        [topic(CAMERA, 'heartbeat'), json(heartbeat(NOW - 10_000))],
      ]),
    );

    expect(h.store.attempts).toBe(1);
    expect(h.store.stored[0]!.map((r) => r.type)).toEqual(['status', 'box_reading', 'deposit', 'deposit', 'camera_heartbeat']);
    const series = await h.store.deviceSeries(BOX.id, { from: NOW - HOUR_MS, to: NOW + 1 }, 100);
    expect(series.filter((p) => p.metric === 'fillingLevel').map((p) => [p.category, p.value])).toEqual([
      ['paper', 0.4],
      ['plastic', 0.85],
    ]);
    expect(series.at(-1)).toEqual({ ts: new Date(NOW - 30_000).toISOString(), metric: 'depositKg', category: 'paper', value: 2.5 });
    expect(await h.store.deviceSeries(CAMERA.id, { from: NOW - HOUR_MS, to: NOW }, 10)).toHaveLength(2);
    expect((await h.store.tonnage(TODAY)).map((r) => [r.subdistrict, r.category, r.kg])).toEqual([
      ['hongmei', 'paper', 2.5],
      ['lanling', 'glass', 4],
    ]);
    expect(await metricValue(h.metrics, 'binpulse_timeseries_records_written_total')).toBe(5);
    expect(await metricValue(h.metrics, 'binpulse_store_write_errors_total')).toBe(0);
    expect(h.logs).toEqual([]);
  });

  it('does not call the store for a batch without valid entries', async () => {
    const h = start();
    await h.writer.writeEntries(entries([[topic(BOX, 'telemetry'), Buffer.from([0xff])]]));
    await h.writer.writeEntries([]);
    expect(h.store.attempts).toBe(0);
  });

  it('judges timestamps against entry.receivedAt (a backlog replayed days later is still valid)', async () => {
    const h = start();
    const receivedAt = NOW - 8 * 24 * HOUR_MS; // a reading this old would be out of range against NOW
    await h.writer.writeEntries(
      entries(
        [
          [topic(BOX, 'event/deposit'), json(deposit('d-old', receivedAt - 2 * HOUR_MS, 3))],
          [topic(BOX, 'event/deposit'), json(deposit('d-future', receivedAt + HOUR_MS, 5))],
        ],
        receivedAt,
      ),
    );
    expect(h.store.stored.flat().map((r) => (r as { eventId: string }).eventId)).toEqual(['d-old']);
  });

  it('a replay of the same batch stores nothing twice', async () => {
    const h = start();
    const batch = entries(
      Array.from({ length: 20 }, (_, i): [string, Buffer] => [topic(BOX, 'event/deposit'), json(deposit(`d-${i}`, NOW - i * 1000, 0.5))]).concat([
        [topic(BOX, 'telemetry'), json(telemetry(NOW - 500))],
      ]),
    );
    await h.writer.writeEntries(batch);
    const tonnage = await h.store.tonnage(TODAY);
    const series = await h.store.deviceSeries(BOX.id, { from: NOW - HOUR_MS, to: NOW + 1 }, 1000);
    expect(tonnage).toEqual([{ day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 10, deposits: 20 }]);

    await h.writer.writeEntries(batch); // handled again after a crash before the commit
    expect(h.store.attempts).toBe(2);
    expect(await h.store.tonnage(TODAY)).toEqual(tonnage);
    expect(await h.store.deviceSeries(BOX.id, { from: NOW - HOUR_MS, to: NOW + 1 }, 1000)).toEqual(series);
  });

  it('a failing store rejects the batch (counted, logged with its hints); the retry stores all of it', async () => {
    const h = start();
    const batch = entries(
      Array.from({ length: 10 }, (_, i): [string, Buffer] => [topic(BOX, 'event/deposit'), json(deposit(`d-${i}`, NOW - i * 1000, 1))]),
      NOW,
      101,
    );
    h.store.down = true;
    await expect(h.writer.writeEntries(batch)).rejects.toBeInstanceOf(StoreDownError);
    await expect(h.writer.writeEntries(batch)).rejects.toBeInstanceOf(StoreDownError);
    expect(await metricValue(h.metrics, 'binpulse_store_write_errors_total')).toBe(2);
    expect(await metricValue(h.metrics, 'binpulse_timeseries_records_written_total')).toBe(0);
    expect(await h.store.tonnage(TODAY)).toEqual([]);
    // One warning per outage, with what the store said about retrying; the repeats at debug.
    expect(h.logs.map((l) => [l.level, l.msg])).toEqual([
      [40, 'time-series write failed; the batch will be retried'],
      [20, 'time-series write failed again'],
    ]);
    expect(h.logs[0]).toMatchObject({ records: 10, from: 101, upTo: 110, retriable: true, retryAfterMs: 5 });

    h.store.down = false;
    await h.writer.writeEntries(batch);
    expect((await h.store.tonnage(TODAY))[0]).toMatchObject({ kg: 10, deposits: 10 });
    expect(await metricValue(h.metrics, 'binpulse_timeseries_records_written_total')).toBe(10);
    expect(h.logs.at(-1)).toMatchObject({ level: 30, msg: 'time-series writes recovered' });
  });

  it('a failing registry rejects the batch instead of skipping its entries', async () => {
    const h = start(() => {
      throw new Error('registry database locked');
    });
    await expect(h.writer.writeEntries(entries([[topic(BOX, 'event/deposit'), json(deposit('d-1'))]]))).rejects.toThrow(/locked/);
    expect(h.store.attempts).toBe(0);
  });
});

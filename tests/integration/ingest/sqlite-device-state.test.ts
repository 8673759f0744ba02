import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceMessage } from '../../../shared/contracts/index.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { emptyDeviceState } from '../../../shared/contracts/index.ts';
import { applyConnection, applyMessage } from '../../../services/ingest/core/device-state.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { NOW, fault, telemetry } from '../../unit/ingest/fixtures.ts';

const logger = pino({ level: 'silent' });
const seen = (at = NOW) => {
  let state = applyMessage(emptyDeviceState(), { deviceId: 'box-0001', channel: 'telemetry', payload: telemetry() } as DeviceMessage, at);
  state = applyMessage(state, { deviceId: 'box-0001', channel: 'event/fault', payload: fault('f-1', 'tilt', true) } as DeviceMessage, at);
  return state;
};

describe('SqliteDeviceStateStore', () => {
  let dir: string;
  const dbs: SqliteDatabase[] = [];
  const db = () => {
    const d = openDatabase(join(dir, 'ingest.db'));
    dbs.push(d);
    return d;
  };
  const persistedCount = (d: SqliteDatabase) => (d.prepare('SELECT COUNT(*) AS n FROM device_states').get() as { n: number }).n;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'binpulse-state-'));
  });
  afterEach(() => {
    vi.useRealTimers();
    for (const d of dbs.splice(0)) if (d.open) d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves states from memory and persists them on stop', () => {
    const conn = db();
    const store = new SqliteDeviceStateStore(conn, { logger, now: () => NOW });
    store.start();
    const state = seen();
    store.put('box-0001', state);
    expect(store.get('box-0001')).toBe(state);
    expect([...store.all().keys()]).toEqual(['box-0001']);
    expect(persistedCount(conn)).toBe(0);
    store.stop();
    expect(persistedCount(conn)).toBe(1);
  });

  it('persists changed states every interval, in the background', async () => {
    vi.useFakeTimers();
    const conn = db();
    const store = new SqliteDeviceStateStore(conn, { logger, now: () => NOW, persistIntervalMs: 2000 });
    store.start();
    store.put('box-0001', seen());
    store.put('box-0002', emptyDeviceState());
    await vi.advanceTimersByTimeAsync(2000);
    expect(persistedCount(conn)).toBe(2);
    store.stop();
  });

  it('after a restart: last known state, every device offline, lastSeen kept', () => {
    const first = new SqliteDeviceStateStore(db(), { logger, now: () => NOW });
    first.start();
    const before = seen(NOW);
    expect(before.online).toBe(true);
    first.put('box-0001', before);
    first.stop();

    const restartAt = NOW + 3_600_000;
    const second = new SqliteDeviceStateStore(db(), { logger, now: () => restartAt });
    expect(second.get('box-0001')).toBeUndefined();
    second.start();
    expect(second.get('box-0001')).toEqual({ ...before, online: false, statusChangedAt: new Date(restartAt).toISOString(), offlineReason: null });
    expect(second.get('box-0001')!.lastSeen).toBe(new Date(NOW).toISOString());
    second.stop();

    // The offline mark was persisted too.
    const third = new SqliteDeviceStateStore(db(), { logger, now: () => restartAt + 1 });
    third.start();
    expect(third.get('box-0001')!.statusChangedAt).toBe(new Date(restartAt).toISOString());
    third.stop();
  });

  it('keeps an offline device\'s reason and since-when over a restart', () => {
    const first = new SqliteDeviceStateStore(db(), { logger, now: () => NOW });
    first.start();
    const dropped = applyConnection(seen(NOW), false, 'keepalive_timeout', NOW + 90_000);
    first.put('box-0001', dropped);
    first.stop();

    const second = new SqliteDeviceStateStore(db(), { logger, now: () => NOW + 3_600_000 });
    second.start();
    expect(second.get('box-0001')).toEqual(dropped);
    expect(second.get('box-0001')).toMatchObject({ offlineReason: 'keepalive_timeout', statusChangedAt: new Date(NOW + 90_000).toISOString() });
    second.stop();
  });

  it('loads states persisted before offlineReason existed, without a reason', () => {
    const conn = db();
    new SqliteDeviceStateStore(conn, { logger });
    const { offlineReason: _, ...legacy } = applyConnection(seen(NOW), false, 'last_will', NOW + 1000);
    conn.prepare("INSERT INTO device_states VALUES ('box-0001', ?, 0)").run(JSON.stringify(legacy));
    const store = new SqliteDeviceStateStore(conn, { logger, now: () => NOW + 5000 });
    store.start();
    expect(store.get('box-0001')).toEqual({ ...legacy, offlineReason: null });
    store.stop();
  });

  it('skips unreadable persisted rows instead of failing to start', () => {
    const conn = db();
    new SqliteDeviceStateStore(conn, { logger });
    conn.prepare("INSERT INTO device_states VALUES ('box-0009', '{not json', 0), ('box-0008', '{\"online\":1}', 0)").run();
    const store = new SqliteDeviceStateStore(conn, { logger });
    store.start();
    expect(store.all().size).toBe(0);
    store.stop();
  });

  it('keeps states dirty when persisting fails, and writes them on the next try', () => {
    const conn = db();
    const store = new SqliteDeviceStateStore(conn, { logger, now: () => NOW });
    store.start();
    store.put('box-0001', seen());
    conn.exec('CREATE TRIGGER block BEFORE INSERT ON device_states BEGIN SELECT RAISE(ABORT, \'disk full\'); END');
    expect(() => store.persist()).not.toThrow();
    expect(persistedCount(conn)).toBe(0);
    conn.exec('DROP TRIGGER block');
    store.stop();
    expect(persistedCount(conn)).toBe(1);
  });
});

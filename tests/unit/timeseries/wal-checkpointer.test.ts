import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import { WalCheckpointer } from '../../../services/timeseries/adapters/wal-checkpointer.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';

const box: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' };
const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const readings = (from: number, n: number): TimeSeriesRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'box_reading',
    tags: { ...box, deviceId: `box-${(from + i) % 600}` },
    ts: T0 + from + i,
    compartments: [
      { category: 'paper', fillingLevel: 0.5, weightKg: 40 },
      { category: 'plastic', fillingLevel: 0.25, weightKg: 8 },
    ],
    temperatureC: 20,
    batteryPercent: 80,
    rssiDbm: -70,
    lidOpen: false,
  }));

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
};

describe('WAL checkpoints off the event loop (issue 16)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-wal-'));
    dirs.push(dir);
    return join(dir, 'timeseries.db');
  };

  it('the store turns SQLite’s own checkpoints off; its worker keeps the log from growing, and the data is whole after close', async () => {
    const file = tempFile();
    const db = openDatabase(file);
    const store = new SqliteTimeSeriesStore(db, { utcOffsetMinutes: 480 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // Writes with a pause between them, as the journal's batches come: the worker checkpoints
    // in the pauses, so the log is reset and reused instead of holding every page written
    // (40 batches of 1,500 rows plus indexes: ~50 MB).
    for (let batch = 0; batch < 40; batch++) {
      await store.write(readings(batch * 500, 500));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(statSync(`${file}-wal`).size).toBeLessThan(8 * 1024 * 1024);
    await store.close();

    const reopened = openDatabase(file);
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM compartment_readings').get()).toEqual({ n: 2 * 20_000 });
    reopened.close();
  });

  it('a worker that cannot open the file says so once (the store then turns SQLite’s own checkpoints back on)', async () => {
    const failures: unknown[] = [];
    const checkpointer = new WalCheckpointer(join(tempFile(), 'no', 'such', 'dir.db'), (error) => failures.push(error));
    checkpointer.request();
    await until(() => failures.length > 0, 'the failure was reported');
    checkpointer.request(); // does nothing now
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(failures).toHaveLength(1);
    await checkpointer.stop();
  });

  it('close() ends the worker even with checkpoints asked for and running', async () => {
    const store = new SqliteTimeSeriesStore(openDatabase(tempFile()), { utcOffsetMinutes: 480 });
    for (let batch = 0; batch < 5; batch++) await store.write(readings(batch * 200, 200));
    await store.close();
    await store.close(); // twice is harmless
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord } from '../../services/timeseries/core/store.ts';
import { describeTimeSeriesStore } from './timeseries-store.contract.ts';

describeTimeSeriesStore('SqliteTimeSeriesStore', async ({ utcOffsetMinutes }) => {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-ts-'));
  const store = new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes });
  return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

describe('SqliteTimeSeriesStore specifics', () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-ts-'));
    dirs.push(dir);
    return join(dir, 'timeseries.db');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const tags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' } as const;
  // 2026-11-26 23:30 in UTC+8 = 15:30 UTC: the 26th at +480, the 27th at +540 (00:30).
  const lateDeposit: TimeSeriesRecord = {
    type: 'deposit',
    tags,
    ts: Date.parse('2026-11-26T15:30:00Z'),
    eventId: 'd-1',
    category: 'paper',
    weightKg: 2.5,
    points: 5,
  };

  it('refuses a tonnage query at another UTC offset than the rollup was built with', async () => {
    const store = new SqliteTimeSeriesStore(openDatabase(tempFile()), { utcOffsetMinutes: 480 });
    await expect(store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 0 })).rejects.toThrow(
      /rolled up at UTC offset 480/,
    );
    await store.close();
  });

  it('keeps data across reopening, and rebuilds the rollup when the offset changed', async () => {
    const file = tempFile();
    const first = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
    await first.write([lateDeposit]);
    await first.close();

    const same = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
    expect(await same.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-27', utcOffsetMinutes: 480 })).toEqual([
      { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 2.5, deposits: 1 },
    ]);
    await same.write([lateDeposit]); // a replay after the restart
    await same.close();

    const moved = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 540 });
    expect(await moved.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-27', utcOffsetMinutes: 540 })).toEqual([
      { day: '2026-11-27', category: 'paper', subdistrict: 'hongmei', kg: 2.5, deposits: 1 },
    ]);
    await moved.close();
  });

  it('tonnage reads the daily rollup, which holds exact integer milligrams', async () => {
    const file = tempFile();
    const store = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
    const small = (i: number): TimeSeriesRecord => ({ ...lateDeposit, eventId: `d-${i}`, weightKg: 0.1 });
    await store.write(Array.from({ length: 3 }, (_, i) => small(i)));
    await store.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT day, subdistrict, category, mg, deposits FROM tonnage_daily').all()).toEqual([
      { day: '2026-11-26', subdistrict: 'hongmei', category: 'paper', mg: 300_000, deposits: 3 },
    ]);
    // Tampering with the rollup shows in the report: the deposits table is not what it reads.
    db.prepare('UPDATE tonnage_daily SET mg = 1000000').run();
    db.close();
    const reopened = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
    expect((await reopened.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 }))[0]!.kg).toBe(1);
    await reopened.close();
  });

  it('series queries use the (device_id, ts) keys, not a table scan', () => {
    const db = openDatabase(tempFile());
    const store = new SqliteTimeSeriesStore(db, { utcOffsetMinutes: 480 });
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM deposits WHERE device_id = ? AND ts >= ? AND ts < ?')
      .all('box-0001', 0, 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX deposits_device_ts/);
    void store.close();
  });
});

describe('SqliteTimeSeriesStore: a file from before deposits kept the resident (issue 14)', () => {
  it('gets a nullable resident_hash column: old deposits count no one, new ones their resident', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-ts-'));
    try {
      const file = join(dir, 'timeseries.db');
      const old = openDatabase(file);
      old.exec(`CREATE TABLE deposits (
        device_id TEXT NOT NULL, event_id TEXT NOT NULL, ts INTEGER NOT NULL, category TEXT NOT NULL,
        weight_kg REAL NOT NULL, points INTEGER NOT NULL, subdistrict TEXT NOT NULL, community TEXT NOT NULL,
        PRIMARY KEY (device_id, event_id)) WITHOUT ROWID`);
      const ts = Date.parse('2026-11-26T02:00:00Z');
      old.prepare('INSERT INTO deposits VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('box-0001', 'old-1', ts, 'paper', 2, 2, 'hongmei', 'c');
      old.close();

      const store = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
      const tags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: 'c' } as const;
      await store.write([
        { type: 'deposit', tags, ts: ts + 1, eventId: 'new-1', category: 'paper', weightKg: 1, points: 1, residentHash: 'a'.repeat(64) },
      ]);
      expect(await store.participation({ range: { from: ts, to: ts + 2 } })).toEqual([
        { subdistrict: 'hongmei', community: 'c', residents: 1, deposits: 2, kg: 3, points: 3 },
      ]);
      // The tonnage rollup was rebuilt from the old deposits too.
      expect(await store.tonnage({ fromDay: '2026-11-26', toDay: '2026-11-26', utcOffsetMinutes: 480 })).toEqual([
        { day: '2026-11-26', category: 'paper', subdistrict: 'hongmei', kg: 3, deposits: 2 },
      ]);
      await store.close();
      // Opening again is a no-op.
      const again = new SqliteTimeSeriesStore(openDatabase(file), { utcOffsetMinutes: 480 });
      expect((await again.participation({ range: { from: ts, to: ts + 2 } }))[0]!.residents).toBe(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The embedded store's chain tables (issue 14): a file from before them keeps its collections, now with their community. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { DeviceTags } from '../../../services/timeseries/core/store.ts';

const box: DeviceTags = { deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', community: '红梅新村' };
const T0 = Date.parse('2026-11-26T10:00:00+08:00');

describe('SQLite store: collections of a file from before issue 14', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gains the community column, filled from the same box’s deposits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'binpulse-chain-'));
    dirs.push(dir);
    const path = join(dir, 'timeseries.db');
    const store = new SqliteTimeSeriesStore(openDatabase(path), { utcOffsetMinutes: 480 });
    await store.write([
      { type: 'deposit', tags: box, ts: T0, eventId: 'd-1', category: 'paper', weightKg: 2, points: 1 },
      { type: 'collection', tags: box, ts: T0 + 1, eventId: 'c-1', collectorId: 'k', vehicleId: 'truck-01', compartments: [{ category: 'paper', weightKg: 80 }] },
      {
        type: 'collection',
        tags: { ...box, deviceId: 'box-0009' },
        ts: T0 + 2,
        eventId: 'c-2',
        collectorId: 'k',
        vehicleId: 'truck-01',
        compartments: [{ category: 'glass', weightKg: 30 }],
      },
    ]);
    await store.close();
    // As the table was before: no community column.
    const db = openDatabase(path);
    db.exec('ALTER TABLE collections DROP COLUMN community');
    db.close();

    const reopened = new SqliteTimeSeriesStore(openDatabase(path), { utcOffsetMinutes: 480 });
    const rows = await reopened.collections({ from: T0, to: T0 + 10 });
    // box-0009 never deposited anything: its community is unknown, not made up.
    expect(rows.map((r) => [r.deviceId, r.community, r.kgByCategory])).toEqual([
      ['box-0001', '红梅新村', { paper: 80 }],
      ['box-0009', '', { glass: 30 }],
    ]);
    await reopened.close();
  });
});

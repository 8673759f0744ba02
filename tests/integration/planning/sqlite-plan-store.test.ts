/**
 * The plan store's contract, on a real SQLite file and on the tests' in-memory fake (so route tests
 * over the fake stand for the real store): saved plans come back whole, by id and by their shift's day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/contracts/index.ts';
import { SqlitePlanStore } from '../../../services/planning/adapters/sqlite-plan-store.ts';
import type { PlanStore } from '../../../services/planning/core/plan-store.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { MemoryPlanStore } from '../../support/api-fakes.ts';

let dir: string;
let db: SqliteDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bp-plans-'));
  db = openDatabase(join(dir, 'binpulse.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function plan(id: string, date: string, createdAt: string): Plan {
  return {
    id,
    createdAt,
    createdBy: 'ops (operator)',
    shift: { date, startAt: `${date}T22:00:00.000Z`, endAt: `${date}T06:00:00.000Z` },
    routes: [
      {
        vehicleId: 'V001',
        plate: '苏D·H0001',
        depotId: 'S001',
        stops: [
          {
            sequence: 1,
            deviceId: 'B001',
            name: '青枫一号箱',
            community: 'Qingfeng',
            position: { lat: 31.78, lon: 119.97 },
            eta: `${date}T22:10:00.000Z`,
            dueAt: null,
            expectedKg: 84.5,
            kgByCategory: { paper: 84.5 },
          },
        ],
        km: 3.25,
        durationMinutes: 14,
        loadKg: 84.5,
        capacityKg: 2000,
      },
    ],
    unassigned: [{ deviceId: 'B009', reason: 'capacity', kg: 120, dueAt: `${date}T23:00:00.000Z` }],
    totals: { stops: 1, km: 3.25, kg: 84.5, vehiclesUsed: 1 },
  };
}

const stores: [string, () => PlanStore][] = [
  ['SqlitePlanStore', () => new SqlitePlanStore(db)],
  ['MemoryPlanStore (tests)', () => new MemoryPlanStore()],
];

describe.each(stores)('%s', (_name, open) => {
  it('returns a saved plan whole by id; undefined for an unknown id', () => {
    const store = open();
    const saved = plan('pln_a', '2026-05-11', '2026-05-10T04:00:00.000Z');
    store.save(saved);
    expect(store.get('pln_a')).toEqual(saved);
    expect(store.get('pln_nope')).toBeUndefined();
  });

  it("lists a day's plans oldest first, and only that day's", () => {
    const store = open();
    store.save(plan('pln_late', '2026-05-11', '2026-05-10T09:00:00.000Z'));
    store.save(plan('pln_other_day', '2026-05-12', '2026-05-10T05:00:00.000Z'));
    store.save(plan('pln_early', '2026-05-11', '2026-05-10T04:00:00.000Z'));
    expect(store.listByDate('2026-05-11').map((p) => p.id)).toEqual(['pln_early', 'pln_late']);
    expect(store.listByDate('2026-05-12').map((p) => p.id)).toEqual(['pln_other_day']);
    expect(store.listByDate('2026-05-13')).toEqual([]);
  });

  it("answers each vehicle's newest plan giving it a route (creation instant, then id), not the newest plan overall", () => {
    const store = open();
    const withVehicles = (p: Plan, ...vehicleIds: string[]): Plan => ({
      ...p,
      routes: vehicleIds.map((vehicleId) => ({ ...p.routes[0]!, vehicleId, stops: vehicleId === 'V003' ? [] : p.routes[0]!.stops })),
    });
    expect(store.latestByVehicle().size).toBe(0);
    store.save(withVehicles(plan('pln_old', '2026-05-11', '2026-05-10T04:00:00.000Z'), 'V001', 'V002'));
    // Created later, for an earlier shift: creation decides, as on the broker (the last publish is retained).
    store.save(withVehicles(plan('pln_new', '2026-05-10', '2026-05-10T09:00:00.000Z'), 'V001', 'V003'));
    store.save(withVehicles(plan('pln_b', '2026-05-12', '2026-05-10T02:00:00.000Z'), 'V004'));
    store.save(withVehicles(plan('pln_a', '2026-05-12', '2026-05-10T02:00:00.000Z'), 'V004'));
    const latest = store.latestByVehicle();
    expect(Object.fromEntries([...latest].map(([vehicle, p]) => [vehicle, p.id]))).toEqual({
      V001: 'pln_new',
      V002: 'pln_old',
      V003: 'pln_new', // a route without stops is a route
      V004: 'pln_b',
    });
    expect(latest.get('V002')).toEqual(store.get('pln_old'));
  });

  it('refuses a second plan with the same id', () => {
    const store = open();
    store.save(plan('pln_a', '2026-05-11', '2026-05-10T04:00:00.000Z'));
    expect(() => store.save(plan('pln_a', '2026-05-12', '2026-05-10T05:00:00.000Z'))).toThrow();
    expect(store.get('pln_a')?.shift.date).toBe('2026-05-11');
  });
});

describe('SqlitePlanStore', () => {
  it('keeps plans across a reopen of the file (the table is created once)', () => {
    new SqlitePlanStore(db).save(plan('pln_a', '2026-05-11', '2026-05-10T04:00:00.000Z'));
    db.close();
    db = openDatabase(join(dir, 'binpulse.db'));
    const reopened = new SqlitePlanStore(db);
    expect(reopened.get('pln_a')?.routes[0]?.stops[0]?.name).toBe('青枫一号箱');
    expect(reopened.listByDate('2026-05-11')).toHaveLength(1);
  });
});

/**
 * Shift plans in the operational SQLite file (issue 13): each plan as JSON, with its shift's
 * district day and creation instant as columns to list by. Plans are written once and never changed.
 */
import { Plan } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { PlanStore } from '../core/plan-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,          -- the shift's district day, YYYY-MM-DD
    created_at INTEGER NOT NULL, -- epoch ms, for ordering
    record TEXT NOT NULL         -- the whole Plan as JSON
  );
  CREATE INDEX IF NOT EXISTS plans_by_date ON plans (date, created_at);
`;

export class SqlitePlanStore implements PlanStore {
  readonly #insert;
  readonly #byId;
  readonly #byDate;
  readonly #latestByVehicle;

  constructor(db: SqliteDatabase) {
    db.exec(SCHEMA);
    this.#insert = db.prepare<[string, string, number, string]>('INSERT INTO plans (id, date, created_at, record) VALUES (?, ?, ?, ?)');
    this.#byId = db.prepare<[string], { record: string }>('SELECT record FROM plans WHERE id = ?');
    this.#byDate = db.prepare<[string], { record: string }>('SELECT record FROM plans WHERE date = ? ORDER BY created_at, id');
    // A scan of every plan's routes (json_each): run once at start-up, over a few plans a day.
    this.#latestByVehicle = db.prepare<[], { vehicle_id: string; id: string; record: string }>(`
      SELECT v.vehicle_id, p.id, p.record FROM (
        SELECT json_extract(r.value, '$.vehicleId') AS vehicle_id, p.id AS plan_id,
               row_number() OVER (PARTITION BY json_extract(r.value, '$.vehicleId') ORDER BY p.created_at DESC, p.id DESC) AS n
        FROM plans p, json_each(p.record, '$.routes') r
      ) v JOIN plans p ON p.id = v.plan_id
      WHERE v.n = 1 ORDER BY v.vehicle_id`);
  }

  save(plan: Plan): void {
    this.#insert.run(plan.id, plan.shift.date, Date.parse(plan.createdAt), JSON.stringify(plan));
  }

  get(id: string): Plan | undefined {
    const row = this.#byId.get(id);
    return row === undefined ? undefined : parse(row.record);
  }

  listByDate(date: string): Plan[] {
    return this.#byDate.all(date).map((row) => parse(row.record));
  }

  latestByVehicle(): Map<string, Plan> {
    const plans = new Map<string, Plan>();
    const latest = new Map<string, Plan>();
    for (const row of this.#latestByVehicle.all()) {
      const plan = plans.get(row.id) ?? parse(row.record);
      plans.set(row.id, plan);
      latest.set(row.vehicle_id, plan);
    }
    return latest;
  }
}

/** Records written by an older version are read through the current contract (and fail loudly if incompatible). */
const parse = (record: string): Plan => Plan.parse(JSON.parse(record));

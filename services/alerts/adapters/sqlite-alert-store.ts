/**
 * Alerts, their audit trail and silences in SQLite. Every change is written synchronously, in one
 * transaction with its transitions, before the engine emits it: a crash never loses an emitted alert.
 * The open alerts are also kept in memory (the rules ask for them on every message) and that
 * index is updated only after a commit succeeds.
 */
import type { Alert, AlertTransition, AlertType, Silence } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { AlertChange } from '../core/lifecycle.ts';
import type { AlertFilter, AlertView } from '../core/ports.ts';

/**
 * The table disagrees with the in-memory index: another open alert holds the key, or the alert
 * was resolved meanwhile (a second process on the same file). Nothing was written; reload and retry.
 */
export class StaleAlertIndexError extends Error {
  override name = 'StaleAlertIndexError';
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    device_id TEXT,
    device_kind TEXT,
    subdistrict TEXT,
    muted INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,  -- epoch ms, for ordering and raisedSince
    record TEXT NOT NULL         -- the whole Alert as JSON; the columns above are for filtering
  );
  -- At most one open alert per key, enforced by SQLite itself: holds across crashes and processes.
  CREATE UNIQUE INDEX IF NOT EXISTS alerts_one_open_per_key ON alerts (key) WHERE status != 'resolved';
  CREATE INDEX IF NOT EXISTS alerts_by_raised ON alerts (raised_at);
  CREATE INDEX IF NOT EXISTS alerts_by_type_device ON alerts (type, device_id, raised_at);
  CREATE INDEX IF NOT EXISTS alerts_by_status ON alerts (status, raised_at);
  CREATE TABLE IF NOT EXISTS alert_transitions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    by TEXT NOT NULL,
    note TEXT
  );
  CREATE INDEX IF NOT EXISTS alert_transitions_by_alert ON alert_transitions (alert_id, seq);
  -- When the engine last swept: after a crash, how long the platform was down.
  CREATE TABLE IF NOT EXISTS alert_engine_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS silences (
    id TEXT PRIMARY KEY,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    record TEXT NOT NULL         -- the whole Silence as JSON
  );
`;

interface TransitionRow {
  alert_id: string;
  at: string;
  from_status: AlertTransition['from'];
  to_status: AlertTransition['to'];
  by: string;
  note: string | null;
}

export class SqliteAlertStore implements AlertView {
  /** Open alerts by key: exactly the rows with status != 'resolved', after load(). */
  private readonly openByKey = new Map<string, Alert>();
  private readonly stmt;
  private readonly commitTx: (changes: readonly AlertChange[]) => void;

  constructor(private readonly db: SqliteDatabase) {
    db.exec(SCHEMA);
    migrateLegacyMessages(db);
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO alerts (id, key, type, severity, status, device_id, device_kind, subdistrict, muted, raised_at, record)
         VALUES (@id, @key, @type, @severity, @status, @deviceId, @deviceKind, @subdistrict, @muted, @raisedAt, @record)`,
      ),
      // A resolved row is final: never rewritten, so a stale process cannot reopen it.
      update: db.prepare(
        `UPDATE alerts SET severity = @severity, status = @status, muted = @muted, record = @record
         WHERE id = @id AND status != 'resolved'`,
      ),
      transition: db.prepare(
        'INSERT INTO alert_transitions (alert_id, at, from_status, to_status, by, note) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      open: db.prepare("SELECT record FROM alerts WHERE status != 'resolved'").pluck(),
      get: db.prepare('SELECT record FROM alerts WHERE id = ?').pluck(),
      history: db.prepare('SELECT * FROM alert_transitions WHERE alert_id = ? ORDER BY seq'),
      raisedSince: db.prepare('SELECT COUNT(*) FROM alerts WHERE type = ? AND device_id = ? AND raised_at >= ?').pluck(),
      insertSilence: db.prepare('INSERT INTO silences (id, starts_at, ends_at, record) VALUES (?, ?, ?, ?)'),
      deleteSilence: db.prepare('DELETE FROM silences WHERE id = ?'),
      allSilences: db.prepare('SELECT record FROM silences ORDER BY starts_at, id').pluck(),
      currentSilences: db.prepare('SELECT record FROM silences WHERE ends_at > ? ORDER BY starts_at, id').pluck(),
      activeSilences: db.prepare('SELECT record FROM silences WHERE starts_at <= ? AND ends_at > ? ORDER BY starts_at, id').pluck(),
    };
    this.commitTx = db.transaction((changes: readonly AlertChange[]) => {
      for (const change of changes) this.write(change);
    });
  }

  /** (Re)loads the open alerts from the table: at start, and when the index turned out stale. */
  /** Last instant the engine was known alive (null before the first sweep ever). */
  lastAliveAt(): number | null {
    const row = this.db.prepare(`SELECT value FROM alert_engine_meta WHERE name = 'alive_at'`).get() as { value: number } | undefined;
    return row?.value ?? null;
  }

  recordAlive(at: number): void {
    this.db.prepare(`INSERT INTO alert_engine_meta (name, value) VALUES ('alive_at', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(at);
  }

  load(): void {
    this.openByKey.clear();
    for (const record of this.stmt.open.all() as string[]) {
      const alert = JSON.parse(record) as Alert;
      this.openByKey.set(alert.key, alert);
    }
  }

  /**
   * Writes the changes (records and transitions) in one transaction, then updates the index.
   * Throws StaleAlertIndexError, with nothing written, when the table disagrees with the index.
   */
  commit(changes: readonly AlertChange[]): void {
    if (changes.length === 0) return;
    try {
      this.commitTx(changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw new StaleAlertIndexError('another open alert holds the key', { cause: err });
      throw err;
    }
    for (const { alert } of changes) {
      if (alert.status === 'resolved') this.openByKey.delete(alert.key);
      else this.openByKey.set(alert.key, alert);
    }
  }

  private write({ alert, transitions, event }: AlertChange): void {
    const row = {
      id: alert.id,
      key: alert.key,
      type: alert.type,
      severity: alert.severity,
      status: alert.status,
      deviceId: alert.deviceId,
      deviceKind: alert.deviceKind,
      subdistrict: alert.subdistrict,
      muted: alert.muted ? 1 : 0,
      raisedAt: Date.parse(alert.raisedAt),
      record: JSON.stringify(alert),
    };
    if (event === 'raised') {
      this.stmt.insert.run(row);
    } else if (this.stmt.update.run(row).changes !== 1) {
      throw new StaleAlertIndexError(`alert ${alert.id} is no longer open`);
    }
    for (const t of transitions) this.stmt.transition.run(t.alertId, t.at, t.from, t.to, t.by, t.note);
  }

  // --- AlertView (what the rules may know), from memory ---

  open(key: string): Alert | undefined {
    return this.openByKey.get(key);
  }

  openOfType(type: AlertType): Alert[] {
    return [...this.openByKey.values()].filter((a) => a.type === type);
  }

  raisedSince(type: AlertType, deviceId: string, sinceMs: number): number {
    return this.stmt.raisedSince.get(type, deviceId, sinceMs) as number;
  }

  /** Open alerts per type (the open gauge). */
  openCounts(): Map<AlertType, number> {
    const counts = new Map<AlertType, number>();
    for (const alert of this.openByKey.values()) counts.set(alert.type, (counts.get(alert.type) ?? 0) + 1);
    return counts;
  }

  // --- reads for the API, from the table (authoritative, also for another process's writes) ---

  get(id: string): Alert | undefined {
    const record = this.stmt.get.get(id) as string | undefined;
    return record === undefined ? undefined : (JSON.parse(record) as Alert);
  }

  /** Newest raised first. */
  list(filter: AlertFilter): { total: number; items: Alert[] } {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const eq = (column: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(`${column} = @${column}`);
      params[column] = value;
    };
    if (filter.status === 'open') where.push("status != 'resolved'");
    else eq('status', filter.status);
    eq('type', filter.type);
    eq('severity', filter.severity);
    eq('device_id', filter.deviceId);
    eq('device_kind', filter.kind);
    eq('subdistrict', filter.subdistrict);
    eq('muted', filter.muted === undefined ? undefined : filter.muted ? 1 : 0);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT COUNT(*) FROM alerts ${clause}`).pluck().get(params) as number;
    const records = this.db
      .prepare(`SELECT record FROM alerts ${clause} ORDER BY raised_at DESC, id DESC LIMIT @limit OFFSET @offset`)
      .pluck()
      .all({ ...params, limit: filter.limit, offset: filter.offset }) as string[];
    return { total, items: records.map((r) => JSON.parse(r) as Alert) };
  }

  /** The audit trail, oldest first. */
  history(id: string): AlertTransition[] {
    return (this.stmt.history.all(id) as TransitionRow[]).map((r) => ({
      alertId: r.alert_id,
      at: r.at,
      from: r.from_status,
      to: r.to_status,
      by: r.by,
      note: r.note,
    }));
  }

  // --- silences ---

  addSilence(silence: Silence): void {
    this.stmt.insertSilence.run(silence.id, Date.parse(silence.startsAt), Date.parse(silence.endsAt), JSON.stringify(silence));
  }

  removeSilence(id: string): boolean {
    return this.stmt.deleteSilence.run(id).changes > 0;
  }

  /** Not yet ended at `now` (includes future ones), or every silence ever made. */
  silences(includeExpired: boolean, now: number): Silence[] {
    const records = (includeExpired ? this.stmt.allSilences.all() : this.stmt.currentSilences.all(now)) as string[];
    return records.map((r) => JSON.parse(r) as Silence);
  }

  /** In force at `at`: what a raise is matched against. */
  activeSilences(at: number): Silence[] {
    return (this.stmt.activeSilences.all(at, at) as string[]).map((r) => JSON.parse(r) as Silence);
  }
}

/**
 * Alerts stored before titles had message codes get `{code: 'legacy', params: {title}}`: the
 * console then shows the English title as it was. A no-op once every record has a message;
 * IMMEDIATE so two processes opening the file at once do not both rewrite.
 */
function migrateLegacyMessages(db: SqliteDatabase): void {
  db.transaction(() => {
    db.exec(`UPDATE alerts
      SET record = json_set(record, '$.message', json_object('code', 'legacy', 'params', json_object('title', json_extract(record, '$.title'))))
      WHERE json_type(record, '$.message') IS NULL`);
  }).immediate();
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

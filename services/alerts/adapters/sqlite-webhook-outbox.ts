/**
 * The webhook's outbox in SQLite: a notification is stored before it is sent, so a restart,
 * a crash or a receiver that is down for an hour loses nothing (delivery is at least once).
 *
 * - Delivered rows are deleted; dead rows are kept (newest maxDeadRows) for inspection.
 * - Only the oldest pending row of each alert is eligible ("heads"): an alert's
 *   notifications go out in order, while one failing alert does not hold up the others.
 * - Ids are AUTOINCREMENT, never reused, so a row id is a stable delivery id for receivers
 *   to deduplicate retries by.
 * - The severity last seen per open alert is kept too, so "escalated" is still recognised
 *   after a restart (see core/notification.ts).
 */
import type { Severity } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { OutboxRow, WebhookOutbox } from './webhook-notifier.ts';

export const OUTBOX_DEFAULTS = { maxDeadRows: 1000 } as const;

interface Row {
  id: number;
  alert_id: string;
  event: string;
  payload: string;
  attempts: number;
  next_attempt_at: number;
}

const toOutboxRow = (r: Row): OutboxRow => ({
  id: r.id,
  alertId: r.alert_id,
  event: r.event,
  payload: r.payload,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
});

export class SqliteWebhookOutbox implements WebhookOutbox {
  private readonly insert;
  private readonly selectHeads;
  private readonly deleteRow;
  private readonly updateRetry;
  private readonly updateDead;
  private readonly pruneDead;
  private readonly countPending;
  private readonly selectSeverity;
  private readonly upsertSeverity;
  private readonly deleteSeverity;
  private readonly recordTx: WebhookOutbox['record'];

  constructor(
    db: SqliteDatabase,
    private readonly options: { maxDeadRows?: number } = {},
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS webhook_outbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id        TEXT NOT NULL,
        event           TEXT NOT NULL,
        payload         TEXT NOT NULL,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dead')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error      TEXT,
        created_at      INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS webhook_outbox_pending ON webhook_outbox (status, alert_id, id);
      CREATE TABLE IF NOT EXISTS webhook_alert_severity (
        alert_id TEXT PRIMARY KEY,
        severity TEXT NOT NULL
      );`);
    this.insert = db.prepare<[string, string, string, number, number]>(
      'INSERT INTO webhook_outbox (alert_id, event, payload, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectHeads = db.prepare<[number], Row>(`
      SELECT o.id, o.alert_id, o.event, o.payload, o.attempts, o.next_attempt_at
      FROM webhook_outbox o
      WHERE o.status = 'pending'
        AND o.id = (SELECT MIN(i.id) FROM webhook_outbox i WHERE i.status = 'pending' AND i.alert_id = o.alert_id)
      ORDER BY o.next_attempt_at, o.id
      LIMIT ?`);
    this.deleteRow = db.prepare<[number]>('DELETE FROM webhook_outbox WHERE id = ?');
    this.updateRetry = db.prepare<[number, number, string, number]>(
      'UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
    );
    this.updateDead = db.prepare<[number, string, number]>(
      "UPDATE webhook_outbox SET status = 'dead', attempts = ?, last_error = ? WHERE id = ?",
    );
    this.pruneDead = db.prepare<[number]>(`
      DELETE FROM webhook_outbox WHERE status = 'dead' AND id NOT IN
        (SELECT id FROM webhook_outbox WHERE status = 'dead' ORDER BY id DESC LIMIT ?)`);
    this.countPending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM webhook_outbox WHERE status = 'pending'");
    this.selectSeverity = db.prepare<[string], { severity: Severity }>(
      'SELECT severity FROM webhook_alert_severity WHERE alert_id = ?',
    );
    this.upsertSeverity = db.prepare<[string, string]>(
      'INSERT INTO webhook_alert_severity (alert_id, severity) VALUES (?, ?) ON CONFLICT (alert_id) DO UPDATE SET severity = excluded.severity',
    );
    this.deleteSeverity = db.prepare<[string]>('DELETE FROM webhook_alert_severity WHERE alert_id = ?');
    this.recordTx = db.transaction((input: Parameters<WebhookOutbox['record']>[0]) => {
      if (input.severity === null) this.deleteSeverity.run(input.alertId);
      else this.upsertSeverity.run(input.alertId, input.severity);
      if (!input.delivery) return null;
      const { event, payload, at } = input.delivery;
      return Number(this.insert.run(input.alertId, event, payload, at, at).lastInsertRowid);
    });
  }

  record(input: Parameters<WebhookOutbox['record']>[0]): number | null {
    return this.recordTx(input);
  }

  lastSeverity(alertId: string): Severity | undefined {
    return this.selectSeverity.get(alertId)?.severity;
  }

  heads(limit: number): OutboxRow[] {
    return this.selectHeads.all(limit).map(toOutboxRow);
  }

  delivered(id: number): void {
    this.deleteRow.run(id);
  }

  retry(id: number, attempts: number, nextAttemptAt: number, error: string): void {
    this.updateRetry.run(attempts, nextAttemptAt, error, id);
  }

  dead(id: number, attempts: number, error: string): void {
    this.updateDead.run(attempts, error, id);
    this.pruneDead.run(this.options.maxDeadRows ?? OUTBOX_DEFAULTS.maxDeadRows);
  }

  depth(): number {
    return this.countPending.get()?.n ?? 0;
  }
}

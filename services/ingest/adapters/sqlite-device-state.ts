/**
 * Device states: served from memory (the API reads them on every list), persisted to SQLite
 * in the background so the last known state survives a restart.
 */
import type { Logger } from 'pino';
import { DeviceState } from '../../../shared/contracts/index.ts';
import { PeriodicJob } from '../../../shared/periodic-job.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import { markOfflineAfterRestart } from '../core/device-state.ts';
import type { DeviceStateRepository } from '../core/ports.ts';

export interface SqliteDeviceStateOptions {
  logger: Logger;
  /** Wall clock, for the offline-at-restart change time. */
  now?: () => number;
  /** How often changed states are written; a crash loses at most this much state. */
  persistIntervalMs?: number;
}

export class SqliteDeviceStateStore implements DeviceStateRepository {
  private readonly states = new Map<string, DeviceState>();
  private readonly dirty = new Set<string>();
  private readonly persistJob: PeriodicJob;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly persistIntervalMs: number;
  private readonly upsert;
  private readonly persistDirty: (ids: string[]) => void;

  constructor(
    private readonly db: SqliteDatabase,
    options: SqliteDeviceStateOptions,
  ) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.persistIntervalMs = options.persistIntervalMs ?? 2000;
    this.persistJob = new PeriodicJob({
      everyMs: this.persistIntervalMs,
      runAtStart: false,
      run: () => this.persist(),
      onError: (err) => this.logger.error({ err }, 'device states not persisted; will retry'),
    });
    db.exec(`
      CREATE TABLE IF NOT EXISTS device_states (
        device_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,       -- DeviceState as JSON
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
    this.upsert = db.prepare(
      `INSERT INTO device_states (device_id, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.persistDirty = db.transaction((ids: string[]) => {
      const at = this.now();
      for (const id of ids) {
        const state = this.states.get(id);
        if (state) this.upsert.run(id, JSON.stringify(state), at);
      }
    });
  }

  /** Loads the persisted states (every device offline: the broker lost its connections) and starts persisting. */
  start(): void {
    if (this.persistJob.started) return;
    this.load();
    this.persistJob.start();
  }

  /** Stops the timer and writes every unsaved change. */
  stop(): void {
    void this.persistJob.stop();
    this.persist();
  }

  get(deviceId: string): DeviceState | undefined {
    return this.states.get(deviceId);
  }

  all(): ReadonlyMap<string, DeviceState> {
    return this.states;
  }

  put(deviceId: string, state: DeviceState): void {
    if (this.states.get(deviceId) === state) return;
    this.states.set(deviceId, state);
    this.dirty.add(deviceId);
  }

  /** Writes the changed states in one transaction; on failure they stay dirty for the next try. */
  persist(): void {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    try {
      this.persistDirty(ids);
      for (const id of ids) this.dirty.delete(id);
    } catch (err) {
      this.logger.error({ err, states: ids.length }, 'device states not persisted; will retry');
    }
  }

  private load(): void {
    const rows = this.db.prepare('SELECT device_id, state FROM device_states').all() as {
      device_id: string;
      state: string;
    }[];
    const at = this.now();
    let skipped = 0;
    for (const row of rows) {
      const result = DeviceState.safeParse(upgraded(safeJson(row.state)));
      if (!result.success) {
        skipped++;
        continue;
      }
      // A state put before start() is newer than the persisted one.
      if (this.states.has(row.device_id)) continue;
      const state = markOfflineAfterRestart(result.data, at);
      this.states.set(row.device_id, state);
      if (state !== result.data) this.dirty.add(row.device_id);
    }
    if (skipped > 0) this.logger.warn({ skipped }, 'unreadable persisted device states ignored');
    this.logger.info({ devices: this.states.size }, 'device states loaded');
  }
}

/** States persisted before offlineReason or readingAt existed have none: they load with the field null. */
function upgraded(persisted: unknown): unknown {
  if (typeof persisted !== 'object' || persisted === null) return persisted;
  return { offlineReason: null, readingAt: null, ...persisted };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

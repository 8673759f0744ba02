/** A real journal file in a temp dir, with captured logs and its own metrics registry. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SqliteJournal, type SqliteJournalOptions } from '../../../services/journal/adapters/sqlite-journal.ts';
import type { JournalAppend } from '../../../services/journal/core/ports.ts';

export { metricValue, waitFor } from '../broker/broker-harness.ts';

export interface OpenJournal {
  journal: SqliteJournal;
  registry: Registry;
  /** Parsed log lines (info and above). */
  logs: Array<Record<string, unknown>>;
  file: string;
}

const dirs: string[] = [];

export function tempJournalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bp-journal-'));
  dirs.push(dir);
  return join(dir, 'journal.db');
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function openJournal(file: string, options: Partial<SqliteJournalOptions> = {}): OpenJournal {
  const logs: OpenJournal['logs'] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const registry = new Registry();
  const journal = new SqliteJournal({ file, maxBytes: 1_000_000, logger, metrics: registry, ...options });
  return { journal, registry, logs, file };
}

/** A deposit-like entry whose payload is `body` (its topic is 34 bytes for box-0001). */
export function entry(body: string, deviceId = 'box-0001'): JournalAppend {
  return { deviceId, topic: `binpulse/v1/${deviceId}/event/deposit`, payload: Buffer.from(body), receivedAt: 1_760_000_000_000 };
}

export const bodies = (entries: Array<{ payload: Buffer }>): string[] => entries.map((e) => e.payload.toString());

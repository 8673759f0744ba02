/** The journal's Prometheus metrics; gauges read the journal's in-memory state when scraped. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface JournalState {
  entries(): number;
  backlogBytes(): number;
  maxBytes: number;
  /** Entries not yet committed, per registered consumer (head − offset). */
  backlogs(): Map<string, number>;
}

export interface JournalMetrics {
  appends: Counter;
  fullRefusals: Counter;
}

export function registerJournalMetrics(registry: Registry, state: JournalState): JournalMetrics {
  const registers = [registry];
  new Gauge({
    name: 'binpulse_journal_entries',
    help: 'Entries in the publish journal (not yet pruned)',
    registers,
    collect() {
      this.set(state.entries());
    },
  });
  new Gauge({
    name: 'binpulse_journal_bytes',
    help: 'Bytes (payload + topic) the slowest consumer has not committed yet; counted against the cap',
    registers,
    collect() {
      this.set(state.backlogBytes());
    },
  });
  new Gauge({
    name: 'binpulse_journal_max_bytes',
    help: 'Cap of binpulse_journal_bytes; beyond it device publishes are refused',
    registers,
    collect() {
      this.set(state.maxBytes);
    },
  });
  new Gauge({
    name: 'binpulse_journal_backlog',
    help: 'Journal entries a consumer has not committed yet (head − offset)',
    labelNames: ['consumer'] as const,
    registers,
    collect() {
      this.reset();
      for (const [consumer, backlog] of state.backlogs()) this.set({ consumer }, backlog);
    },
  });
  const appends = new Counter({
    name: 'binpulse_journal_appends_total',
    help: 'Device publishes written to the journal (committed)',
    registers,
  });
  const fullRefusals = new Counter({
    name: 'binpulse_journal_full_refusals_total',
    help: 'Appends refused because the unconsumed backlog reached the cap (the broker refused the publish)',
    registers,
  });
  return { appends, fullRefusals };
}

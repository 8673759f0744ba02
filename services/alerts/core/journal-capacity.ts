/**
 * journal_near_cap: the ingest journal's unconsumed backlog passed 80 % of JOURNAL_MAX_MB (a
 * consumer is behind, usually the time-series store being unreachable); cleared once it is back
 * below 70 %. Pure: turns a capacity watch transition into raise/clear commands.
 */
import type { SystemAlertCommand } from './ports.ts';
import { alertKey } from './keys.ts';
import { alertText } from './titles.ts';

export interface JournalCapacityState {
  backlogBytes: number;
  maxBytes: number;
  nearCap: boolean;
  /** The consumer furthest behind; the alert's key names it. */
  slowest?: string;
}

/**
 * Near cap: raise (critical) for the slowest consumer. Back below: clear every open
 * journal_near_cap alert (`openKeys`), whichever consumer it named.
 */
export function journalCapacityCommands(state: JournalCapacityState, openKeys: readonly string[], at: number): SystemAlertCommand[] {
  if (!state.nearCap) return openKeys.map((key) => ({ op: 'clear', key, at, reason: 'journal backlog back below 70% of its cap' }));
  const consumer = state.slowest ?? 'journal';
  const percent = Math.round((state.backlogBytes / state.maxBytes) * 100);
  return [
    {
      op: 'raise',
      key: alertKey.journalNearCap(consumer),
      type: 'journal_near_cap',
      severity: 'critical',
      ...(consumer === 'timeseries'
        ? alertText('journal_near_cap.store', { percent })
        : alertText('journal_near_cap.consumer', { percent, consumer })),
      subject: { system: { name: `journal:${consumer}` } },
      evidence: { backlogBytes: state.backlogBytes, maxBytes: state.maxBytes },
      at,
    },
  ];
}

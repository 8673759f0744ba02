/**
 * What the alert engine would keep of the ledger's commands, in memory: one alert per key while
 * it is open (a raise on an open key is seen again), a new one after it was cleared. Enough for
 * the ledger service to read back what it raised, and for the score.
 */
import type { Alert } from '../../shared/contracts/index.ts';
import type { AlertFilter, SystemAlertCommand } from '../../services/alerts/core/ports.ts';

export interface LoggedAlert {
  key: string;
  firstSeenMs: number;
  lastSeenMs: number;
  /** When each raise under the key came while this alert was open. */
  sightings: number[];
  open: boolean;
  evidence: Record<string, unknown>;
}

export class LedgerAlertLog {
  readonly alerts: LoggedAlert[] = [];

  applySystemCommands(commands: readonly SystemAlertCommand[]): void {
    for (const c of commands) {
      const open = this.alerts.find((a) => a.key === c.key && a.open);
      if (c.op === 'clear') {
        if (open) open.open = false;
      } else if (open) {
        open.sightings.push(c.at);
        open.lastSeenMs = c.at;
      } else {
        this.alerts.push({ key: c.key, firstSeenMs: c.at, lastSeenMs: c.at, sightings: [c.at], open: true, evidence: { ...c.evidence } });
      }
    }
  }

  /** Newest first, as the alert store lists them; only the fields the ledger service reads. */
  list(filter: AlertFilter): { items: Pick<Alert, 'key' | 'status' | 'lastSeenAt'>[] } {
    const items = [...this.alerts]
      .reverse()
      .slice(filter.offset, filter.offset + filter.limit)
      .map((a) => ({ key: a.key, status: a.open ? ('active' as const) : ('resolved' as const), lastSeenAt: new Date(a.lastSeenMs).toISOString() }));
    return { items };
  }
}

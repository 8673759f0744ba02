/**
 * The mass balance (issue 14): built on request for the API from the time-series store, and
 * checked every few minutes for ledger_mismatch once the demo history (if any) is written: a
 * half-written history would show trips without their weigh-ins.
 */
import type { AlertEngine } from '../../alerts/alert-engine.ts';
import type { SiteRegistry } from '../../fleet/core/registry.ts';
import { storeLedgerSource } from '../../ledger/adapters/store-source.ts';
import { LedgerService } from '../../ledger/ledger-service.ts';
import type { TimeSeriesStore } from '../../timeseries/core/store.ts';
import type { Logger } from 'pino';
import type { Stack } from './stack.ts';

export function wireLedger(
  deps: {
    timeseries: TimeSeriesStore;
    sites: Pick<SiteRegistry, 'listStations' | 'listVehicles'>;
    alerts: Pick<AlertEngine, 'applySystemCommands' | 'list'>;
    utcOffsetMinutes: number;
  },
  ctx: { logger: Logger; now: () => number; stack: Stack },
): { ledger: LedgerService; startWhen(ready: Promise<unknown>): void } {
  const source = storeLedgerSource({
    store: deps.timeseries,
    vehicles: () => deps.sites.listVehicles(),
    // Sorting centres need no lookup: their tickets carry a transfer note (see core/shipments.ts).
    siteKind: (siteId) => (deps.sites.listStations().some((s) => s.id === siteId) ? 'transfer_station' : null),
  });
  const ledger = new LedgerService({
    source,
    alerts: deps.alerts,
    utcOffsetMinutes: deps.utcOffsetMinutes,
    now: ctx.now,
    logger: ctx.logger.child({ service: 'ledger' }),
  });
  let stopped = false;
  ctx.stack.push(() => {
    stopped = true;
    ledger.stop();
  });
  return {
    ledger,
    startWhen(ready) {
      void ready.then(() => {
        if (!stopped) ledger.start();
      });
    },
  };
}

/**
 * The mass balance's inputs from the time-series store (deposits by day, collections, weigh
 * tickets, sorting reports) and the registry (vehicles' plates, which sites are transfer
 * stations). Reads a margin around the days asked for: a day's first trips began the evening
 * before, and its last shipments and trips are weighed in or missed hours into the next day.
 */
import { HOUR_MS, DAY_MS, localDayStart } from '../../../shared/units.ts';
import type { TimeSeriesStore } from '../../timeseries/core/store.ts';
import type { LedgerInputs, LedgerSiteKind } from '../core/inputs.ts';
import { SHIPMENT_DEADLINE_MS } from '../core/shipments.ts';
import { WEIGH_IN_DEADLINE_MS } from '../core/tolerance.ts';

export interface LedgerQuery {
  fromDay: string;
  toDay: string;
  utcOffsetMinutes: number;
}

export interface LedgerSource {
  inputs(query: LedgerQuery): Promise<LedgerInputs>;
}

/** Before the first day: the evening's collections of a trip weighed in after midnight. */
const LOOKBACK_MS = 12 * HOUR_MS;
/** After the last day: its shipments' receipts and its trips' weigh-ins (or their absence). */
const LOOKAHEAD_MS = Math.max(SHIPMENT_DEADLINE_MS, WEIGH_IN_DEADLINE_MS);

/** The span of records the days need: a margin before the first and after the last (epoch ms). */
export function ledgerInputRange({ fromDay, toDay, utcOffsetMinutes }: LedgerQuery): { from: number; to: number } {
  return { from: localDayStart(fromDay, utcOffsetMinutes) - LOOKBACK_MS, to: localDayStart(toDay, utcOffsetMinutes) + DAY_MS + LOOKAHEAD_MS };
}

export function storeLedgerSource(deps: {
  store: Pick<TimeSeriesStore, 'tonnage' | 'collections' | 'weighTickets' | 'sortingReports'>;
  vehicles: () => readonly { id: string; plate: string }[];
  /** A site's kind when the registry says; null lets the ticket's shape decide (a transfer note: a shipment). */
  siteKind: (siteId: string) => LedgerSiteKind | null;
}): LedgerSource {
  return {
    async inputs({ fromDay, toDay, utcOffsetMinutes }) {
      const range = ledgerInputRange({ fromDay, toDay, utcOffsetMinutes });
      const [deposits, collections, tickets, reports] = await Promise.all([
        deps.store.tonnage({ fromDay, toDay, utcOffsetMinutes }),
        deps.store.collections(range),
        deps.store.weighTickets(range),
        deps.store.sortingReports(range),
      ]);
      return {
        deposits,
        collections: collections.map((c) => ({
          deviceId: c.deviceId,
          eventId: c.eventId,
          atMs: c.ts,
          subdistrict: c.subdistrict,
          vehicleId: c.vehicleId,
          kgByCategory: c.kgByCategory,
        })),
        tickets: tickets.map((t) => ({
          ticketId: t.ticketId,
          scaleId: t.deviceId,
          siteKind: deps.siteKind(t.siteId),
          atMs: t.ts,
          plate: t.plate,
          direction: t.direction,
          netKg: t.netKg,
          ...(t.category !== null && { category: t.category }),
          ...(t.reference !== null && { reference: t.reference }),
        })),
        sortingReports: reports.map((r) => ({ scaleId: r.deviceId, periodStartMs: r.periodStart, atMs: r.ts, recoveredKg: r.recoveredKg, residueKg: r.residueKg })),
        vehicles: deps.vehicles(),
      };
    },
  };
}

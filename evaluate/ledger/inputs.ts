/**
 * The ledger's inputs straight from the simulator's publishes, kept in memory: what the store
 * would hold for the chain after the box (collections, weigh tickets, sorting reports). Deposits
 * are left out: they feed the balance's first stage, not a ledger_mismatch finding.
 */
import type { Device, Site } from '../../shared/contracts/index.ts';
import type { SimAction } from '../../simulators/core/context.ts';
import type { LedgerQuery, LedgerSource } from '../../services/ledger/adapters/store-source.ts';
import { ledgerInputRange } from '../../services/ledger/adapters/store-source.ts';
import type { LedgerCollection, LedgerInputs, LedgerSortingReport, LedgerTicket } from '../../services/ledger/core/inputs.ts';

export class SimulatedLedgerRecords implements LedgerSource {
  readonly #collections: LedgerCollection[] = [];
  readonly #tickets: LedgerTicket[] = [];
  readonly #reports: LedgerSortingReport[] = [];
  readonly #devices: ReadonlyMap<string, Device>;
  readonly #sites: ReadonlyMap<string, Site>;
  readonly #vehicles: readonly { id: string; plate: string }[];

  constructor(devices: readonly Device[], sites: readonly Site[], vehicles: readonly { id: string; plate: string }[]) {
    this.#devices = new Map(devices.map((d) => [d.id, d]));
    this.#sites = new Map(sites.map((s) => [s.id, s]));
    this.#vehicles = vehicles;
  }

  add(actions: readonly SimAction[]): void {
    for (const a of actions) {
      if (a.type !== 'publish') continue;
      const device = this.#devices.get(a.deviceId);
      if (!device) continue;
      if (a.channel === 'event/collection') {
        const kgByCategory: LedgerCollection['kgByCategory'] = {};
        for (const c of a.payload.compartments) kgByCategory[c.category] = (kgByCategory[c.category] ?? 0) + c.weightKg;
        this.#collections.push({ deviceId: device.id, eventId: a.payload.eventId, atMs: a.atMs, subdistrict: device.subdistrict, vehicleId: a.payload.vehicleId, kgByCategory });
      } else if (a.channel === 'event/weigh') {
        const t = a.payload;
        const site = device.siteId === undefined ? undefined : this.#sites.get(device.siteId);
        this.#tickets.push({
          ticketId: t.ticketId,
          scaleId: device.id,
          siteKind: site?.kind ?? null,
          atMs: a.atMs,
          plate: t.plate,
          direction: t.direction,
          netKg: t.netKg,
          ...(t.category !== undefined && { category: t.category }),
          ...(t.reference !== undefined && { reference: t.reference }),
        });
      } else if (a.channel === 'event/sorting') {
        const r = a.payload;
        this.#reports.push({ scaleId: device.id, periodStartMs: Date.parse(r.periodStart), atMs: a.atMs, recoveredKg: r.recoveredKg, residueKg: r.residueKg });
      }
    }
  }

  async inputs(query: LedgerQuery): Promise<LedgerInputs> {
    const { from, to } = ledgerInputRange(query);
    const within = (atMs: number) => atMs >= from && atMs <= to;
    return {
      deposits: [],
      collections: this.#collections.filter((c) => within(c.atMs)),
      tickets: this.#tickets.filter((t) => within(t.atMs)),
      sortingReports: this.#reports.filter((r) => within(r.atMs)),
      vehicles: this.#vehicles,
    };
  }
}

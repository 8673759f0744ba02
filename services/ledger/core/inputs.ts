/**
 * What the mass balance is computed from: plain records, so the core needs no store. The service
 * reads them from the time-series store (collections, weigh tickets, sorting reports) and the
 * tonnage report (deposits); the tests write them by hand.
 */
import type { Subdistrict, TonnageRow, WasteCategory } from '../../../shared/contracts/index.ts';

/** A box's collection event: the box's kg per category went onto the vehicle. */
export interface LedgerCollection {
  deviceId: string;
  eventId: string;
  atMs: number;
  subdistrict: Subdistrict;
  /** A plate under the fixed rounds, a registry vehicle id (truck-01) under plans. */
  vehicleId: string;
  kgByCategory: Partial<Record<WasteCategory, number>>;
}

export type LedgerSiteKind = 'transfer_station' | 'sorting_centre';

/** A weighbridge ticket, with where the scale stands (null: a scale the registry puts at no known site). */
export interface LedgerTicket {
  ticketId: string;
  scaleId: string;
  siteKind: LedgerSiteKind | null;
  atMs: number;
  plate: string;
  direction: 'in' | 'out';
  netKg: number;
  category?: WasteCategory;
  reference?: string;
}

export interface LedgerSortingReport {
  scaleId: string;
  periodStartMs: number;
  atMs: number;
  recoveredKg: Partial<Record<WasteCategory, number>>;
  residueKg: number;
}

export interface LedgerInputs {
  /** Deposited kg by day × category × subdistrict (TimeSeriesStore.tonnage). */
  deposits: readonly TonnageRow[];
  collections: readonly LedgerCollection[];
  tickets: readonly LedgerTicket[];
  sortingReports: readonly LedgerSortingReport[];
  /** The registry's vehicles: a collection naming a vehicle id is matched by its plate. */
  vehicles: readonly { id: string; plate: string }[];
}

/** Plates as keyed at a scale vary in the separator and case: 苏D·H0001, 苏DH0001, 苏d h0001 are one truck. */
export function normalisePlate(plate: string): string {
  return plate.replace(/[·.\s-]/gu, '').toUpperCase();
}

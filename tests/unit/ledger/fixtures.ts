/** A hand-made district day for the ledger's unit tests (UTC+8, day 2026-12-01). */
import type { LedgerCollection, LedgerInputs, LedgerTicket } from '../../../services/ledger/core/inputs.ts';

export const OFFSET = 480;
export const DAY = '2026-12-01';
/** Local time on DAY as epoch ms. */
export const at = (hhmm: string, day = DAY): number => Date.parse(`${day}T${hhmm}:00+08:00`);

let n = 0;
export function collection(vehicleId: string, hhmm: string, subdistrict: LedgerCollection['subdistrict'], kg: LedgerCollection['kgByCategory']): LedgerCollection {
  n += 1;
  return { deviceId: `box-${n}`, eventId: `c-${n}`, atMs: at(hhmm), subdistrict, vehicleId, kgByCategory: kg };
}

export function ticket(partial: Partial<LedgerTicket> & Pick<LedgerTicket, 'plate' | 'netKg'> & { hhmm: string }): LedgerTicket {
  n += 1;
  const { hhmm, ...rest } = partial;
  return { ticketId: `t-${n}`, scaleId: 'scale-ts-01', siteKind: 'transfer_station', direction: 'in', atMs: at(hhmm), ...rest };
}

export const VEHICLES = [
  { id: 'truck-01', plate: '苏D·H0001' },
  { id: 'truck-02', plate: '苏D·H0002' },
];

export const inputs = (partial: Partial<LedgerInputs>): LedgerInputs => ({
  deposits: [],
  collections: [],
  tickets: [],
  sortingReports: [],
  vehicles: VEHICLES,
  ...partial,
});

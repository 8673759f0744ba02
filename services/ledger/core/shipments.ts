/**
 * Shipments: a weigh-out at a transfer station and a weigh-in at the sorting centre carrying the
 * same transfer note (reference). A shipment not yet weighed in is in transit until
 * SHIPMENT_DEADLINE_MS after its weigh-out, then counts as received 0 (lost on the way or its
 * ticket never sent). A receipt whose note matches no weigh-out is kept on its own.
 */
import type { LedgerTicket } from './inputs.ts';

export const SHIPMENT_DEADLINE_MS = 12 * 60 * 60_000;

export interface Shipment {
  reference: string | null;
  weighOut: LedgerTicket | null;
  weighIn: LedgerTicket | null;
  /** Weighed out, not yet weighed in, within the deadline: in neither side of the day's leg. */
  inTransit: boolean;
}

const isWeighOut = (t: LedgerTicket): boolean => t.direction === 'out' && t.siteKind !== 'sorting_centre';
const isReceipt = (t: LedgerTicket): boolean => t.direction === 'in' && (t.siteKind === 'sorting_centre' || (t.siteKind === null && t.reference !== undefined));

export function matchShipments(tickets: readonly LedgerTicket[], nowMs: number): Shipment[] {
  const receipts = new Map<string, LedgerTicket>();
  const orphans: LedgerTicket[] = [];
  for (const t of tickets.filter(isReceipt)) {
    if (t.reference === undefined || receipts.has(t.reference)) orphans.push(t);
    else receipts.set(t.reference, t);
  }
  const shipments: Shipment[] = [];
  for (const out of tickets.filter(isWeighOut)) {
    const weighIn = out.reference === undefined ? undefined : receipts.get(out.reference);
    if (weighIn !== undefined) receipts.delete(out.reference!);
    shipments.push({
      reference: out.reference ?? null,
      weighOut: out,
      weighIn: weighIn ?? null,
      inTransit: weighIn === undefined && nowMs - out.atMs <= SHIPMENT_DEADLINE_MS,
    });
  }
  for (const t of [...receipts.values(), ...orphans]) shipments.push({ reference: t.reference ?? null, weighOut: null, weighIn: t, inTransit: false });
  return shipments.sort((a, b) => shipmentAtMs(a) - shipmentAtMs(b));
}

/** A shipment belongs to the day it left (its receipt's day when its weigh-out is unknown). */
export const shipmentAtMs = (s: Shipment): number => (s.weighOut ?? s.weighIn)!.atMs;

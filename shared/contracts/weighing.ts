/**
 * Payloads of the chain after the box (issue 14): weighbridges (device kind `scale`) at transfer
 * stations and sorting centres publish weigh tickets; a sorting centre's scale also reports what
 * the centre sorted out of what it received. FIWARE: a ticket maps to WasteObserved (docs/contracts.md).
 *
 *   box ──collection──▶ vehicle ──weigh in (trip)──▶ transfer station ──weigh out (shipment)──▶
 *   ──weigh in (shipment)──▶ sorting centre ──sorting report──▶ recovered per category + residue
 */
import { z } from 'zod';
import { WEIGH_DIRECTIONS } from '../vocabulary.ts';
import { EventId, Timestamp, WasteCategory } from './common.ts';

export { WEIGH_DIRECTIONS };

/** A weighbridge's range: a loaded 8 t collection truck to a 40 t articulated lorry. */
const Kg = z.number().min(0).max(60_000);

export const WeighTicket = z
  .strictObject({
    ts: Timestamp,
    eventId: EventId,
    /** The ticket number the weighbridge prints (unique per scale). */
    ticketId: z.string().min(1).max(64),
    /** As read or keyed at the scale; a plate the registry does not know is kept and flagged, not refused. */
    plate: z.string().min(1).max(16),
    /**
     * in: a load arrives (a collection vehicle's trip at a transfer station, a shipment at a
     * sorting centre); out: a load leaves (a shipment from a transfer station to a sorting centre).
     */
    direction: z.enum(WEIGH_DIRECTIONS),
    grossKg: Kg,
    tareKg: Kg,
    netKg: Kg,
    /** When the load is one category (a shipment of paper); absent for a mixed collection trip. */
    category: WasteCategory.optional(),
    /** The transfer note (联单) number a shipment carries from its weigh-out to its weigh-in. */
    reference: z.string().min(1).max(64).optional(),
  })
  .refine((t) => Math.abs(t.grossKg - t.tareKg - t.netKg) <= 1, { message: 'netKg must be grossKg - tareKg (±1 kg)', path: ['netKg'] });
export type WeighTicket = z.infer<typeof WeighTicket>;

/**
 * What a sorting centre got out of what it received over a period: recovered kg per category and
 * the residue (to incineration or landfill). Received − recovered − residue is moisture and
 * handling loss, a few per cent.
 */
export const SortingReport = z
  .strictObject({
    ts: Timestamp,
    eventId: EventId,
    /** The period reported, ending at ts (typically a district day). */
    periodStart: Timestamp,
    recoveredKg: z.partialRecord(WasteCategory, Kg),
    residueKg: Kg,
  })
  .refine((r) => Date.parse(r.periodStart) < Date.parse(r.ts), { message: 'periodStart must be before ts', path: ['periodStart'] });
export type SortingReport = z.infer<typeof SortingReport>;

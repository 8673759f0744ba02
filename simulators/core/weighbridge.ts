/**
 * A weighbridge (地磅) at a transfer station or the sorting centre (issue 14): it reads a loaded
 * vehicle's gross weight with a little noise, rounds it to its division, takes the vehicle's
 * stored tare and prints a ticket (event/weigh). A station's scale may drift out of calibration
 * (an injected anomaly, see anomalies.ts): it then reads every gross high by a share that grows
 * day by day until it is recalibrated.
 */
import type { Device, Site, WasteCategory, WeighTicket } from '../../shared/contracts/index.ts';
import { forkRandom, uniform } from '../../shared/random.ts';
import { DAY_MS, localDay, toLocalIso } from '../../shared/units.ts';
import type { SimContext } from './context.ts';
import { eventId, localSeconds } from './messages.ts';

/**
 * The load's own weight varies by ±0.5 % between what the boxes weighed and what the bridge
 * reads (boxes' load cells, water draining, the truck's fuel): the ledger's tolerance covers it.
 */
export const LOAD_NOISE = 0.005;

/** Divisions: a station's 30 t bridge reads to 10 kg, the sorting centre's 60 t bridge to 20 kg. */
export const RESOLUTION_KG = { transfer_station: 10, sorting_centre: 20 } as const;

/** A calibration drift under way: gross reads high by perDay × days since startMs, until untilMs. */
export interface Drift {
  startMs: number;
  untilMs: number;
  /** Share of the gross per day, e.g. 0.002 = +0.2 % a day. */
  perDay: number;
}

export interface Weighing {
  plate: string;
  tareKg: number;
  /** What the load really weighs. */
  loadKg: number;
  direction: WeighTicket['direction'];
  category?: WasteCategory;
  reference?: string;
}

export interface Weighbridge {
  readonly device: Device;
  readonly site: Site;
  drift: Drift | null;
  /** When it last weighed anything; null: never. */
  readonly lastWeighedMs: number | null;
  /** The share the scale reads high at atMs (0 when calibrated). */
  driftAt(atMs: number): number;
  /** Weighs the load, publishes the ticket and returns it. */
  weigh(weighing: Weighing, atMs: number): WeighTicket;
}

/** 20261126-114203: a ticket's local date and time. */
const compactLocal = (atMs: number, offset: number): string => localSeconds(atMs, offset).replaceAll('-', '').replaceAll(':', '').replace('T', '-');

/** "TS01" of site ts-01: the prefix the bridge prints on its tickets. */
const ticketPrefix = (siteId: string): string => siteId.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 20) || 'SCALE';

export function startWeighbridge(ctx: SimContext, device: Device, site: Site): Weighbridge {
  const r = forkRandom(ctx.seed, `${device.id}/weighings`);
  const resolutionKg = RESOLUTION_KG[site.kind];
  const offset = ctx.utcOffsetMinutes;
  let seq = 0;
  let day = '';
  let ticketsToday = 0;
  let lastWeighed: number | null = null;

  const bridge: Weighbridge = {
    device,
    site,
    drift: null,
    get lastWeighedMs() {
      return lastWeighed;
    },
    driftAt(atMs) {
      const d = bridge.drift;
      if (d === null || atMs < d.startMs || atMs >= d.untilMs) return 0;
      return (d.perDay * (atMs - d.startMs)) / DAY_MS;
    },
    weigh(w, atMs) {
      const noise = uniform(r, -LOAD_NOISE, LOAD_NOISE);
      const trueGross = w.tareKg + w.loadKg * (1 + noise);
      const grossKg = Math.round((trueGross * (1 + bridge.driftAt(atMs))) / resolutionKg) * resolutionKg;
      const tareKg = Math.round(w.tareKg / resolutionKg) * resolutionKg;
      const today = localDay(atMs, offset);
      if (today !== day) {
        day = today;
        ticketsToday = 0;
      }
      const ticket: WeighTicket = {
        ts: toLocalIso(atMs, offset),
        eventId: eventId(device.id, 't', atMs, ++seq, offset),
        // The day's serial and the time: a simulator restarted the same day starts its serials again.
        ticketId: `${ticketPrefix(site.id)}-${compactLocal(atMs, offset)}-${String(++ticketsToday).padStart(4, '0')}`,
        plate: w.plate,
        direction: w.direction,
        grossKg: Math.max(grossKg, tareKg),
        tareKg,
        netKg: Math.max(grossKg - tareKg, 0),
        ...(w.category !== undefined && { category: w.category }),
        ...(w.reference !== undefined && { reference: w.reference }),
      };
      ctx.emit(device.id, 'event/weigh', ticket);
      lastWeighed = atMs;
      return ticket;
    },
  };
  return bridge;
}

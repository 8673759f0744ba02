/**
 * From the transfer stations to the sorting centre (issue 14). A station keeps what its trips
 * unload in one bay per category and ships each bay once a day (18:30, after the afternoon
 * rounds) in lorries of up to 12 t: weighed out at the station, weighed in at the sorting centre,
 * both tickets carrying the same transfer note (联单) number. A little is lost on the way
 * (0–0.3 %: dripping, spillage). The sorting centre sorts what it received the same day and
 * reports at midnight: per category, received × (1 − moisture and handling loss 1–4 % − residue
 * 3–6 %) recovered, and the residue (to incineration) as one figure.
 */
import type { SortingReport, WasteCategory } from '../../shared/contracts/index.ts';
import { forkRandom, uniform, type Random } from '../../shared/random.ts';
import { DAY_MS, HOUR_MS, localDay, localDayStart, toLocalIso } from '../../shared/units.ts';
import type { ChainStats } from './anomalies.ts';
import { plate } from './collection.ts';
import type { SimContext } from './context.ts';
import { eventId, round } from './messages.ts';
import type { Load } from './trips.ts';
import type { Weighbridge } from './weighbridge.ts';

export const SHIP_AT_HOUR = 18.5;
/** A bay with less than this waits for the next day. */
export const MIN_SHIPMENT_KG = 100;
export const LORRY_LOAD_KG = 12_000;
/** A 3-axle lorry with a container body. */
export const LORRY_TARE_KG = [13_500, 16_000] as const;
/** Lorries of one station leave this far apart. */
const LORRY_GAP_MS = 10 * 60_000;
export const TRANSIT_LOSS = [0, 0.003] as const;
export const SORTING_LOSS = [0.01, 0.04] as const;
export const RESIDUE_SHARE = [0.03, 0.06] as const;
/** SortingReport's per-figure ceiling: a day above it is reported in several parts of the period. */
const REPORT_MAX_KG = 60_000;

export interface ShipmentsOptions {
  stations: readonly Weighbridge[];
  /** The sorting centre's bridge; null: nothing is shipped (the stations keep their stock). */
  centre: Weighbridge | null;
  driveMs(from: Weighbridge, to: Weighbridge): number;
}

export interface Shipments {
  /** A trip's load reached a station. */
  unloaded(bridge: Weighbridge, load: Load, atMs: number): void;
  /** What lies in each station's bays now, kg. */
  stock(siteId: string): ReadonlyMap<WasteCategory, number>;
}

interface Station {
  bridge: Weighbridge;
  bays: Map<WasteCategory, number>;
  lorryPlate: string;
  lorryTareKg: number;
  r: Random;
  /** Transfer notes written on notesDay (YYYYMMDD): the note's serial. */
  notes: number;
  notesDay: string;
}

const add = (bays: Map<WasteCategory, number>, category: WasteCategory, kg: number): void =>
  void bays.set(category, (bays.get(category) ?? 0) + kg);

export function startShipments(ctx: SimContext, stats: ChainStats, options: ShipmentsOptions): Shipments {
  const { scheduler, utcOffsetMinutes: offset } = ctx;
  const stations = new Map<string, Station>(
    options.stations.map((bridge) => {
      const r = forkRandom(ctx.seed, `${bridge.site.id}/shipments`);
      const lorryPlate = plate(r);
      // Stored at both bridges: a multiple of the coarser division.
      const lorryTareKg = Math.round(uniform(r, ...LORRY_TARE_KG) / 20) * 20;
      return [bridge.site.id, { bridge, bays: new Map(), lorryPlate, lorryTareKg, r, notes: 0, notesDay: '' }];
    }),
  );
  const centre = options.centre;
  const received = new Map<WasteCategory, number>();

  const ship = (station: Station, category: WasteCategory, kg: number, leavesAt: number): void => {
    if (centre === null) return;
    const day = localDay(leavesAt, offset).replaceAll('-', '');
    if (station.notesDay !== day) {
      station.notesDay = day;
      station.notes = 0;
    }
    const reference = `TN-${station.bridge.site.id.toUpperCase()}-${day}-${String(++station.notes).padStart(3, '0')}`;
    const lorry = { plate: station.lorryPlate, tareKg: station.lorryTareKg, category, reference };
    station.bridge.weigh({ ...lorry, loadKg: kg, direction: 'out' }, leavesAt);
    add(station.bays, category, -kg);
    const arrives = kg * (1 - uniform(station.r, ...TRANSIT_LOSS));
    scheduler.at(leavesAt + options.driveMs(station.bridge, centre), (t) => {
      centre.weigh({ ...lorry, loadKg: arrives, direction: 'in' }, t);
      add(received, category, arrives);
      stats.receivedKg += arrives;
    });
    stats.shipments++;
    stats.shippedKg += kg;
  };

  const shipDay = (t: number): void => {
    scheduler.at(t + DAY_MS, shipDay);
    for (const station of stations.values()) {
      let leavesAt = t;
      for (const [category, kg] of [...station.bays].sort(([a], [b]) => a.localeCompare(b))) {
        if (kg < MIN_SHIPMENT_KG) continue;
        const lorries = Math.ceil(kg / LORRY_LOAD_KG);
        for (let i = 0; i < lorries; i++, leavesAt += LORRY_GAP_MS) ship(station, category, kg / lorries, leavesAt);
      }
    }
  };

  const rSorting = centre === null ? null : forkRandom(ctx.seed, `${centre.device.id}/sorting`);
  let reports = 0;
  const report = (t: number): void => {
    scheduler.at(t + DAY_MS, report);
    if (centre === null || rSorting === null) return;
    const loss = uniform(rSorting, ...SORTING_LOSS);
    const residueShare = uniform(rSorting, ...RESIDUE_SHARE);
    const total = [...received.values()].reduce((s, kg) => s + kg, 0);
    const largest = Math.max(total * residueShare, ...[...received.values()].map((kg) => kg * (1 - loss - residueShare)));
    const parts = Math.max(1, Math.ceil(largest / REPORT_MAX_KG));
    for (let part = 0; part < parts; part++) {
      const recoveredKg: SortingReport['recoveredKg'] = {};
      for (const [category, kg] of [...received].sort(([a], [b]) => a.localeCompare(b))) {
        recoveredKg[category] = round((kg * (1 - loss - residueShare)) / parts, 1);
      }
      ctx.emit(centre.device.id, 'event/sorting', {
        ts: toLocalIso(t, offset),
        eventId: eventId(centre.device.id, 's', t, ++reports, offset),
        periodStart: toLocalIso(t - DAY_MS, offset),
        recoveredKg,
        residueKg: round((total * residueShare) / parts, 1),
      });
    }
    stats.sortingReports++;
    received.clear();
  };

  const today = localDayStart(localDay(scheduler.nowMs, offset), offset);
  const next = (atMs: number): number => (atMs > scheduler.nowMs ? atMs : atMs + DAY_MS);
  scheduler.at(next(today + SHIP_AT_HOUR * HOUR_MS), shipDay);
  scheduler.at(next(today + DAY_MS), report);

  return {
    unloaded(bridge, load) {
      const station = stations.get(bridge.site.id);
      if (station === undefined) return;
      for (const [category, kg] of load) add(station.bays, category, kg);
    },
    stock: (siteId) => stations.get(siteId)?.bays ?? new Map(),
  };
}

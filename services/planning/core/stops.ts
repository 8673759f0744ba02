/**
 * Which boxes a shift visits (issue 13): every box with a compartment forecast to reach the
 * full threshold before the next possible visit must be served; boxes well filled may be topped
 * up if they lie on the way; boxes far from full are skipped. Plain data in and out, time passed in.
 */
import type { LatLon } from './distance.ts';

export interface CompartmentOutlook {
  category: string;
  capacityKg: number;
  currentKg: number;
  /** 0..1 of capacity, now. */
  fillingLevel: number;
  /**
   * When the forecast expects the compartment to reach the full threshold (epoch ms; null: not
   * within the forecast horizon), and the bounds of its 80 % interval.
   */
  fullAtMs: number | null;
  fullAtEarliestMs: number | null;
  fullAtLatestMs: number | null;
  /** kg the compartment is expected to hold when the shift serves it. */
  expectedKgAtService: number;
}

export interface CandidateBox {
  boxId: string;
  position: LatLon;
  compartments: readonly CompartmentOutlook[];
}

export interface StopSelectionOptions {
  /** The instant after this shift at which the box could be visited next (e.g. the next shift's start). */
  nextVisitAtMs: number;
  /** Boxes whose fullest compartment is below this level are skipped (unless due). Default 0.25. */
  skipBelow?: number;
  /** Boxes from this level are worth a stop if it costs little detour. Default 0.5. */
  topUpFrom?: number;
}

export type StopReason = 'due' | 'top_up';

export interface StopDemand {
  boxId: string;
  position: LatLon;
  reason: StopReason;
  /** The earliest instant a compartment may reach full (the interval's low bound); null for top-ups. */
  dueAtMs: number | null;
  /** Fill level of the box's fullest compartment now. */
  fillingLevel: number;
  /** kg collected by category (compartments emptied at the stop). */
  kgByCategory: Record<string, number>;
  kg: number;
}

export type SkipReason = 'far_from_full' | 'not_due';

export interface StopSelection {
  mustVisit: StopDemand[];
  optional: StopDemand[];
  skipped: { boxId: string; reason: SkipReason; fillingLevel: number }[];
}

export const DEFAULT_SKIP_BELOW = 0.25;
export const DEFAULT_TOP_UP_FROM = 0.5;

/**
 * Conservative on purpose: a compartment is due when the low bound of its 80 % interval falls
 * before the next possible visit, so roughly one in ten due times is caught early rather than
 * late (an overflow costs more than an early stop). Without an interval the point forecast decides.
 */
export function dueAt(c: CompartmentOutlook): number | null {
  return c.fullAtEarliestMs ?? c.fullAtMs;
}

export function selectStops(boxes: readonly CandidateBox[], options: StopSelectionOptions): StopSelection {
  const skipBelow = options.skipBelow ?? DEFAULT_SKIP_BELOW;
  const topUpFrom = options.topUpFrom ?? DEFAULT_TOP_UP_FROM;
  const selection: StopSelection = { mustVisit: [], optional: [], skipped: [] };
  for (const box of [...boxes].sort((a, b) => (a.boxId < b.boxId ? -1 : a.boxId > b.boxId ? 1 : 0))) {
    const fillingLevel = Math.max(0, ...box.compartments.map((c) => c.fillingLevel));
    const due = box.compartments
      .map(dueAt)
      .filter((t): t is number => t !== null && t < options.nextVisitAtMs);
    if (due.length > 0) {
      selection.mustVisit.push(demand(box, 'due', Math.min(...due), fillingLevel));
    } else if (fillingLevel >= topUpFrom) {
      selection.optional.push(demand(box, 'top_up', null, fillingLevel));
    } else {
      selection.skipped.push({ boxId: box.boxId, reason: fillingLevel < skipBelow ? 'far_from_full' : 'not_due', fillingLevel });
    }
  }
  return selection;
}

/**
 * A stop empties every compartment holding anything (the crew has opened the box; the simulated
 * vehicles do the same): its kg are all of them. Counting only the due compartments and those at
 * or above the skip level left a fifth of the kg out of the loads and overloaded 130 of 334
 * vehicle-shifts in `npm run evaluate -- planning` (docs/planning.md).
 */
function demand(box: CandidateBox, reason: StopReason, due: number | null, fillingLevel: number): StopDemand {
  const kgByCategory: Record<string, number> = {};
  let kg = 0;
  for (const c of box.compartments) {
    const expected = c.expectedKgAtService;
    if (!(expected > 0)) continue;
    kgByCategory[c.category] = (kgByCategory[c.category] ?? 0) + expected;
    kg += expected;
  }
  return { boxId: box.boxId, position: box.position, reason, dueAtMs: due, fillingLevel, kgByCategory, kg };
}

/**
 * How many kg make a compartment of a category full, learned from the fleet (issue 14): each
 * compartment's latest kg / fillingLevel while its level is mid-range, and per category the
 * median over the compartments not under suspicion. A median, so a few drifting or stuck
 * sensors do not move it; mid-range only, because near 0 the ratio is noise and at 1 the
 * sensor is capped.
 *
 * Until a category has MIN_FLEET_SAMPLES compartments the caller's fallback (the registry's
 * capacityKg) stands in: one box alone still gets checked. The median is recomputed at most once
 * per RECOMPUTE_MS of the caller's time (605 boxes report every few minutes), and at once while
 * the category has few samples.
 */
import { HOUR_MS } from '../../../shared/units.ts';

export const MIN_FLEET_SAMPLES = 5;
const RECOMPUTE_MS = HOUR_MS;
/** Levels the ratio is taken from: below, a deposit's rounding dominates; above, the sensor caps. */
export const SAMPLE_LEVELS = { min: 0.2, max: 0.95 } as const;

interface Category {
  /** compartment key → its latest kg per unit of level */
  samples: Map<string, number>;
  median: number | null;
  computedAt: number;
  dirty: boolean;
}

export class FleetFillDensity {
  private readonly categories = new Map<string, Category>();

  /** A reading of a healthy compartment: kg in it and the level it reports. */
  observe(category: string, compartmentKey: string, kg: number, level: number): void {
    if (!(level >= SAMPLE_LEVELS.min && level <= SAMPLE_LEVELS.max && kg > 0)) return;
    const c = this.category(category);
    c.samples.set(compartmentKey, kg / level);
    c.dirty = true;
  }

  /** A compartment under suspicion no longer speaks for its category. */
  forget(category: string, compartmentKey: string): void {
    const c = this.categories.get(category);
    if (c?.samples.delete(compartmentKey)) c.dirty = true;
  }

  /** kg at level 1 for the category: the fleet's median, or the fallback while too few compartments say. */
  kgAtFull(category: string, fallbackKg: number, at: number): number {
    const c = this.categories.get(category);
    if (!c || c.samples.size < MIN_FLEET_SAMPLES) return fallbackKg;
    const few = c.samples.size < 4 * MIN_FLEET_SAMPLES;
    if (c.median === null || (c.dirty && (few || at - c.computedAt >= RECOMPUTE_MS))) {
      c.median = median([...c.samples.values()]);
      c.computedAt = at;
      c.dirty = false;
    }
    return c.median;
  }

  /** Compartments whose ratio the category's figure is taken from. */
  samples(category: string): number {
    return this.categories.get(category)?.samples.size ?? 0;
  }

  private category(name: string): Category {
    let c = this.categories.get(name);
    if (!c) {
      c = { samples: new Map(), median: null, computedAt: 0, dirty: true };
      this.categories.set(name, c);
    }
    return c;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

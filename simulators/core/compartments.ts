/** A box's compartments: kg in, kg out, and what the level sensor reports. */
import type { CompartmentReading, CompartmentSpec, WasteCategory } from '../../shared/contracts/index.ts';
import { round } from './messages.ts';

export interface Compartment {
  category: WasteCategory;
  capacityKg: number;
  weightKg: number;
  /** Since when it has been at or above capacity (statistics only); null below it. */
  fullSinceMs: number | null;
}

export const compartmentFrom = (spec: CompartmentSpec, weightKg: number): Compartment => ({
  category: spec.category,
  capacityKg: spec.capacityKg,
  weightKg,
  fullSinceMs: null,
});

/** Unbounded ratio; the sensor caps it at 1. */
export const loadRatio = (c: Compartment): number => c.weightKg / c.capacityKg;

/** The box will not open a compartment that is already at capacity. */
export const accepts = (c: Compartment): boolean => c.weightKg < c.capacityKg;

/** The last deposit can push a compartment over capacity: then it reads 1 with overflow. */
export function reading(c: Compartment): CompartmentReading {
  const ratio = loadRatio(c);
  return {
    category: c.category,
    fillingLevel: round(Math.min(1, ratio), 3),
    weightKg: round(c.weightKg, 2),
    overflow: ratio > 1,
  };
}

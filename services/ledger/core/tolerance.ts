/**
 * How far two stages may differ before it is a loss worth an alert. Derived from the measuring
 * chain (docs/ledger.md):
 *
 * - A trip: the sum of the boxes' load cells against a weighbridge. A weighbridge reads to 10–20 kg
 *   and net = gross − tare takes two readings, so ±40 kg from resolution alone; a calibrated
 *   weighbridge is within ±0.5 % (the simulator's noise), box load cells about as good, and a load
 *   sheds a little water on the way. max(2 %, 50 kg) stays clear of that noise and still catches a
 *   load 5 % light on a 2 t trip (the simulator's light loads are 8–20 % light).
 * - A day's shipments: two weighbridges (out at the station, in at the centre) on 10–40 t loads;
 *   their errors partly cancel over a day's shipments. max(1.5 %, 100 kg).
 * - Sorting: received − recovered − residue is moisture and handling loss, a few per cent; beyond 8 %
 *   (or a gain beyond the shipment tolerance) the sorting report does not add up.
 */
export const TRIP_TOLERANCE = { share: 0.02, minKg: 50 } as const;
export const SHIPMENT_TOLERANCE = { share: 0.015, minKg: 100 } as const;
export const SORTING_LOSS_MAX_SHARE = 0.08;

/**
 * A trip with collections and no weigh-in this long after its last collection is a missing
 * weigh-in. A fixed round's load is weighed in after the round's window closes (+ stragglers and
 * the drive), up to ~4.5 h after a stop early in the window; a planned route's an hour or two
 * after its last stop.
 */
export const WEIGH_IN_DEADLINE_MS = 6 * 60 * 60_000;

/**
 * A pause between a vehicle's collections after which they may be two trips (the morning and the
 * afternoon rounds are three hours apart): considered only when a weigh-in disagrees with the
 * whole run (trips.ts bestSplit), since a sparse route's stops can be hours apart too.
 */
export const SPLIT_GAP_MS = 60 * 60_000;

export function toleranceKg(kg: number, rule: { share: number; minKg: number }): number {
  return Math.max(Math.abs(kg) * rule.share, rule.minKg);
}

/** Within a symmetric tolerance: a gain is as suspect as a loss (a scale reading heavy). */
export const withinTolerance = (lossKg: number, tolerance: number): boolean => Math.abs(lossKg) <= tolerance;

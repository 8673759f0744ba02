/** Hand-made compartment histories on a fake clock, for the forecast's unit tests. */
import {
  newCompartmentHistory,
  observeDeposit,
  observeReading,
  type CompartmentHistory,
} from '../../../services/planning/core/forecast-history.ts';
import { HOUR_MS, localDayStart } from '../../../shared/units.ts';

export const OFFSET = 480;
/** Monday 2026-11-02, 00:00 in the district (UTC+8). */
export const T0 = localDayStart('2026-11-02', OFFSET);
export const MIN_MS = 60_000;

export interface SteadyOptions {
  capacityKg?: number;
  days: number;
  /** kg per deposit; deposits every 15 min, in the middle of each quarter hour. */
  kgPerDeposit?: (day: number, hourOfDay: number) => number;
  /** Hours of the day with deposits (default all). */
  openHours?: (hourOfDay: number, day: number) => boolean;
  /** Added to each hourly reading (sensor noise), by reading number. */
  readingNoise?: (n: number) => number;
}

/**
 * A compartment read every hour on the hour from T0 and filled by a deposit every quarter hour
 * (at :07:30, :22:30, …) for `days` days; it ends with the reading at T0 + days.
 */
export function steadyHistory(options: SteadyOptions): CompartmentHistory {
  const { capacityKg = 1000, days, kgPerDeposit = () => 1, openHours = () => true, readingNoise = () => 0 } = options;
  const h = newCompartmentHistory(capacityKg, OFFSET);
  let kg = 0;
  let n = 0;
  for (let hour = 0; hour < days * 24; hour++) {
    const start = T0 + hour * HOUR_MS;
    observeReading(h, start, kg / capacityKg + readingNoise(n++));
    const day = Math.floor(hour / 24);
    if (!openHours(hour % 24, day)) continue;
    for (let q = 0; q < 4; q++) {
      const w = kgPerDeposit(day, hour % 24);
      observeDeposit(h, start + 7.5 * MIN_MS + q * 15 * MIN_MS, w);
      kg += w;
    }
  }
  observeReading(h, T0 + days * 24 * HOUR_MS, kg / capacityKg + readingNoise(n));
  return h;
}

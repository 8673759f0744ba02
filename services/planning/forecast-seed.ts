/**
 * After a restart the forecast histories are rebuilt from what the store kept: each
 * compartment's fill readings of the last days. Readings alone are enough for the forecaster
 * (it learns the rate from rising readings when it sees no deposits), and a level that falls
 * sharply between two readings was a collection. SQLite's hourly fill rollup (one row per hour
 * and compartment, kept beyond raw retention) is read when the store has it; otherwise the raw
 * fillingLevel series through the port.
 */
import type { WasteCategory } from '../../shared/contracts/index.ts';
import type { TimeSeriesStore } from '../timeseries/core/store.ts';
import type { FillHourlyRow } from '../timeseries/adapters/sqlite-store.ts';
import { newCompartmentHistory, observeCollection, observeReading, type CompartmentHistory } from './core/forecast-history.ts';

export interface StoredReading {
  category: WasteCategory;
  atMs: number;
  level: number;
}

/** A fall of more than this between two readings is read as a collection (sensor noise is ~0.02). */
export const COLLECTION_DROP = 0.2;

/** Points read per box from a store without the hourly rollup (14 days of 10-minute readings, 5 compartments). */
const SERIES_LIMIT = 15_000;

/** One compartment's history from its readings, oldest first. */
export function historyFromReadings(readings: readonly StoredReading[], capacityKg: number, utcOffsetMinutes: number): CompartmentHistory {
  const h = newCompartmentHistory(capacityKg, utcOffsetMinutes);
  let previous: number | undefined;
  for (const r of readings) {
    if (previous !== undefined && r.level < previous - COLLECTION_DROP) observeCollection(h, r.atMs);
    observeReading(h, r.atMs, r.level);
    previous = r.level;
  }
  return h;
}

type Store = Pick<TimeSeriesStore, 'deviceSeries'> & { fillHourly?: (deviceId: string, range: { from: number; to: number }) => Promise<FillHourlyRow[]> };

/** Reads a box's readings of [fromMs, toMs), oldest first, from whichever store is open. */
export function readingSourceOf(store: Store): (deviceId: string, fromMs: number, toMs: number) => Promise<StoredReading[]> {
  const { fillHourly } = store;
  if (typeof fillHourly === 'function') {
    return async (deviceId, from, to) =>
      (await fillHourly.call(store, deviceId, { from, to })).map((row) => ({ category: row.category, atMs: row.lastTs, level: row.lastFillingLevel }));
  }
  return async (deviceId, from, to) => {
    const points = await store.deviceSeries(deviceId, { from, to }, SERIES_LIMIT);
    return points
      .filter((p) => p.metric === 'fillingLevel' && p.category !== null)
      .map((p) => ({ category: p.category!, atMs: Date.parse(p.ts), level: p.value }));
  };
}

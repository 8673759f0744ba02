/**
 * The forecast as FIWARE's WasteContainer sees it (smart-data-models dataModel.WasteManagement):
 * `nextActuationDeadline` is "the date and time by which the container must be collected".
 * We give the early end of the 80 % interval of reaching the bin_full level: by then nine
 * compartments in ten are not yet full, so a collection planned for it comes in time (the
 * median would be late for half of them). A box has several compartments and one container
 * entity: the earliest of them. docs/planning.md states the mapping.
 */
import type { CompartmentForecast } from './forecast.ts';

/** ISO 8601 (UTC) instant, or undefined when no compartment is forecast to fill within the horizon. */
export function nextActuationDeadline(compartments: readonly Pick<CompartmentForecast, 'full' | 'atMs'>[]): string | undefined {
  let earliest = Infinity;
  for (const c of compartments) {
    const deadline = c.full.reached ? c.atMs : c.full.earliestMs;
    if (deadline !== null && deadline < earliest) earliest = deadline;
  }
  return Number.isFinite(earliest) ? new Date(earliest).toISOString() : undefined;
}

/**
 * The forecaster's view of the simulated district: one history per compartment, fed by the
 * simulation's own messages as the live forecast service is fed (each message at its payload's
 * ts, so events a box held through a signal loss count when they happened), and the district's
 * forecasts at an instant as the API would return them (BoxForecast).
 */
import type { BoxForecast, Device } from '../../shared/contracts/index.ts';
import { boxForecastOf, observeBoxMessage, pooledDistrictProfile } from '../../services/planning/core/box-forecast.ts';
import { newCompartmentHistory, type CompartmentHistory } from '../../services/planning/core/forecast-history.ts';
import type { SimAction } from '../../simulators/core/context.ts';

export class DistrictHistories {
  readonly #histories = new Map<string, CompartmentHistory>();

  constructor(
    private readonly boxes: readonly Device[],
    private readonly utcOffsetMinutes: number,
  ) {
    for (const box of boxes) {
      for (const spec of box.compartments) this.#histories.set(`${box.id}/${spec.category}`, newCompartmentHistory(spec.capacityKg, utcOffsetMinutes));
    }
  }

  observe(action: SimAction): void {
    if (action.type !== 'publish') return;
    observeBoxMessage(action, (category) => this.#histories.get(`${action.deviceId}/${category}`));
  }

  /** Every box's forecast at nowMs, the district profile pooled over all histories (as the live service does). */
  forecasts(nowMs: number, fullLevel: number): { device: Device; forecast: BoxForecast }[] {
    const profile = pooledDistrictProfile(this.#histories.values());
    return this.boxes.map((device) => ({
      device,
      forecast: boxForecastOf(device, nowMs, { fullLevel, profile }, (category) => this.#histories.get(`${device.id}/${category}`)!),
    }));
  }
}

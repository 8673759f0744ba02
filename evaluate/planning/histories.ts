/**
 * The forecaster's view of the simulated district: one history per compartment, fed by the
 * simulation's own messages as the live forecast service is fed (each message at its payload's
 * ts, so events a box held through a signal loss count when they happened), and the district's
 * forecasts at an instant as the API would return them (BoxForecast).
 */
import type { BoxForecast, Device } from '../../shared/contracts/index.ts';
import { HOURS_PER_WEEK, newCompartmentHistory, observeCollection, observeDeposit, observeReading, type CompartmentHistory } from '../../services/planning/core/forecast-history.ts';
import { districtProfile, forecastCompartment, type CompartmentForecast } from '../../services/planning/core/forecast.ts';
import { nextActuationDeadline } from '../../services/planning/core/forecast-fiware.ts';
import { compartmentOut } from '../../services/planning/forecast-service.ts';
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
    const get = (category: string) => this.#histories.get(`${action.deviceId}/${category}`);
    switch (action.channel) {
      case 'telemetry': {
        const atMs = Date.parse(action.payload.ts);
        for (const c of action.payload.compartments) {
          const h = get(c.category);
          if (h) observeReading(h, atMs, c.fillingLevel);
        }
        return;
      }
      case 'event/deposit': {
        const h = get(action.payload.category);
        if (h) observeDeposit(h, Date.parse(action.payload.ts), action.payload.weightKg);
        return;
      }
      case 'event/collection': {
        const atMs = Date.parse(action.payload.ts);
        for (const c of action.payload.compartments) {
          const h = get(c.category);
          if (h) observeCollection(h, atMs);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Every box's forecast at nowMs, the district profile pooled over all histories (as the live service does). */
  forecasts(nowMs: number, fullLevel: number): { device: Device; forecast: BoxForecast }[] {
    const kg = new Array<number>(HOURS_PER_WEEK).fill(0);
    const hours = new Array<number>(HOURS_PER_WEEK).fill(0);
    for (const h of this.#histories.values()) {
      for (let b = 0; b < HOURS_PER_WEEK; b++) {
        kg[b]! += h.kgByHourOfWeek[b]!;
        hours[b]! += h.hoursByHourOfWeek[b]!;
      }
    }
    const profile = districtProfile(kg, hours);
    return this.boxes.map((device) => {
      const made: CompartmentForecast[] = [];
      const compartments = device.compartments.map((spec) => {
        const f = forecastCompartment(this.#histories.get(`${device.id}/${spec.category}`)!, nowMs, { fullLevel, profile });
        made.push(f);
        return compartmentOut(spec.category, fullLevel, f);
      });
      const forecast: BoxForecast = {
        deviceId: device.id,
        name: device.name,
        subdistrict: device.subdistrict,
        community: device.community,
        position: { lat: device.lat, lon: device.lon },
        at: new Date(nowMs).toISOString(),
        compartments,
        nextActuationDeadline: nextActuationDeadline(made) ?? null,
      };
      return { device, forecast };
    });
  }
}

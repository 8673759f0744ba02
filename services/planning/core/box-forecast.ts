/**
 * A box's forecast from its compartments' histories, as the live service (forecast-service.ts)
 * and the planning evaluation (evaluate/planning) both make it: the messages each history learns
 * from, the district's rhythm pooled over every compartment, and the API's BoxForecast. Pure.
 */
import type { BoxForecast, CompartmentForecastOut, Device, DeviceMessage } from '../../../shared/contracts/index.ts';
import { HOURS_PER_WEEK, observeCollection, observeDeposit, observeReading, type CompartmentHistory } from './forecast-history.ts';
import { districtProfile, forecastCompartment, type CompartmentForecast, type DistrictProfile, type LevelForecast } from './forecast.ts';
import { nextActuationDeadline } from './forecast-fiware.ts';

type HistoryOf = (category: string) => CompartmentHistory | undefined;

/**
 * Feeds one box message to its compartments' histories: readings, deposits, collections; other
 * channels teach nothing. False when the message changed no history.
 */
export function observeBoxMessage(message: Pick<DeviceMessage, 'channel' | 'payload'>, historyOf: HistoryOf): boolean {
  const m = message as DeviceMessage;
  switch (m.channel) {
    case 'telemetry': {
      const atMs = Date.parse(m.payload.ts);
      for (const c of m.payload.compartments) {
        const h = historyOf(c.category);
        if (h) observeReading(h, atMs, c.fillingLevel);
      }
      return true;
    }
    case 'event/deposit': {
      const h = historyOf(m.payload.category);
      if (h) observeDeposit(h, Date.parse(m.payload.ts), m.payload.weightKg);
      return true;
    }
    case 'event/collection': {
      const atMs = Date.parse(m.payload.ts);
      for (const c of m.payload.compartments) {
        const h = historyOf(c.category);
        if (h) observeCollection(h, atMs);
      }
      return true;
    }
    default:
      return false;
  }
}

/** The district's hour-of-week rhythm pooled over every compartment: a young compartment follows it. */
export function pooledDistrictProfile(histories: Iterable<CompartmentHistory>): DistrictProfile {
  const kg = new Array<number>(HOURS_PER_WEEK).fill(0);
  const hours = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const h of histories) {
    for (let b = 0; b < HOURS_PER_WEEK; b++) {
      kg[b]! += h.kgByHourOfWeek[b]!;
      hours[b]! += h.hoursByHourOfWeek[b]!;
    }
  }
  return districtProfile(kg, hours);
}

/** Every compartment of the box forecast at nowMs from its history (historyOf must know each one). */
export function boxForecastOf(
  device: Device,
  nowMs: number,
  options: { fullLevel: number; profile: DistrictProfile },
  historyOf: (category: string, capacityKg: number) => CompartmentHistory,
): BoxForecast {
  const made: CompartmentForecast[] = [];
  const compartments = device.compartments.map((spec) => {
    const f = forecastCompartment(historyOf(spec.category, spec.capacityKg), nowMs, options);
    made.push(f);
    return compartmentOut(spec.category, options.fullLevel, f);
  });
  return {
    deviceId: device.id,
    name: device.name,
    subdistrict: device.subdistrict,
    community: device.community,
    position: { lat: device.lat, lon: device.lon },
    at: new Date(nowMs).toISOString(),
    compartments,
    nextActuationDeadline: nextActuationDeadline(made) ?? null,
  };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function levelOut(f: LevelForecast): { at: string | null; earliest: string | null; latest: string | null } {
  return { at: iso(f.atMs), earliest: iso(f.earliestMs), latest: iso(f.latestMs) };
}

export function compartmentOut(category: CompartmentForecastOut['category'], fullLevel: number, f: CompartmentForecast): CompartmentForecastOut {
  const full = levelOut(f.full);
  const overflow = levelOut(f.overflow);
  return {
    category,
    level: f.level,
    fillRatePerHour: f.fillRatePerHour,
    fullLevel,
    fullAt: full.at,
    fullAtEarliest: full.earliest,
    fullAtLatest: full.latest,
    overflowAt: overflow.at,
    overflowAtEarliest: overflow.earliest,
    overflowAtLatest: overflow.latest,
    reliability: { rating: f.reliability.rating, reasons: [...f.reliability.reasons] },
  };
}

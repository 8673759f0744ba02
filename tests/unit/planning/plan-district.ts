/**
 * Hand-made districts for the planner tests: positions on a flat plane where lon is x and lat
 * is y in km, driven at 60 km/h (a minute per km), so tour lengths are known analytically.
 */
import type { DistanceModel, LatLon } from '../../../services/planning/core/distance.ts';
import type { ShiftPlanInput, Vehicle } from '../../../services/planning/core/plan.ts';
import type { CandidateBox } from '../../../services/planning/core/stops.ts';

export const plane: DistanceModel = {
  km: (a, b) => Math.hypot(a.lon - b.lon, a.lat - b.lat),
  minutes: (a, b) => Math.hypot(a.lon - b.lon, a.lat - b.lat),
};

export const at = (x: number, y: number): LatLon => ({ lat: y, lon: x });

export const HOUR = 3_600_000;
export const SHIFT_START = Date.parse('2026-12-07T00:00:00Z');

/** A box with one paper compartment holding kg, forecast full at fullInH hours after the shift starts. */
export function box(boxId: string, position: LatLon, kg: number, fullInH: number | null, fillingLevel = 0.8): CandidateBox {
  const fullAt = fullInH === null ? null : SHIFT_START + fullInH * HOUR;
  return {
    boxId,
    position,
    compartments: [
      {
        category: 'paper',
        capacityKg: 150,
        currentKg: kg,
        fillingLevel,
        fullAtMs: fullAt,
        fullAtEarliestMs: fullAt === null ? null : fullAt - HOUR,
        fullAtLatestMs: fullAt === null ? null : fullAt + HOUR,
        expectedKgAtService: kg,
      },
    ],
  };
}

export function vehicle(id: string, depot: LatLon, capacityKg: number, depotId = 'ts-1'): Vehicle {
  return { id, plate: `苏D·${id}`, capacityKg, depot: { id: depotId, position: depot } };
}

/** An 8-hour shift, next visit 12 h after its start, 5 minutes per stop, on the plane. */
export function shiftInput(boxes: CandidateBox[], vehicles: Vehicle[], overrides: Partial<ShiftPlanInput> = {}): ShiftPlanInput {
  return {
    shift: { date: '2026-12-07', startMs: SHIFT_START, endMs: SHIFT_START + 8 * HOUR },
    vehicles,
    boxes,
    nextVisitAtMs: SHIFT_START + 12 * HOUR,
    serviceMinutes: 5,
    distance: plane,
    ...overrides,
  };
}

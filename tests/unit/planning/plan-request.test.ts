/** From a plan request to the planner's input, and its output to the API's Plan (services/planning/core/plan-request.ts). */
import { nextShiftStartMs, parseShiftCalendar } from '../../../services/planning/core/shift-calendar.ts';
import { describe, expect, it } from 'vitest';
import { NewPlan, type BoxForecast, type CompartmentForecastOut, type Device, type TransferStation, type Vehicle } from '../../../shared/contracts/index.ts';
import { planShift } from '../../../services/planning/core/plan.ts';
import { planOf, PlanRequestError, shiftPlanInput, type PlanSources } from '../../../services/planning/core/plan-request.ts';
import { makeDevice } from '../../support/api-fakes.ts';

const HOUR = 3_600_000;
/** 2026-05-11 06:00 in Changzhou (UTC+8). */
const START = Date.parse('2026-05-10T22:00:00Z');
const NOW = START - 10 * HOUR;

const station = (id: string, lat: number, lon: number): TransferStation => ({
  id,
  kind: 'transfer_station',
  name: `Station ${id}`,
  position: { lat, lon },
  subdistrict: 'tianning',
  address: '1 Depot Road',
  categories: ['paper', 'plastic'],
});
const vehicle = (id: string, depotId: string, capacityKg = 2000): Vehicle => ({ id, plate: '苏D·H0001', capacityKg, depotId });

function compartment(category: string, level: number, fillRatePerHour: number, fullAt: string | null): CompartmentForecastOut {
  return {
    category: category as CompartmentForecastOut['category'],
    level,
    fillRatePerHour,
    fullLevel: 0.9,
    fullAt,
    fullAtEarliest: fullAt === null ? null : new Date(Date.parse(fullAt) - HOUR).toISOString(),
    fullAtLatest: fullAt === null ? null : new Date(Date.parse(fullAt) + HOUR).toISOString(),
    overflowAt: null,
    overflowAtEarliest: null,
    overflowAtLatest: null,
    reliability: { rating: 'good', reasons: [] },
  };
}

function forecastOf(device: Device, compartments: CompartmentForecastOut[]): BoxForecast {
  return {
    deviceId: device.id,
    name: device.name,
    subdistrict: device.subdistrict,
    community: device.community,
    position: { lat: device.lat, lon: device.lon },
    at: new Date(NOW).toISOString(),
    compartments,
    nextActuationDeadline: null,
  };
}

// B001: paper 0.5 + 0.02/h × 10 h = 0.7 of 120 kg at the shift's start; plastic 0.8 + 0.1/h × 10 h, capped at 80 kg.
const b1 = makeDevice('B001', { lat: 31.78, lon: 119.97 });
const b2 = makeDevice('B002', { lat: 31.79, lon: 119.98, name: 'Box two', community: 'Hongmei' });
const sources = (over: Partial<PlanSources> = {}): PlanSources => ({
  boxes: [
    { device: b1, forecast: forecastOf(b1, [compartment('paper', 0.5, 0.02, '2026-05-11T10:00:00Z'), compartment('plastic', 0.8, 0.1, '2026-05-10T14:00:00Z')]) },
    { device: b2, forecast: forecastOf(b2, [compartment('paper', 0.1, 0.001, null), compartment('plastic', 0.1, 0.001, null)]) },
    { device: makeDevice('B003'), forecast: null },
  ],
  vehicles: [vehicle('V001', 'S001'), vehicle('V002', 'S002', 5000)],
  stations: [station('S001', 31.77, 119.96), station('S002', 31.8, 119.99)],
  utcOffsetMinutes: 480,
  nowMs: NOW,
  ...over,
});
const request = (over: Record<string, unknown> = {}) => NewPlan.parse({ date: '2026-05-11', ...over });

describe('shiftPlanInput', () => {
  it('places the shift on the district day (default 06:00–14:00) and the next visit a day after its start', () => {
    const input = shiftPlanInput(request(), sources());
    expect(input.shift).toEqual({ date: '2026-05-11', startMs: START, endMs: START + 8 * HOUR });
    expect(input.nextVisitAtMs).toBe(START + 24 * HOUR);
    expect(input.serviceMinutes).toBe(4);
    expect(input.skipBelow).toBe(0.25);
    const evening = shiftPlanInput(request({ shift: { start: '14:00', end: '22:00' }, serviceMinutes: 6, skipBelow: 0.4 }), sources());
    expect(evening.shift).toMatchObject({ startMs: START + 8 * HOUR, endMs: START + 16 * HOUR });
    expect(evening).toMatchObject({ serviceMinutes: 6, skipBelow: 0.4 });
  });

  it("with a shift calendar, a skipped box's next possible visit is the following shift's start", () => {
    const calendar = parseShiftCalendar('06:00-14:00,14:00-22:00');
    const next = (shift: { startMs: number; endMs: number }) => nextShiftStartMs(calendar, shift, 480);
    expect(shiftPlanInput(request(), sources({ nextShiftStartMs: next })).nextVisitAtMs).toBe(START + 8 * HOUR);
    const evening = shiftPlanInput(request({ shift: { start: '14:00', end: '22:00' } }), sources({ nextShiftStartMs: next }));
    expect(evening.nextVisitAtMs).toBe(START + 24 * HOUR);
  });

  // Changed with the planning evaluation (docs/planning.md): the kg are expected by the shift's
  // end, at the forecast's own pace to full, so that no vehicle comes back over capacity.
  it("expects each compartment's level by the shift's end at the forecast's pace to full, capped at its capacity", () => {
    const [box, quiet] = shiftPlanInput(request(), sources()).boxes;
    const paper = box!.compartments.find((c) => c.category === 'paper')!;
    // 0.5 now, 0.9 forecast 22 h later: 0.4 / 22 per hour over the 18 h to the shift's end.
    expect(paper.expectedKgAtService).toBeCloseTo((0.5 + (0.4 * 18) / 22) * 120, 9);
    expect(paper).toMatchObject({ capacityKg: 120, currentKg: 60, fillingLevel: 0.5 });
    expect(paper.fullAtMs).toBe(Date.parse('2026-05-11T10:00:00Z'));
    expect(paper.fullAtEarliestMs).toBe(Date.parse('2026-05-11T09:00:00Z'));
    expect(paper.fullAtLatestMs).toBe(Date.parse('2026-05-11T11:00:00Z'));
    const plastic = box!.compartments.find((c) => c.category === 'plastic')!;
    expect(plastic.expectedKgAtService).toBe(80);
    // No instant within the horizon: the current hour's rate, 0.1 + 0.001/h × 18 h.
    expect(quiet!.compartments.find((c) => c.category === 'paper')!.expectedKgAtService).toBeCloseTo((0.1 + 0.001 * 18) * 120, 9);
    // Planned during the shift: from now to its end, 7 h of the 11 h to full.
    const late = shiftPlanInput(request(), sources({ nowMs: START + HOUR })).boxes[0]!;
    expect(late.compartments.find((c) => c.category === 'paper')!.expectedKgAtService).toBeCloseTo((0.5 + (0.4 * 7) / 11) * 120, 9);
  });

  it('leaves out boxes without a forecast', () => {
    expect(shiftPlanInput(request(), sources()).boxes.map((b) => b.boxId)).toEqual(['B001', 'B002']);
  });

  it("gives each vehicle its depot's id and position; all vehicles by default, or those asked for", () => {
    expect(shiftPlanInput(request(), sources()).vehicles).toEqual([
      { id: 'V001', plate: '苏D·H0001', capacityKg: 2000, depot: { id: 'S001', position: { lat: 31.77, lon: 119.96 } } },
      { id: 'V002', plate: '苏D·H0001', capacityKg: 5000, depot: { id: 'S002', position: { lat: 31.8, lon: 119.99 } } },
    ]);
    expect(shiftPlanInput(request({ vehicles: ['V002', 'V002'] }), sources()).vehicles.map((v) => v.id)).toEqual(['V002']);
  });

  it.each([
    ['an unknown vehicle', request({ vehicles: ['V001', 'V404'] }), 'vehicles', /V404/],
    ['a shift ending before it starts', request({ shift: { start: '14:00', end: '06:00' } }), 'shift.end', /not after/],
    ['a shift ending as it starts', request({ shift: { start: '06:00', end: '06:00' } }), 'shift.end', /not after/],
  ])('refuses %s, naming the field', (_label, req, field, message) => {
    const attempt = () => shiftPlanInput(req, sources());
    expect(attempt).toThrow(PlanRequestError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as PlanRequestError).field).toBe(field);
    }
  });

  it('refuses a vehicle whose depot is not a transfer station', () => {
    expect(() => shiftPlanInput(request(), sources({ stations: [station('S001', 31.77, 119.96)] }))).toThrow(/V002.*S002/);
  });
});

describe('planOf', () => {
  it("states the planner's output with the boxes' names and communities and ISO instants", () => {
    const input = shiftPlanInput(request(), sources());
    const shiftPlan = planShift(input);
    const plan = planOf(shiftPlan, { id: 'pln_1', createdAtMs: NOW, createdBy: 'ops (operator)' }, new Map([b1, b2].map((d) => [d.id, d])));
    expect(plan).toMatchObject({
      id: 'pln_1',
      createdAt: new Date(NOW).toISOString(),
      createdBy: 'ops (operator)',
      shift: { date: '2026-05-11', startAt: '2026-05-10T22:00:00.000Z', endAt: '2026-05-11T06:00:00.000Z' },
      unassigned: [],
      totals: { stops: 1, vehiclesUsed: 1 },
    });
    const used = plan.routes.filter((r) => r.stops.length > 0);
    expect(used).toHaveLength(1);
    const [stop] = used[0]!.stops;
    // B001 is due (its plastic's low bound is before tomorrow's shift); B002 is far from full.
    expect(stop).toMatchObject({ sequence: 1, deviceId: 'B001', name: 'Device B001', community: 'Qingfeng', position: { lat: 31.78, lon: 119.97 } });
    expect(stop!.dueAt).toBe('2026-05-10T13:00:00.000Z');
    const paperKg = (0.5 + (0.4 * 18) / 22) * 120;
    expect(stop!.expectedKg).toBeCloseTo(paperKg + 80, 1);
    expect(stop!.kgByCategory).toEqual({ paper: Math.round(paperKg * 10) / 10, plastic: 80 });
    expect(Date.parse(stop!.eta)).toBeGreaterThan(START);
    expect(used[0]!.loadKg).toBeCloseTo(paperKg + 80, 1);
    expect(used[0]!.km).toBeGreaterThan(0);
    expect(plan.totals.kg).toBeCloseTo(paperKg + 80, 1);
    // Without the stations, routes name their depot by id only (as plans made before the depot was stated).
    expect(used[0]!.depot).toBeUndefined();
  });

  it("names each route's depot with its position when the stations are given", () => {
    const stations = sources().stations;
    const plan = planOf(planShift(shiftPlanInput(request(), sources())), { id: 'pln_1', createdAtMs: NOW, createdBy: 'ops' }, new Map([b1, b2].map((d) => [d.id, d])), new Map(stations.map((s) => [s.id, s])));
    for (const route of plan.routes) {
      const station = stations.find((s) => s.id === route.depotId)!;
      expect(route.depot).toEqual({ name: station.name, position: station.position });
    }
  });
});

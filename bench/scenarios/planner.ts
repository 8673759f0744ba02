/**
 * Planner (issue 13): plans a morning shift for the demo district, 605 boxes with synthetic but
 * plausible fill levels and forecasts, the demo fleet's 12 vehicles (8 t each) at its 10 transfer
 * stations (services/fleet/core/demo-sites.ts, as `npm start` provisions them); the time of one plan (target ≤ 2 s) and what the plan is: stops, km, kg, vehicles.
 * Pure computation in this process, no platform.
 */
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { generateDemoSites } from '../../services/fleet/core/demo-sites.ts';
import { planShift, type ShiftPlanInput, type Vehicle } from '../../services/planning/core/plan.ts';
import type { CandidateBox, CompartmentOutlook } from '../../services/planning/core/stops.ts';
import { forkRandom } from '../../shared/random.ts';
import { round } from '../core/stats.ts';
import type { Scenario } from './context.ts';

const SEED = 'tianning';
const HOUR = 3_600_000;
/** 06:00–14:00 district time (UTC+8); boxes not served today wait for tomorrow's morning shift. */
const SHIFT = { date: '2026-12-07', startMs: Date.parse('2026-12-07T06:00:00+08:00'), endMs: Date.parse('2026-12-07T14:00:00+08:00') };
const NEXT_VISIT = Date.parse('2026-12-08T06:00:00+08:00');
const SERVICE_MINUTES = 4;
/** ≈70 t a day over 605 boxes, shared by category as the simulator's deposits are, roughly. */
const BOX_KG_PER_DAY = 70_000 / 605;
const CATEGORY_SHARE: Record<string, number> = { paper: 0.45, plastic: 0.15, metal: 0.08, glass: 0.17, textile: 0.15 };
const FULL_LEVEL = 0.9;
const RUNS = 5;

export const plannerScenario: Scenario = async (ctx) => {
  ctx.progress('planner: synthetic district state');
  const input = districtInput();
  const times: number[] = [];
  let plan: ReturnType<typeof planShift> | undefined;
  for (let run = 0; run < RUNS; run++) {
    ctx.progress(`planner: plan ${run + 1} of ${RUNS}`);
    const t0 = performance.now();
    plan = planShift(input);
    times.push(performance.now() - t0);
  }
  if (plan === undefined) throw new Error('planner: no run');
  const used = plan.routes.filter((r) => r.stops.length > 0);
  const longest = Math.max(...used.map((r) => r.durationMinutes));
  const dueBeforeShift = used.flatMap((r) => r.stops).filter((s) => s.dueAtMs !== null && s.dueAtMs <= input.shift.startMs).length;
  return {
    scenario: 'planner',
    figures: {
      planMs: { label: `one plan, slowest of ${RUNS} (605 boxes, 12 vehicles)`, value: round(Math.max(...times), 0), unit: 'ms' },
      planMedianMs: { label: 'one plan, median', value: round([...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!, 0), unit: 'ms' },
      stops: { label: 'stops planned (due + top-up)', value: plan.totals.stops, unit: '' },
      dueStops: { label: 'due stops', value: plan.totals.dueStops, unit: '' },
      unassigned: { label: 'due boxes left unassigned', value: plan.unassigned.length, unit: '' },
      stopsAfterDue: { label: 'stops reached after their due time', value: plan.totals.stopsAfterDue, unit: '' },
      km: { label: 'route km, all vehicles', value: round(plan.totals.km, 1), unit: 'km' },
      kmPerStop: { label: 'km per stop', value: round(plan.totals.km / Math.max(1, plan.totals.stops), 2), unit: 'km' },
      tonnes: { label: 'expected collection', value: round(plan.totals.kg / 1000, 1), unit: 't' },
      vehiclesUsed: { label: 'vehicles used', value: plan.totals.vehiclesUsed, unit: '' },
      longestRouteMin: { label: 'longest route (shift 480 min)', value: round(longest, 0), unit: 'min' },
    },
    notes: [
      `${dueBeforeShift} stops were due before the shift began (full now or within the interval), so are reached after their due time whatever the order`,
      `first (cold) plan included; ${plan.skipped.length} boxes skipped; routes km ${used.map((r) => round(r.km, 1)).join(', ')}`,
      'synthetic fill state (seeded): per-box daily kg ≈70 t/605, each box last emptied at a random point of its fastest compartment’s cycle; haversine × 1.3 at 25 km/h',
    ],
  };
};

export function districtInput(): ShiftPlanInput {
  const boxes = generateDemoFleet({ seed: SEED }).filter((d) => d.kind === 'box');
  const r = forkRandom(SEED, 'planner-bench');
  const candidates: CandidateBox[] = boxes.map((b) => {
    const kgPerHour = b.compartments.map((c) => (BOX_KG_PER_DAY * (CATEGORY_SHARE[c.category] ?? 0.1) * (0.5 + r.next())) / 24);
    // A visit empties the whole box, so its compartments share one age: the time since the box
    // was last emptied, at a random point of the cycle its fastest-filling compartment sets.
    const cycleH = Math.min(...b.compartments.map((c, i) => (FULL_LEVEL * c.capacityKg) / kgPerHour[i]!));
    const ageH = cycleH * 1.05 * r.next();
    return {
      boxId: b.id,
      position: { lat: b.lat, lon: b.lon },
      compartments: b.compartments.map((c, i) => outlook(c.category, c.capacityKg, kgPerHour[i]!, ageH)),
    };
  });
  return {
    shift: SHIFT,
    vehicles: demoVehicles(boxes),
    boxes: candidates,
    nextVisitAtMs: NEXT_VISIT,
    serviceMinutes: SERVICE_MINUTES,
  };
}

/** A compartment emptied ageH hours before the shift, filling at kgPerHour since. */
function outlook(category: string, capacityKg: number, kgPerHour: number, ageH: number): CompartmentOutlook {
  const currentKg = Math.min(capacityKg, kgPerHour * ageH);
  const toFullH = Math.max(0, (FULL_LEVEL * capacityKg - currentKg) / kgPerHour);
  const fullAt = SHIFT.startMs + toFullH * HOUR;
  const halfWidth = Math.max(0.5, toFullH * 0.25) * HOUR;
  return {
    category,
    capacityKg,
    currentKg,
    fillingLevel: currentKg / capacityKg,
    fullAtMs: fullAt,
    fullAtEarliestMs: fullAt - halfWidth,
    fullAtLatestMs: fullAt + halfWidth,
    expectedKgAtService: Math.min(capacityKg, currentKg + kgPerHour * 4),
  };
}

/** The demo fleet's vehicles and depots, as the registry holds them for this seed. */
function demoVehicles(boxes: Parameters<typeof generateDemoSites>[0]['boxes']): Vehicle[] {
  const { stations, vehicles } = generateDemoSites({ seed: SEED, boxes });
  const position = new Map(stations.map((s) => [s.id, s.position]));
  return vehicles.map((v) => ({
    id: v.id,
    plate: v.plate,
    capacityKg: v.capacityKg,
    depot: { id: v.depotId, position: position.get(v.depotId)! },
  }));
}

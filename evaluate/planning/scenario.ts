/** `npm run evaluate -- planning`: the options, both policies on the demo district, the printed table. */
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { generateDemoSites } from '../../services/fleet/core/demo-sites.ts';
import { localDayStart } from '../../shared/units.ts';
import type { EvaluationScenario } from '../scenario.ts';
import { parseShiftCalendar } from '../../shared/shifts.ts';
import { runPolicy, type DailyShift, type PolicyResult } from './run.ts';

const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return n;
};

/** "06:00-14:00,14:00-22:00" → two daily shifts (the PLAN_SHIFTS format). */
export function parseShifts(text: string): DailyShift[] {
  try {
    return parseShiftCalendar(text);
  } catch (error) {
    throw new RangeError(`--shifts: ${(error as Error).message}`);
  }
}

const COLUMNS: { title: string; width: number; cell: (r: PolicyResult) => number; digits: number }[] = [
  { title: 'overflow h', width: 11, cell: (r) => r.overflowCompartmentHours, digits: 0 },
  { title: 'refused', width: 8, cell: (r) => r.refusedFull, digits: 0 },
  { title: 'stops', width: 7, cell: (r) => r.stops, digits: 0 },
  { title: 'visits', width: 7, cell: (r) => r.visits, digits: 0 },
  { title: 'km', width: 8, cell: (r) => r.km, digits: 0 },
  { title: 'kg/stop', width: 8, cell: (r) => r.kgPerStop, digits: 1 },
  { title: 'load %', width: 7, cell: (r) => 100 * r.meanLoadShare, digits: 0 },
  { title: 'time %', width: 7, cell: (r) => 100 * r.meanTimeShare, digits: 0 },
  { title: 'veh-shifts', width: 11, cell: (r) => r.vehicleShifts, digits: 0 },
];

function dueBy(text: string): 'start' | 'end' {
  if (text !== 'start' && text !== 'end') throw new RangeError(`--due-by must be start or end, got ${text}`);
  return text;
}

export function planningTable(fixed: PolicyResult, plan: PolicyResult): string {
  const line = (label: string, cells: string[]) => [label.padEnd(8), ...cells.map((c, i) => c.padStart(COLUMNS[i]!.width))].join(' ');
  const change = (a: number, b: number) => (a === 0 ? (b === 0 ? '0 %' : 'n/a') : `${b >= a ? '+' : ''}${Math.round((100 * (b - a)) / a)} %`);
  const lines = [
    line('policy', COLUMNS.map((c) => c.title)),
    ...[fixed, plan].map((r) => line(r.policy, COLUMNS.map((c) => c.cell(r).toFixed(c.digits)))),
    line('change', COLUMNS.map((c) => change(c.cell(fixed), c.cell(plan)))),
    '',
    `${fixed.days} measured days; ${fixed.deposits} deposits (fixed), ${plan.deposits} (plan); refused: full compartment (all refusals incl. overheating) ` +
      `fixed ${fixed.refusedFull} (${fixed.refusedDeposits}), plan ${plan.refusedFull} (${plan.refusedDeposits})`,
    `collected: fixed ${(fixed.collectedKg / 1000).toFixed(1)} t, plan ${(plan.collectedKg / 1000).toFixed(1)} t; ` +
      `largest load ${Math.round(100 * fixed.maxLoadShare)} % / ${Math.round(100 * plan.maxLoadShare)} % of capacity, ` +
      `vehicle-shifts over capacity ${fixed.overloadedVehicleShifts} / ${plan.overloadedVehicleShifts}`,
  ];
  if (fixed.reorderedRoundsKm !== null) {
    lines.push(`had each fixed round been driven in a 2-opt order (same boxes and depot): ${Math.round(fixed.reorderedRoundsKm)} km; plans ${change(fixed.reorderedRoundsKm, plan.km)} against that`);
  }
  if (plan.planMs !== null) {
    lines.push(
      `planner: ${Math.round(plan.planMs.mean)} ms per shift on average, slowest ${Math.round(plan.planMs.max)} ms; due boxes left unassigned: ${plan.unassigned}; ` +
        `plans expected ${(plan.plannedKg / 1000).toFixed(1)} t of the ${(plan.collectedKg / 1000).toFixed(1)} t collected`,
    );
  }
  return lines.join('\n');
}

export const planningScenario: EvaluationScenario = {
  usage: '[--days 28] [--warmup-days 7] [--shifts 06:00-14:00,14:00-22:00] [--full-level 0.9] [--due-by start] [--skip-below 0.25] [--service-minutes 4] [--boxes 605] [--seed tianning] [--start 2026-11-02]',
  options: {
    days: { type: 'string', default: '28' },
    'warmup-days': { type: 'string', default: '7' },
    shifts: { type: 'string', default: '06:00-14:00,14:00-22:00' },
    'full-level': { type: 'string', default: '0.9' },
    'due-by': { type: 'string', default: 'start' },
    'skip-below': { type: 'string', default: '0.25' },
    'service-minutes': { type: 'string', default: '4' },
    boxes: { type: 'string', default: '605' },
    seed: { type: 'string', default: 'tianning' },
    start: { type: 'string', default: '2026-11-02' },
  },
  run(values) {
    const seed = values.seed!;
    const devices = generateDemoFleet({ seed, boxes: Math.round(positive('boxes', values.boxes!)), cameras: 0 });
    const boxes = devices.filter((d) => d.kind === 'box');
    const { stations, vehicles } = generateDemoSites({ seed, boxes: boxes.map((b) => ({ lat: b.lat, lon: b.lon, subdistrict: b.subdistrict })) });
    const options = {
      seed,
      devices: boxes,
      stations,
      vehicles,
      startMs: localDayStart(values.start!, 480),
      days: Math.round(positive('days', values.days!)),
      warmupDays: Math.round(Number(values['warmup-days'])),
      shifts: parseShifts(values.shifts!),
      serviceMinutes: Number(values['service-minutes']),
      skipBelow: Number(values['skip-below']),
      fullLevel: positive('full-level', values['full-level']!),
      dueBy: dueBy(values['due-by']!),
    };
    const fixed = runPolicy('fixed', options);
    const plan = runPolicy('plan', options);
    return { table: planningTable(fixed, plan), json: { fixed, plan } };
  },
};

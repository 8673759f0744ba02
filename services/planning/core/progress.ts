/**
 * Proof of service (issue 13): the plan's stops matched to the boxes' collection events.
 * Pure: the plan, the collections and the time in; the PlanProgress the API shows out.
 *
 * A collection counts for the plan when the box says it happened within the collection window,
 * [shift start, shift end + grace]: crews finishing their last stops or driving back in traffic
 * still serve the plan for a while (the grace), while a collection before the shift belongs to
 * an earlier round. At a planned box the first collection in the window serves the stop: by its
 * ETA + lateAfterMinutes it is done, after that late. Once the window has passed, a stop with no
 * collection is missed; before, pending. Collections in the window at boxes no route visits are
 * unplanned.
 */
import type { Plan, PlanProgress, RouteProgress, StopProgress, StopStatus } from '../../../shared/contracts/index.ts';
import { totalKg, type LoggedCollection } from './collection-log.ts';

const MINUTE_MS = 60_000;

export const DEFAULT_LATE_AFTER_MINUTES = 30;
/** Minutes after the shift's end during which collections still count (see the header). */
export const DEFAULT_GRACE_MINUTES = 30;

export interface ProgressOptions {
  lateAfterMinutes?: number;
  graceMinutes?: number;
}

/** The instants a collection must fall between (both included) to count for the plan. */
export function collectionWindow(shift: Plan['shift'], graceMinutes = DEFAULT_GRACE_MINUTES): { fromMs: number; toMs: number } {
  return { fromMs: Date.parse(shift.startAt), toMs: Date.parse(shift.endAt) + graceMinutes * MINUTE_MS };
}

/** Whether no further collection can count for the plan: the window closed before nowMs. */
export function windowClosed(shift: Plan['shift'], nowMs: number, graceMinutes = DEFAULT_GRACE_MINUTES): boolean {
  return nowMs > collectionWindow(shift, graceMinutes).toMs;
}

export function planProgress(plan: Plan, collections: readonly LoggedCollection[], nowMs: number, options: ProgressOptions = {}): PlanProgress {
  const lateAfterMinutes = options.lateAfterMinutes ?? DEFAULT_LATE_AFTER_MINUTES;
  const graceMinutes = options.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const ended = windowClosed(plan.shift, nowMs, graceMinutes);
  const byBox = collectionsByBox(plan, collections, graceMinutes);
  const planned = new Set(plan.routes.flatMap((r) => r.stops.map((s) => s.deviceId)));

  // A box in two routes of one plan is not something the planner makes; should it happen, each
  // stop is judged on its own, so one collection serves both.
  const routes: RouteProgress[] = plan.routes.map((route) => {
    const stops = route.stops.map((stop) => stopProgress(stop, byBox.get(stop.deviceId)?.[0], ended, lateAfterMinutes));
    const counts = countStatuses(stops);
    return {
      vehicleId: route.vehicleId,
      plate: route.plate,
      stops,
      counts,
      completion: completion(counts, stops.length),
      collectedKg: roundKg(stops.reduce((sum, s) => sum + (s.collectedKg ?? 0), 0)),
    };
  });

  const unplanned = [...byBox.entries()]
    .filter(([deviceId]) => !planned.has(deviceId))
    .flatMap(([, list]) => list)
    .sort((a, b) => a.atMs - b.atMs || a.deviceId.localeCompare(b.deviceId))
    .map((c) => ({ deviceId: c.deviceId, collectedAt: iso(c.atMs), collectedKg: roundKg(totalKg(c)), collectedBy: c.vehicleId }));

  const counts = countStatuses(routes.flatMap((r) => r.stops));
  const stops = routes.reduce((sum, r) => sum + r.stops.length, 0);
  return {
    planId: plan.id,
    at: iso(nowMs),
    shift: plan.shift,
    ended,
    lateAfterMinutes,
    routes,
    unplanned,
    totals: {
      ...counts,
      stops,
      unplanned: unplanned.length,
      // Everything the shift collected: planned stops and unplanned boxes alike.
      collectedKg: roundKg(routes.reduce((sum, r) => sum + r.collectedKg, 0) + unplanned.reduce((sum, u) => sum + u.collectedKg, 0)),
      completion: completion(counts, stops),
    },
  };
}

/** The window's collections per box, oldest first, each (deviceId, eventId) once. */
function collectionsByBox(plan: Plan, collections: readonly LoggedCollection[], graceMinutes: number): Map<string, LoggedCollection[]> {
  const { fromMs, toMs } = collectionWindow(plan.shift, graceMinutes);
  const seen = new Set<string>();
  const byBox = new Map<string, LoggedCollection[]>();
  for (const c of [...collections].sort((a, b) => a.atMs - b.atMs)) {
    if (c.atMs < fromMs || c.atMs > toMs) continue;
    const id = `${c.deviceId}\u0000${c.eventId}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const list = byBox.get(c.deviceId);
    if (list) list.push(c);
    else byBox.set(c.deviceId, [c]);
  }
  return byBox;
}

function stopProgress(
  stop: Plan['routes'][number]['stops'][number],
  first: LoggedCollection | undefined,
  ended: boolean,
  lateAfterMinutes: number,
): StopProgress {
  const base = { sequence: stop.sequence, deviceId: stop.deviceId, eta: stop.eta };
  if (first === undefined) {
    return { ...base, status: ended ? 'missed' : 'pending', collectedAt: null, collectedKg: null, collectedBy: null, minutesFromEta: null };
  }
  const minutesFromEta = (first.atMs - Date.parse(stop.eta)) / MINUTE_MS;
  return {
    ...base,
    status: minutesFromEta <= lateAfterMinutes ? 'done' : 'late',
    collectedAt: iso(first.atMs),
    collectedKg: roundKg(totalKg(first)),
    collectedBy: first.vehicleId,
    minutesFromEta: Math.round(minutesFromEta * 10) / 10,
  };
}

function countStatuses(stops: readonly StopProgress[]): Record<StopStatus, number> {
  const counts: Record<StopStatus, number> = { done: 0, late: 0, missed: 0, pending: 0 };
  for (const stop of stops) counts[stop.status] += 1;
  return counts;
}

/** Stops served / stops; 1 when there is nothing to serve. */
const completion = (counts: Record<StopStatus, number>, stops: number): number =>
  stops === 0 ? 1 : Math.round(((counts.done + counts.late) / stops) * 1000) / 1000;

const roundKg = (kg: number): number => Math.round(kg * 10) / 10;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Plans follow each other: when tomorrow morning is planned while this afternoon's plan is still
 * to be driven, the boxes on this afternoon's routes will have been emptied by then. Without this
 * the later plan would take the same boxes again, loaded with kg already collected.
 */
import type { Plan } from '../../../shared/contracts/index.ts';

/**
 * Boxes that earlier plans will empty before shiftStartMs: box id → the ETA of its last such
 * stop. Only the newest plan of each shift counts (the vehicles follow the latest), and only
 * stops still ahead (ETA after nowMs): a stop already due has reported its collection, or missed
 * it, and the forecast knows which.
 */
export function stopsAheadBefore(plans: readonly Plan[], shiftStartMs: number, nowMs: number): Map<string, number> {
  const newest = new Map<string, Plan>();
  for (const plan of plans) {
    const current = newest.get(plan.shift.startAt);
    if (current === undefined || current.createdAt < plan.createdAt || (current.createdAt === plan.createdAt && current.id < plan.id)) {
      newest.set(plan.shift.startAt, plan);
    }
  }
  const emptiedAt = new Map<string, number>();
  for (const plan of newest.values()) {
    if (Date.parse(plan.shift.startAt) >= shiftStartMs) continue;
    for (const stop of plan.routes.flatMap((r) => r.stops)) {
      const eta = Date.parse(stop.eta);
      if (eta <= nowMs || eta >= shiftStartMs) continue;
      emptiedAt.set(stop.deviceId, Math.max(eta, emptiedAt.get(stop.deviceId) ?? eta));
    }
  }
  return emptiedAt;
}

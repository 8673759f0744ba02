/**
 * A collection vehicle following the platform's plans (issue 13's closed loop): when its crew
 * reaches each stop of the route it was sent. Pure: the plan and the simulated now come in, the
 * visits go out; the runner turns each visit into FleetSimulation.collect at its instant.
 *
 * The crew leaves the depot at the shift's start and drives the stops in the plan's order at the
 * planner's pace, scaled by the day's traffic (one factor per vehicle and day, from the seed),
 * now and then held up at a stop, so some routes run late. A stop reached after the shift's end
 * plus OVERTIME_MS is not served: the crew goes home and the platform shows it missed.
 */
import type { VehiclePlan } from '../../shared/contracts/index.ts';
import { forkRandom, uniform } from '../../shared/random.ts';

const MINUTE_MS = 60_000;

/** How long after the shift's end a crew still finishes stops before going home. */
export const OVERTIME_MS = 30 * MINUTE_MS;

/**
 * VehiclePlan does not say the planner's service time per stop; the API's default (NewPlan) is
 * 4 minutes, and no gap between two ETAs can be shorter than it (travel is never negative).
 */
const DEFAULT_SERVICE_MS = 4 * MINUTE_MS;

/** Travel takes this much longer than planned (a whole day's traffic, per vehicle)... */
export const TRAFFIC_FACTOR = { min: 0.9, max: 1.25 } as const;
/** ...and each stop's service this much of the planned time. */
const SERVICE_FACTOR = { min: 0.8, max: 1.2 } as const;
/**
 * Now and then the crew is held up at a stop (a blocked lane, a jammed compartment) and every
 * later stop comes that much later. Traffic alone rarely makes a stop 30 minutes late: on a
 * dense district's short legs most of a route's time is service.
 */
export const HOLD_UP = { chance: 0.03, minMs: 10 * MINUTE_MS, maxMs: 35 * MINUTE_MS } as const;

/** Stops whose time passed before the plan came are served one after another this far apart. */
const CATCH_UP_GAP_MS = 1_000;

export interface Visit {
  planId: string;
  sequence: number;
  boxId: string;
  /** When the crew reaches the box and empties it, epoch ms. */
  atMs: number;
}

export interface RouteSchedule {
  /** The stops the crew reaches in time, in route order. */
  visits: Visit[];
  /** Stops it would reach after the shift's end + OVERTIME_MS: not served. */
  abandoned: number;
  trafficFactor: number;
  /** Stops served at which the crew was held up (HOLD_UP). */
  holdUps: number;
}

/** The day's traffic for one vehicle: the same for the same seed, vehicle and shift day. */
export function trafficFactor(seed: string, vehicleId: string, day: string): number {
  return uniform(forkRandom(seed, `traffic/${vehicleId}/${day}`), TRAFFIC_FACTOR.min, TRAFFIC_FACTOR.max);
}

/** The planner's service time as far as the ETAs show it (see DEFAULT_SERVICE_MS). */
function plannedServiceMs(etas: readonly number[]): number {
  let service = DEFAULT_SERVICE_MS;
  for (let k = 1; k < etas.length; k++) service = Math.min(service, Math.max(0, etas[k]! - etas[k - 1]!));
  return service;
}

/**
 * When the crew reaches each stop of the plan's route. Received at receivedAtMs: stops the crew
 * would have reached before that (the simulator started mid-shift) are served from then on, in
 * order, a second apart; the later ones keep the day's pace from the shift's start.
 */
export function scheduleRoute(plan: VehiclePlan, seed: string, receivedAtMs: number): RouteSchedule {
  const { route, shift } = plan;
  const startMs = Date.parse(shift.startAt);
  const lastMs = Date.parse(shift.endAt) + OVERTIME_MS;
  const etas = route.stops.map((s) => Date.parse(s.eta));
  const serviceMs = plannedServiceMs(etas);
  const traffic = trafficFactor(seed, route.vehicleId, shift.date);
  const r = forkRandom(seed, `service/${plan.planId}/${route.vehicleId}`);
  const visits: Visit[] = [];
  /** Where the day's pace puts the crew, had it followed the plan from the shift's start. */
  let clock = startMs;
  let plannedLeave = startMs;
  let previousAt = -Infinity;
  let holdUps = 0;
  for (const [k, stop] of route.stops.entries()) {
    clock += Math.max(0, etas[k]! - plannedLeave) * traffic;
    const atMs = Math.round(Math.max(clock, receivedAtMs, previousAt + CATCH_UP_GAP_MS));
    if (atMs > lastMs) return { visits, abandoned: route.stops.length - k, trafficFactor: traffic, holdUps };
    visits.push({ planId: plan.planId, sequence: stop.sequence, boxId: stop.deviceId, atMs });
    previousAt = atMs;
    clock += serviceMs * uniform(r, SERVICE_FACTOR.min, SERVICE_FACTOR.max);
    // Both drawn at every stop, so one hold-up does not shift the later stops' random numbers.
    const heldUp = r.next() < HOLD_UP.chance;
    const holdMs = uniform(r, HOLD_UP.minMs, HOLD_UP.maxMs);
    if (heldUp) {
      holdUps++;
      clock += holdMs;
    }
    plannedLeave = etas[k]! + serviceMs;
  }
  return { visits, abandoned: 0, trafficFactor: traffic, holdUps };
}

export type PlanDecision =
  /** The route replaces what was left of any earlier plan for an overlapping shift. */
  | 'accepted'
  /** This plan was received before (the retained message again, e.g. after a reconnect). */
  | 'duplicate'
  /** Its shift (and overtime) is over: nothing left to drive. */
  | 'shift_over'
  /** Published before the plan the vehicle already follows for that shift. */
  | 'superseded';

interface Accepted {
  planId: string;
  publishedMs: number;
  startMs: number;
  endMs: number;
  /** Visits not yet handed out, in order. */
  pending: Visit[];
}

/**
 * One vehicle's plans: which it follows and which of their visits are due. A new plan for a
 * shift that overlaps one it already has replaces that plan's remaining stops (the dispatcher
 * sent a new route); stops already handed out stay served.
 */
export class VehicleRounds {
  readonly vehicleId: string;
  readonly #seed: string;
  readonly #seen = new Set<string>();
  #plans: Accepted[] = [];
  #abandoned = 0;

  constructor(options: { vehicleId: string; seed: string }) {
    this.vehicleId = options.vehicleId;
    this.#seed = options.seed;
  }

  receive(plan: VehiclePlan, nowMs: number): PlanDecision {
    if (this.#seen.has(plan.planId)) return 'duplicate';
    this.#seen.add(plan.planId);
    const startMs = Date.parse(plan.shift.startAt);
    const endMs = Date.parse(plan.shift.endAt);
    if (nowMs >= endMs) return 'shift_over';
    const publishedMs = Date.parse(plan.publishedAt);
    const overlapping = this.#plans.filter((p) => p.startMs < endMs && startMs < p.endMs);
    if (overlapping.some((p) => p.publishedMs > publishedMs)) return 'superseded';
    const schedule = scheduleRoute(plan, this.#seed, nowMs);
    this.#abandoned += schedule.abandoned;
    this.#plans = this.#plans.filter((p) => !overlapping.includes(p));
    this.#plans.push({ planId: plan.planId, publishedMs, startMs, endMs, pending: schedule.visits });
    return 'accepted';
  }

  /** Visits at or before untilMs not handed out yet, in time order; each is handed out once. */
  takeDue(untilMs: number): Visit[] {
    const due: Visit[] = [];
    for (const plan of this.#plans) {
      while (plan.pending.length > 0 && plan.pending[0]!.atMs <= untilMs) due.push(plan.pending.shift()!);
    }
    // Plans whose stops are all handed out are kept (for overlap checks) until their shift ends.
    this.#plans = this.#plans.filter((p) => p.pending.length > 0 || p.endMs + OVERTIME_MS > untilMs);
    return due.sort((a, b) => a.atMs - b.atMs);
  }

  /** Stops of accepted plans the crew will not reach before going home. */
  get abandoned(): number {
    return this.#abandoned;
  }

  /** Visits still to come. */
  get pending(): number {
    return this.#plans.reduce((n, p) => n + p.pending.length, 0);
  }
}

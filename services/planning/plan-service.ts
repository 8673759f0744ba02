/**
 * Shift plans on request (issue 13): the live forecasts and the registry's boxes, vehicles and
 * transfer stations go through the planner's pure core (core/plan.ts); the plan is stored and
 * returned. Synchronous: the district's 605 boxes plan well within a request (npm run bench -- planner).
 */
import { randomBytes } from 'node:crypto';
import type { BoxForecast, Device, NewPlan, Plan } from '../../shared/contracts/index.ts';
import type { Logger } from 'pino';
import type { FleetRegistry, SiteRegistry } from '../fleet/core/registry.ts';
import { planShift } from './core/plan.ts';
import { nextShiftStartMs, type ShiftTemplate } from './core/shift-calendar.ts';
import { stopsAheadBefore } from './core/plan-chain.ts';
import { districtInstant, planOf, shiftPlanInput } from './core/plan-request.ts';
import type { PlanStore } from './core/plan-store.ts';

export interface PlanServiceOptions {
  boxes: Pick<FleetRegistry, 'list'>;
  sites: Pick<SiteRegistry, 'listVehicles' | 'listStations'>;
  forecasts: {
    boxForecast(device: Device): BoxForecast | null;
    /** As if the box were emptied at atMs (a stop of an earlier shift's plan). */
    boxForecastEmptiedAt(device: Device, atMs: number): BoxForecast | null;
  };
  store: PlanStore;
  utcOffsetMinutes: number;
  /** The district's daily shifts (PLAN_SHIFTS): a skipped box's next possible visit is the following one. */
  shifts?: readonly ShiftTemplate[];
  now: () => number;
  newId?: () => string;
  /** Where a failing onCreated listener is reported; the request that made the plan still succeeds. */
  logger?: Pick<Logger, 'error'>;
}

export type PlanListener = (plan: Plan) => void;

export class PlanService {
  readonly #o: PlanServiceOptions;
  readonly #listeners = new Set<PlanListener>();

  constructor(options: PlanServiceOptions) {
    this.#o = options;
  }

  /** Throws PlanRequestError (naming the field) for an unknown vehicle, a shift ending before it starts, a bad date. */
  create(request: NewPlan, createdBy: string): Plan {
    const nowMs = this.#o.now();
    const devices = this.#o.boxes.list({ kind: 'box' });
    const emptiedBefore = this.#stopsAheadBefore(request, nowMs);
    const forecastOf = (device: Device): BoxForecast | null => {
      const emptiedAt = emptiedBefore.get(device.id);
      return emptiedAt === undefined ? this.#o.forecasts.boxForecast(device) : this.#o.forecasts.boxForecastEmptiedAt(device, emptiedAt);
    };
    const stations = this.#o.sites.listStations();
    const input = shiftPlanInput(request, {
      boxes: devices.map((device) => ({ device, forecast: forecastOf(device) })),
      vehicles: this.#o.sites.listVehicles(),
      stations,
      utcOffsetMinutes: this.#o.utcOffsetMinutes,
      nowMs,
      nextShiftStartMs: (shift) => nextShiftStartMs(this.#o.shifts ?? [], shift, this.#o.utcOffsetMinutes),
    });
    const id = this.#o.newId?.() ?? `pln_${randomBytes(8).toString('hex')}`;
    const plan = planOf(
      planShift(input),
      { id, createdAtMs: nowMs, createdBy },
      new Map(devices.map((d) => [d.id, d])),
      new Map(stations.map((s) => [s.id, s])),
    );
    this.#o.store.save(plan);
    for (const listener of this.#listeners) {
      try {
        listener(plan);
      } catch (err) {
        this.#o.logger?.error({ err, planId: plan.id }, 'plan listener failed (the plan is saved)');
      }
    }
    return plan;
  }

  /** Hears every plan once it is saved, in creation order; returns the unsubscribe. */
  onCreated(listener: PlanListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The newest plan giving each vehicle a route (see PlanStore.latestByVehicle). */
  latestByVehicle(): Map<string, Plan> {
    return this.#o.store.latestByVehicle();
  }

  /** Boxes the plans of earlier shifts (this day's and the day before's) will still empty before this one. */
  #stopsAheadBefore(request: NewPlan, nowMs: number): Map<string, number> {
    const startMs = districtInstant(request.date, request.shift.start, this.#o.utcOffsetMinutes);
    if (Number.isNaN(startMs)) return new Map(); // shiftPlanInput names the bad date
    const dayBefore = new Date(Date.parse(`${request.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return stopsAheadBefore([...this.#o.store.listByDate(dayBefore), ...this.#o.store.listByDate(request.date)], startMs, nowMs);
  }

  get(id: string): Plan | undefined {
    return this.#o.store.get(id);
  }

  listByDate(date: string): Plan[] {
    return this.#o.store.listByDate(date);
  }
}

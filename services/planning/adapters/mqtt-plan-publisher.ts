/**
 * Plans to vehicles over MQTT (issue 13): every route of a new plan goes to its vehicle as a
 * VehiclePlan, retained, QoS 1, on vehiclePlanTopic(vehicleId). A plan has one route for every
 * vehicle it was made for (core/plan.ts), a route without stops included: a vehicle left idle
 * by the newer plan learns that too, instead of keeping an older route retained.
 *
 * The broker keeps retained messages in memory only, so start() republishes, for every vehicle,
 * its route of the newest plan that gave it one. Publishes go out one at a time, in creation
 * order: an older plan's route can never overtake a newer one and stay retained.
 */
import type { Logger } from 'pino';
import { VehiclePlan, vehiclePlanTopic, type Plan } from '../../../shared/contracts/index.ts';
import type { PlatformBroker } from '../../broker/core/ports.ts';
import type { PlanService } from '../plan-service.ts';

export interface MqttPlanPublisherOptions {
  plans: Pick<PlanService, 'onCreated' | 'latestByVehicle'>;
  broker: Pick<PlatformBroker, 'publish'>;
  logger: Pick<Logger, 'error'>;
  now: () => number;
}

export interface VehiclePlanMessage {
  topic: string;
  payload: VehiclePlan;
}

/** What goes out for a plan: one message per route, for the vehicles given (default: all of them). */
export function vehiclePlanMessages(plan: Plan, publishedAtMs: number, vehicleIds?: ReadonlySet<string>): VehiclePlanMessage[] {
  const publishedAt = new Date(publishedAtMs).toISOString();
  return plan.routes
    .filter((route) => vehicleIds === undefined || vehicleIds.has(route.vehicleId))
    .map((route) => ({
      topic: vehiclePlanTopic(route.vehicleId),
      payload: VehiclePlan.parse({ planId: plan.id, publishedAt, shift: plan.shift, route }),
    }));
}

export class MqttPlanPublisher {
  #unsubscribe: (() => void) | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: MqttPlanPublisherOptions) {}

  /** Listens first, then republishes the stored latest plans: no new plan falls in between. */
  start(): Promise<void> {
    if (this.#unsubscribe) throw new Error('MqttPlanPublisher already started');
    this.#unsubscribe = this.options.plans.onCreated((plan) => this.#enqueue(plan));
    const vehiclesOf = new Map<Plan, Set<string>>();
    for (const [vehicleId, plan] of this.options.plans.latestByVehicle()) {
      vehiclesOf.set(plan, (vehiclesOf.get(plan) ?? new Set()).add(vehicleId));
    }
    for (const [plan, vehicleIds] of vehiclesOf) this.#enqueue(plan, vehicleIds);
    return this.idle();
  }

  /** Stops listening and waits for publishes already queued. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.idle();
  }

  /** Resolves when every queued publish has been attempted. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Never throws: it runs inside the API request that created the plan. */
  #enqueue(plan: Plan, vehicleIds?: ReadonlySet<string>): void {
    let messages: VehiclePlanMessage[];
    try {
      messages = vehiclePlanMessages(plan, this.options.now(), vehicleIds);
    } catch (err) {
      this.options.logger.error({ err, planId: plan.id }, 'plan does not match the vehicle plan contract: not published');
      return;
    }
    for (const { topic, payload } of messages) {
      this.#queue = this.#queue.then(() =>
        this.options.broker.publish(topic, JSON.stringify(payload), { retain: true, qos: 1 }).catch((err: unknown) => {
          // The vehicle keeps its previous retained route; the next plan (or the next start) corrects it.
          this.options.logger.error({ err, topic, planId: plan.id }, 'retained vehicle plan publish failed');
        }),
      );
    }
  }
}

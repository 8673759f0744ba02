/**
 * The collection vehicles under SIM_COLLECTION=plan: one MqttVehicle per vehicle of the
 * credentials file, each with its VehicleRounds, and the stops they reach turned into
 * FleetSimulation.collect at their simulated instants.
 */
import type { FleetCredentialsFile } from '../../shared/contracts/index.ts';
import type { FleetSimulation } from '../core/fleet.ts';
import { VehicleRounds } from '../core/vehicle.ts';
import { MqttVehicle } from './mqtt-vehicle.ts';

export type VehicleMember = NonNullable<FleetCredentialsFile['vehicles']>[number];

export interface VehicleStats {
  total: number;
  connected: number;
  /** Login or plan subscription refused: parked. */
  refused: number;
  connectionErrors: number;
  /** Routes taken up (one per vehicle and new plan). */
  plans: number;
  /** Payloads on a plan topic that were not the vehicle's VehiclePlan. */
  badPlans: number;
  /** Stops reached and served (the box empties whatever it holds). */
  stopsServed: number;
  /** Stops of followed plans the crews will not reach before going home. */
  stopsAbandoned: number;
  /** Stops at boxes this simulator does not run (e.g. --boxes N). */
  stopsNotSimulated: number;
}

export interface VehicleFleetOptions {
  url: string;
  members: readonly VehicleMember[];
  seed: string;
  engine: FleetSimulation;
  log: (line: string) => void;
}

/** Errors and bad payloads repeat (a broker down, a broken publisher): the first few are logged. */
const BAD_PLANS_LOGGED = 5;

export class VehicleFleet {
  readonly #options: VehicleFleetOptions;
  readonly #vehicles: { client: MqttVehicle; rounds: VehicleRounds }[];
  /** Plan outcomes already logged. */
  readonly #said = new Set<string>();
  readonly #counts = { refused: 0, connectionErrors: 0, plans: 0, badPlans: 0, stopsServed: 0, stopsNotSimulated: 0 };

  constructor(options: VehicleFleetOptions) {
    this.#options = options;
    const { log } = options;
    this.#vehicles = options.members.map(({ vehicle, secret }) => {
      const rounds = new VehicleRounds({ vehicleId: vehicle.id, seed: options.seed });
      const client = new MqttVehicle({
        url: options.url,
        vehicleId: vehicle.id,
        secret,
        onPlan: (plan) => {
          const decision = rounds.receive(plan, options.engine.nowMs);
          if (decision === 'accepted') this.#counts.plans++;
          // Every vehicle gets its route of a plan: one line per plan and outcome is enough.
          const said = `${plan.planId} ${decision}`;
          if (decision === 'duplicate' || this.#said.has(said)) return;
          this.#said.add(said);
          const what = { accepted: 'vehicles follow it', shift_over: 'its shift is over: ignored', superseded: 'a newer plan is followed: ignored' }[decision];
          log(`[sim] plan ${plan.planId} (${plan.shift.date} ${plan.shift.startAt} to ${plan.shift.endAt}): ${what}`);
        },
        onBadPlan: (id, reason) => {
          if (++this.#counts.badPlans <= BAD_PLANS_LOGGED) log(`[sim] ${id}: bad plan ignored: ${reason}`);
        },
        onRefused: (id, reason) => {
          this.#counts.refused++;
          log(`[sim] ${id}: ${reason}; this vehicle stays parked`);
        },
        onError: (id, error) => {
          // A broker that is down repeats the error on every retry: say it for the first few only.
          if (++this.#counts.connectionErrors <= BAD_PLANS_LOGGED) log(`[sim] ${id}: ${error.message}`);
        },
      });
      return { client, rounds };
    });
  }

  /** Connects every vehicle; resolves once each has connected, been refused or timed out. */
  async start(): Promise<void> {
    await Promise.all(this.#vehicles.map((v) => v.client.start()));
  }

  /**
   * Sends the crews to the stops they reach up to untilMs. Call before engine.advanceTo(untilMs),
   * so each collection happens at its own instant.
   */
  dispatchUntil(untilMs: number): void {
    const { engine } = this.#options;
    for (const { rounds } of this.#vehicles) {
      for (const visit of rounds.takeDue(untilMs)) {
        const by = { collectorId: `crew-${rounds.vehicleId}`, vehicleId: rounds.vehicleId };
        if (engine.collect(visit.boxId, visit.atMs, by)) this.#counts.stopsServed++;
        else this.#counts.stopsNotSimulated++;
      }
    }
  }

  stats(): VehicleStats {
    return {
      total: this.#vehicles.length,
      connected: this.#vehicles.filter((v) => v.client.connected).length,
      stopsAbandoned: this.#vehicles.reduce((n, v) => n + v.rounds.abandoned, 0),
      ...this.#counts,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#vehicles.map((v) => v.client.shutdown()));
  }
}

/** What every device model gets from the fleet simulation: time, randomness seed, output, tuning. */
import type { ChannelPayload, Device, DeviceChannel, DeviceMessage } from '../../shared/contracts/index.ts';
import { DAY_MS } from '../../shared/units.ts';
import type { Scheduler } from './scheduler.ts';

export interface SimulationTuning {
  /** 20,000 deposits a day over 605 boxes: ~70 t/day at ~3.5 kg each. */
  depositsPerBoxPerDay: number;
  /** Multiplies every deposit rate (--deposit-rate). */
  depositRate: number;
  /** Multiplies every fault rate (--fault-rate). */
  faultRate: number;
  /** Collectors empty compartments at or above this fillingLevel. */
  collectionThreshold: number;
  telemetryIntervalMs: number;
  heartbeatIntervalMs: number;
  /**
   * Share of a community's registered households that deposit at all (issue 14, participation):
   * the points pilot's, and the range the other communities' shares are spread over (by name).
   * Each box draws its residents from its share of these households (deposits.ts residentPool).
   */
  takingPart: { pilot: number; min: number; max: number };
  /** Cameras watching an illegal-dumping spot. */
  hotspotCount: number;
  boxesPerRoute: number;
  /** Multiplies every anomaly rate of the chain after the box (--anomaly-rate; 0: none). */
  anomalyRate: number;
  /** Anomalies injected into the chain after the box (issue 14), before anomalyRate. */
  anomalies: AnomalyRates;
  /** Occurrences per device per day, before faultRate. */
  faults: {
    boxSignalLoss: number;
    lidStuck: number;
    overheat: number;
    cameraPowerLoss: number;
    /** Fill-sensor faults (sensor-faults.ts), per compartment per day, before sensorFaultRate instead. */
    sensorStuck: number;
    sensorJump: number;
    sensorDrift: number;
  };
  /**
   * Multiplies the fill-sensor fault rates (--sensor-fault-rate). 0 by default: the fill levels
   * operators plan with stay the truth unless a run asks for faults (1: ~2.5 a day district-wide).
   */
  sensorFaultRate: number;
  /** Standard deviation of the level sensors' noise, as a fraction of full (0: exact, the default; a stuck sensor repeats its value). */
  sensorNoise: number;
}

/**
 * Rates of the anomalies the ledger must catch. The defaults make a few a week district-wide
 * with the demo fleet (~24 fixed routes × 2 trips a day ≈ 336 trips and 10 station scales a
 * week): ~2 light weigh-ins (fewer: only trips of 1 t or more), ~1 missing weigh-in and ~1
 * drifting scale.
 */
export interface AnomalyRates {
  /** Per trip: the load weighs in 8–20 % lighter than collected (part of it went elsewhere). */
  lightPerTrip: number;
  /** Per trip: no weigh-in at all (the load never reached the station's bridge). */
  missingPerTrip: number;
  /** Per transfer-station scale per day: its calibration starts drifting (reads high, growing). */
  driftPerScalePerDay: number;
}

export const DEFAULT_ANOMALIES: AnomalyRates = { lightPerTrip: 2 / 336, missingPerTrip: 1 / 336, driftPerScalePerDay: 1 / 70 };

/**
 * District-wide per day with the full fleet: ~1.2 signal losses, ~1.8 stuck lids,
 * ~0.5 overheats, ~1 camera power cut — a few faults a day, as an engineer would expect.
 */
export const DEFAULT_TUNING: SimulationTuning = {
  depositsPerBoxPerDay: 20_000 / 605,
  depositRate: 1,
  faultRate: 1,
  collectionThreshold: 0.7,
  telemetryIntervalMs: 10 * 60_000,
  heartbeatIntervalMs: 60_000,
  // The pilot: ~800 households, > 500 taking part (../shared/context); ~0.72 shows ~570 active in 30 days.
  takingPart: { pilot: 0.72, min: 0.35, max: 0.6 },
  hotspotCount: 5,
  boxesPerRoute: 25,
  anomalyRate: 1,
  anomalies: DEFAULT_ANOMALIES,
  // Fill sensors: ~1 stuck, ~1 jump and ~0.5 drift a day over the demo's ~3,000 compartments.
  faults: { boxSignalLoss: 0.002, lidStuck: 0.003, overheat: 0.0008, cameraPowerLoss: 0.02, sensorStuck: 0.0003, sensorJump: 0.0003, sensorDrift: 0.00015 },
  sensorFaultRate: 0,
  sensorNoise: 0,
};

/** Fill-sensor faults the simulator injects (sensor-faults.ts), kept with the stats that count them. */
export const SENSOR_FAULT_KINDS = ['stuck', 'jump', 'drift'] as const;
export type SensorFaultKind = (typeof SENSOR_FAULT_KINDS)[number];

export interface InjectedSensorFault {
  boxId: string;
  category: string;
  kind: SensorFaultKind;
  startMs: number;
  endMs: number;
}

export interface CoreStats {
  deposits: number;
  depositedKg: number;
  /** Deposits the box would not take: compartment full, or box locked while overheating. */
  refusedDeposits: number;
  /** Of those, the ones whose compartment was at capacity (whether or not the box was also locked). */
  refusedFull: number;
  /**
   * Compartment time at or above capacity (refusing deposits), exact: the intervals that have
   * ended (ms), the compartments at capacity now and the sum of the instants each got there.
   * fullCompartmentMsAt adds the open intervals up to a given instant.
   */
  fullCompartmentMs: number;
  compartmentsFull: number;
  fullSinceSumMs: number;
  collections: number;
  collectedKg: number;
  detectionCases: number;
  faultsRaised: number;
  darkPeriods: number;
  /** Every fill-sensor fault injected (issue 14), for the cross-check's evaluation. */
  sensorFaults: InjectedSensorFault[];
}

export const emptyStats = (): CoreStats => ({
  deposits: 0,
  depositedKg: 0,
  refusedDeposits: 0,
  refusedFull: 0,
  fullCompartmentMs: 0,
  compartmentsFull: 0,
  fullSinceSumMs: 0,
  collections: 0,
  collectedKg: 0,
  detectionCases: 0,
  faultsRaised: 0,
  darkPeriods: 0,
  sensorFaults: [],
});

/** Compartment-ms spent at or above capacity up to atMs (not before the last event counted). */
export const fullCompartmentMsAt = (stats: Pick<CoreStats, 'fullCompartmentMs' | 'compartmentsFull' | 'fullSinceSumMs'>, atMs: number): number =>
  stats.fullCompartmentMs + stats.compartmentsFull * atMs - stats.fullSinceSumMs;

/** What the runner must do: publish a message, or cut / restore a device's connection. */
export type SimAction =
  | ({ type: 'publish'; atMs: number } & DeviceMessage)
  | { type: 'goDark'; atMs: number; deviceId: string }
  | { type: 'comeBack'; atMs: number; deviceId: string };

export interface SimContext {
  readonly scheduler: Scheduler;
  readonly seed: string;
  readonly utcOffsetMinutes: number;
  readonly tuning: SimulationTuning;
  readonly stats: CoreStats;
  emit<C extends DeviceChannel>(deviceId: string, channel: C, payload: ChannelPayload<C>): void;
  /** The device's connection dies without DISCONNECT (power or signal lost). */
  goDark(deviceId: string): void;
  comeBack(deviceId: string): void;
  /** Simulated ms between two telemetry or heartbeat reports of one device, at least. */
  minReportIntervalMs(): number;
  /** SHA-256 hex of a resident id; passed in so the core stays free of I/O modules. */
  hashResident(residentId: string): string;
  /** How many residents (cards) deposit at this box: its community's households taking part, shared over its boxes. */
  residentPool(box: Device): number;
  /** Registers a device's periodic report, so the fleet can ask every device to report at once. */
  addReporter(reporter: PeriodicReport): void;
  /** Who empties the boxes now: the fixed rounds, or vehicles following the platform's plans (collect()). */
  collectionPolicy(): CollectionPolicy;
  /** Registers a box's planned-stop handler, so the fleet can send a vehicle to it. */
  addCollectionPoint(boxId: string, serve: (nowMs: number, by: CollectedBy) => void): void;
}

/**
 * fixed: collectors drive the same rounds twice a day, emptying compartments at or above
 * tuning.collectionThreshold (what the district does today). plan: the rounds stop; boxes are
 * emptied only when a vehicle serves them as a planned stop (FleetSimulation.collect).
 */
export type CollectionPolicy = 'fixed' | 'plan';

/** Who served a planned stop: named in the box's collection event. */
export interface CollectedBy {
  collectorId: string;
  vehicleId: string;
}

/** What FleetSimulation.reportNow needs of a device's ThrottledReporter. */
export interface PeriodicReport {
  reset(): void;
  request(nowMs: number): void;
}

export const perDayToMeanGapMs = (perDay: number): number => DAY_MS / perDay;

/**
 * The fill-sensor cross-check on the simulated district: the simulator's pure core, with fill
 * sensors going wrong at the given rate (stuck, jump, drift; simulators/core/sensor-faults.ts),
 * feeds the alert rules' own check (services/alerts/core/sensor-check.ts) every deposit,
 * collection and reading in time order, as the platform's alert engine would see them; every
 * suspicion raised is scored against the faults injected (score.ts). In-process, no I/O.
 */
import type { Device } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import { SensorCrossCheck } from '../../services/alerts/core/sensor-check.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../services/alerts/core/thresholds.ts';
import { createFleetSimulation } from '../../simulators/core/fleet.ts';
import { scoreSensorCheck, type Raised, type SensorScore } from './score.ts';

export interface SensorEvaluationOptions {
  seed: string;
  devices: readonly Device[];
  /** Simulated start (a district midnight) and length. */
  startMs: number;
  days: number;
  /** Not scored: the check judges a compartment only once it has seen it emptied. */
  warmupDays: number;
  /** Multiplies the simulator's fill-sensor fault rates (the demo's default is 1). */
  sensorFaultRate: number;
  /** The level sensors' noise (sd, fraction of full): the simulator's are exact unless told. */
  sensorNoise: number;
  /** Simulated ms between two readings of a box, at least (the demo history reports hourly). */
  reportIntervalMs: number;
  thresholds?: Thresholds;
  utcOffsetMinutes?: number;
}

export interface SensorEvaluationResult {
  boxes: number;
  compartments: number;
  readings: number;
  faultsInjected: number;
  suspicions: number;
  /** Fleet-learned kg at full per category at the end, beside the registry's capacity. */
  kgAtFull: Record<string, { learned: number; registry: number; samples: number }>;
  score: SensorScore;
}

/** The simulator's hash of a resident id; the check never looks at residents. */
const NO_RESIDENT = '0'.repeat(64);

export function runSensorEvaluation(options: SensorEvaluationOptions): SensorEvaluationResult {
  const t = options.thresholds ?? DEFAULT_THRESHOLDS;
  const boxes = options.devices.filter((d) => d.kind === 'box' && d.compartments.length > 0);
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const sim = createFleetSimulation({
    seed: options.seed,
    startMs: options.startMs,
    devices: boxes,
    hashResident: () => NO_RESIDENT,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 480,
    minReportIntervalMs: options.reportIntervalMs,
    tuning: { sensorFaultRate: options.sensorFaultRate, sensorNoise: options.sensorNoise, telemetryIntervalMs: options.reportIntervalMs },
  });
  const check = new SensorCrossCheck();
  const raised: Raised[] = [];
  let readings = 0;
  const endMs = options.startMs + options.days * DAY_MS;
  for (let now = options.startMs + HOUR_MS; now <= endMs; now += HOUR_MS) {
    for (const a of sim.advanceTo(now)) {
      if (a.type !== 'publish') continue;
      const box = byId.get(a.deviceId)!;
      if (a.channel === 'event/deposit') check.deposit(box.id, a.payload.category, a.payload.weightKg);
      else if (a.channel === 'event/collection') for (const c of a.payload.compartments) check.collection(box.id, c.category, c.weightKg);
      else if (a.channel === 'telemetry') {
        for (const r of a.payload.compartments) {
          readings++;
          const capacityKg = box.compartments.find((c) => c.category === r.category)!.capacityKg;
          const v = check.reading(box, capacityKg, r, a.atMs, t);
          if (v?.op === 'suspect') raised.push({ boxId: v.boxId, category: v.category, at: v.at, suspicion: v.evidence.suspicion });
        }
      }
    }
  }
  const compartments = boxes.reduce((n, b) => n + b.compartments.length, 0);
  const registry = new Map(boxes.flatMap((b) => b.compartments.map((c) => [c.category, c.capacityKg] as const)));
  const kgAtFull = Object.fromEntries(
    [...registry].map(([category, capacity]) => [
      category,
      { learned: Math.round(check.density.kgAtFull(category, Number.NaN, endMs) * 10) / 10, registry: capacity, samples: check.density.samples(category) },
    ]),
  );
  const span = { fromMs: options.startMs + options.warmupDays * DAY_MS, toMs: endMs, compartments };
  return {
    boxes: boxes.length,
    compartments,
    readings,
    faultsInjected: sim.stats.sensorFaults.length,
    suspicions: raised.length,
    kgAtFull,
    score: scoreSensorCheck(sim.stats.sensorFaults, raised, span),
  };
}

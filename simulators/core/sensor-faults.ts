/**
 * Fill-sensor faults (issue 14), for the platform's cross-check to find: the level sensor of a
 * compartment goes wrong while the box's scale stays right, so the reported weightKg and the
 * deposits are untouched.
 *
 *   stuck  the level freezes where it was, for 1-4 days (until someone repairs it)
 *   jump   a spurious step of 0.35-0.6 (up from a low level, down from a high one) for 1-12 hours
 *   drift  the gain goes slowly off, 10-30 % a day either way, for 3-7 days
 *
 * Each compartment and kind is its own Poisson process on its own random stream (the deposits'
 * streams never move), one fault at a time per compartment; every fault injected is counted in
 * stats.sensorFaults with its box, compartment, start and end. With tuning.sensorNoise, a working
 * sensor's level also wobbles (Gaussian, on its own stream); a stuck one repeats its value.
 */
import type { CompartmentReading } from '../../shared/contracts/index.ts';
import { forkRandom, normal, uniform } from '../../shared/random.ts';
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import { type Compartment, reading } from './compartments.ts';
import { SENSOR_FAULT_KINDS, type SensorFaultKind, type SimContext } from './context.ts';
import { poissonProcess } from './faults.ts';
import { clamp, round } from './messages.ts';

export { SENSOR_FAULT_KINDS, type InjectedSensorFault, type SensorFaultKind } from './context.ts';

/** How long each kind lasts [min, max] ms. */
const DURATION_MS: Record<SensorFaultKind, readonly [number, number]> = {
  stuck: [DAY_MS, 4 * DAY_MS],
  jump: [HOUR_MS, 12 * HOUR_MS],
  drift: [3 * DAY_MS, 7 * DAY_MS],
};

type Active =
  | { kind: 'stuck'; reading: CompartmentReading }
  | { kind: 'jump'; step: number }
  | { kind: 'drift'; startMs: number; perDay: number };

/** What one compartment's sensor reports at t: the true reading, or what the fault makes of it. */
export type SensorReading = (c: Compartment, t: number) => CompartmentReading;

/** Starts the sensor-fault processes of a box's compartments; returns its sensors' reading. */
export function startSensorFaults(ctx: SimContext, boxId: string, compartments: readonly Compartment[]): SensorReading {
  const { tuning, scheduler } = ctx;
  const rates: Record<SensorFaultKind, number> = {
    stuck: tuning.faults.sensorStuck * tuning.sensorFaultRate,
    jump: tuning.faults.sensorJump * tuning.sensorFaultRate,
    drift: tuning.faults.sensorDrift * tuning.sensorFaultRate,
  };
  const active = new Map<string, Active>();
  for (const c of compartments) {
    for (const kind of SENSOR_FAULT_KINDS) {
      const r = forkRandom(ctx.seed, `${boxId}/sensor/${c.category}/${kind}`);
      poissonProcess(scheduler, r, rates[kind], (t) => {
        if (active.has(c.category)) return;
        const [min, max] = DURATION_MS[kind];
        const endMs = t + Math.round(uniform(r, min, max));
        const level = reading(c).fillingLevel;
        const fault: Active =
          kind === 'stuck' ? { kind, reading: reading(c) }
          : kind === 'jump' ? { kind, step: (level < 0.4 ? 1 : -1) * uniform(r, 0.35, 0.6) }
          : { kind, startMs: t, perDay: (r.next() < 0.5 ? 1 : -1) * uniform(r, 0.1, 0.3) };
        active.set(c.category, fault);
        ctx.stats.sensorFaults.push({ boxId, category: c.category, kind, startMs: t, endMs });
        scheduler.at(endMs, () => void active.delete(c.category));
      });
    }
  }
  const rNoise = forkRandom(ctx.seed, `${boxId}/sensor/noise`);
  return (c, t) => {
    const truth = reading(c);
    const fault = active.get(c.category);
    if (fault?.kind === 'stuck') return { ...truth, fillingLevel: fault.reading.fillingLevel, overflow: fault.reading.overflow ?? false };
    if (!fault && !(tuning.sensorNoise > 0)) return truth;
    const level =
      fault?.kind === 'jump' ? truth.fillingLevel + fault.step
      : fault?.kind === 'drift' ? truth.fillingLevel * (1 + (fault.perDay * (t - fault.startMs)) / DAY_MS)
      : truth.fillingLevel;
    const noise = tuning.sensorNoise > 0 ? normal(rNoise, 0, tuning.sensorNoise) : 0;
    const shown = round(clamp(level + noise, 0, 1), 3);
    return { ...truth, fillingLevel: shown, overflow: truth.overflow === true && shown >= 1 };
  };
}

/** `npm run evaluate -- sensors`: the options, the run on the demo fleet, the printed table. */
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { localDayStart } from '../../shared/units.ts';
import { SENSOR_FAULT_KINDS } from '../../simulators/core/sensor-faults.ts';
import type { EvaluationScenario } from '../scenario.ts';
import { runSensorEvaluation, type SensorEvaluationResult } from './run.ts';
import type { KindScore } from './score.ts';

const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return n;
};

const zeroOrMore = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n >= 0 && n < 1)) throw new RangeError(`--${name} must be a number from 0 to below 1, got ${text}`);
  return n;
};

const calls = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([call, n]) => `${call} ${n}`)
    .join(', ') || '-';

function row(label: string, s: KindScore): string {
  return [
    label.padEnd(7),
    String(s.injected).padStart(9),
    String(s.detected).padStart(9),
    String(s.missed).padStart(7),
    (s.medianHoursToDetect === null ? '-' : s.medianHoursToDetect.toFixed(1)).padStart(9),
    `${Math.round(100 * s.within24h)} %`.padStart(12),
    `  ${calls(s.calledAs)}`,
  ].join(' ');
}

export function sensorsTable(r: SensorEvaluationResult): string {
  const { score } = r;
  const lines = [
    ['fault  ', ' injected', ' detected', ' missed', ' median h', ' within 24 h', '  called'].join(' '),
    ...SENSOR_FAULT_KINDS.map((k) => row(k, score.byKind[k])),
    row('all', score.all),
    '',
    `false positives (suspicions on healthy compartments): ${score.falsePositives} in ${score.compartmentDays} compartment-days = ` +
      `${score.falsePositivesPer1000CompartmentDays} per 1,000 compartment-days (${calls(score.falsePositivesByCall)})`,
    `${r.boxes} boxes, ${r.compartments} compartments, ${r.readings} compartment readings; ${r.faultsInjected} faults injected ` +
      `(${score.unscored} in the warm-up or the last day, not scored), ${r.suspicions} suspicions raised`,
    `kg at full learned from the fleet (registry capacity): ${Object.entries(r.kgAtFull)
      .map(([c, k]) => `${c} ${k.learned} (${k.registry})`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

export const sensorsScenario: EvaluationScenario = {
  usage: '[--days 28] [--warmup-days 2] [--sensor-fault-rate 20] [--noise 0.02] [--report-minutes 60] [--boxes 605] [--seed tianning] [--start 2026-11-02]',
  options: {
    days: { type: 'string', default: '28' },
    'warmup-days': { type: 'string', default: '2' },
    'sensor-fault-rate': { type: 'string', default: '20' },
    noise: { type: 'string', default: '0.02' },
    'report-minutes': { type: 'string', default: '60' },
    boxes: { type: 'string', default: '605' },
    seed: { type: 'string', default: 'tianning' },
    start: { type: 'string', default: '2026-11-02' },
  },
  run(values) {
    const seed = values.seed!;
    const devices = generateDemoFleet({ seed, boxes: Math.round(positive('boxes', values.boxes!)), cameras: 0 });
    const result = runSensorEvaluation({
      seed,
      devices,
      startMs: localDayStart(values.start!, 480),
      days: positive('days', values.days!),
      warmupDays: Number(values['warmup-days']),
      sensorFaultRate: positive('sensor-fault-rate', values['sensor-fault-rate']!),
      sensorNoise: zeroOrMore('noise', values.noise!),
      reportIntervalMs: Math.round(positive('report-minutes', values['report-minutes']!) * 60_000),
    });
    return { table: sensorsTable(result), json: result };
  },
};

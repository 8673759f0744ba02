/** `npm run evaluate -- ledger`: the options, the run on the demo district, the printed table. */
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { localDayStart } from '../../shared/units.ts';
import { ANOMALY_KINDS } from '../../simulators/core/anomalies.ts';
import type { EvaluationScenario } from '../scenario.ts';
import { runLedgerEvaluation, type LedgerEvaluationResult } from './run.ts';

const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return n;
};

export function ledgerTable(r: LedgerEvaluationResult): string {
  const { score, chain } = r;
  const cell = (v: number | null, width: number) => (v === null ? '-' : String(v)).padStart(width);
  const lines = [
    ['anomaly', ' injected', ' pending', ' found', ' missed', ' median h to alert'].join(' '),
    ...ANOMALY_KINDS.map((k) => {
      const s = score.byKind[k];
      return [k.padEnd(7), cell(s.injected, 9), cell(s.pending, 8), cell(s.found, 6), cell(s.missed, 7), cell(s.medianHoursToAlert, 18)].join(' ');
    }),
    '',
    `shipment days short while a scale drifted (a drift's second alert): ${score.shipmentAlertsDuringDrift}`,
    `false alerts (no injected anomaly explains them): ${score.falseAlerts}${score.falseAlerts > 0 ? ` (${score.falseAlertKeys.slice(0, 5).join(', ')}${score.falseAlerts > 5 ? ', …' : ''})` : ''}`,
    `ledger_mismatch alerts: ${r.alerts.total} (${Object.entries(r.alerts.byKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`,
    `${r.days} days: ${chain.trips} trips (${Math.round(chain.tripCollectedKg / 1000)} t collected), ${chain.weighIns} weigh-ins, ${chain.shipments} shipments, ${chain.sortingReports} sorting reports`,
    'pending: injected too close to the end to have shown yet (a trip: 8 h; a drift: 3.4 days), not scored',
  ];
  return lines.join('\n');
}

export const ledgerScenario: EvaluationScenario = {
  usage: '[--days 28] [--anomaly-rate 3] [--boxes 605] [--seed tianning] [--start 2026-11-02]',
  options: {
    days: { type: 'string', default: '28' },
    'anomaly-rate': { type: 'string', default: '3' },
    boxes: { type: 'string', default: '605' },
    seed: { type: 'string', default: 'tianning' },
    start: { type: 'string', default: '2026-11-02' },
  },
  async run(values) {
    const seed = values.seed!;
    const boxes = generateDemoFleet({ seed, boxes: Math.round(positive('boxes', values.boxes!)), cameras: 0 }).filter((d) => d.kind === 'box');
    const result = await runLedgerEvaluation({
      seed,
      boxes,
      startMs: localDayStart(values.start!, 480),
      days: Math.round(positive('days', values.days!)),
      anomalyRate: positive('anomaly-rate', values['anomaly-rate']!),
    });
    return { table: ledgerTable(result), json: result };
  },
};

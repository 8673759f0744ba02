/** `npm run evaluate -- forecast`: the options, the run on the demo fleet, the printed table. */
import { generateDemoFleet } from '../../services/fleet/core/demo-fleet.ts';
import { localDayStart } from '../../shared/units.ts';
import type { EvaluationScenario } from '../scenario.ts';
import { runForecastBacktest, type ForecastBacktestResult } from './backtest.ts';
import type { MethodScore } from './score.ts';

const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!(n > 0)) throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return n;
};

function row(horizonH: number, method: string, s: MethodScore): string {
  const cells = [
    `${horizonH} h`.padEnd(8),
    method.padEnd(16),
    String(s.n).padStart(6),
    String(s.missing).padStart(8),
    s.maeHours.toFixed(1).padStart(8),
    s.biasHours.toFixed(1).padStart(8),
    `${Math.round(s.coverage80 * 100)} %`.padStart(9),
    s.meanWidthHours.toFixed(1).padStart(9),
  ];
  return cells.join(' ');
}

export function forecastTable(result: ForecastBacktestResult): string {
  const header = ['horizon ', 'method          ', '     n', ' missing', '  MAE h', ' bias h', ' in 80 %', ' width h'].join(' ');
  const lines = [header];
  for (const h of result.horizons) {
    lines.push(row(h.horizonH, 'forecast', h.model), row(h.horizonH, 'forecast (good)', h.modelGood), row(h.horizonH, 'baseline', h.baseline));
    lines.push(`${''.padEnd(8)} censored (emptied before full): ${h.censored}`);
  }
  lines.push('', 'by the forecast\'s own time to full (within ±25 % of the horizon), cycles that reached the level:', header);
  for (const h of result.horizons) {
    lines.push(row(h.horizonH, 'forecast', h.byForecastLead.model), row(h.horizonH, 'baseline', h.byForecastLead.baseline));
  }
  lines.push('');
  const { cycles } = result;
  lines.push(
    `${result.compartments} compartments, ${result.forecasts} forecasts; fill cycles: ${cycles.reached} reached the level, ` +
      `${cycles.censored} emptied before, ${cycles.open} open at the end; ${result.deposits} deposits (${result.refusedDeposits} refused), ${result.collections} collections`,
  );
  return lines.join('\n');
}

export const forecastScenario: EvaluationScenario = {
  usage: '[--days 28] [--warmup 7] [--sample-every 1] [--boxes 605] [--collect-at 1] [--full-level 0.9] [--seed tianning] [--start 2026-11-02]',
  options: {
    days: { type: 'string', default: '28' },
    warmup: { type: 'string', default: '7' },
    'sample-every': { type: 'string', default: '1' },
    boxes: { type: 'string', default: '605' },
    'collect-at': { type: 'string', default: '1' },
    'full-level': { type: 'string', default: '0.9' },
    seed: { type: 'string', default: 'tianning' },
    start: { type: 'string', default: '2026-11-02' },
  },
  run(values) {
    const seed = values.seed!;
    const devices = generateDemoFleet({ seed, boxes: Math.round(positive('boxes', values.boxes!)), cameras: 0 });
    const result = runForecastBacktest({
      seed,
      devices,
      startMs: localDayStart(values.start!, 480),
      days: positive('days', values.days!),
      warmupDays: Number(values.warmup),
      sampleEveryHours: Math.round(positive('sample-every', values['sample-every']!)),
      collectAt: positive('collect-at', values['collect-at']!),
      fullLevel: positive('full-level', values['full-level']!),
    });
    return { table: forecastTable(result), json: result };
  },
};

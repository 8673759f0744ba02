/**
 * What a benchmark run produces, the targets it is judged against (issue 6) and the printed
 * table. Pure.
 */

export const SCENARIOS = ['ingest', 'alerts', 'memory', 'storm', 'reports', 'cold-start', 'planner', 'sse-connects'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Figure {
  label: string;
  value: number;
  unit: string;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  /** Figures by key; targets name a key. */
  figures: Record<string, Figure>;
  /** Things a reader of the figures must know (a skipped part, a retry count). */
  notes: string[];
}

export interface Target {
  scenario: ScenarioName;
  figure: string;
  op: '>=' | '<=';
  limit: number;
  description: string;
}

export const TARGETS: readonly Target[] = [
  { scenario: 'ingest', figure: 'ratio', op: '>=', limit: 0.8, description: 'full platform / bare aedes throughput (b/a)' },
  { scenario: 'ingest', figure: 'nodeRedRatio', op: '>=', limit: 2, description: 'BinPulse on InfluxDB / Node-RED flow, stored msg/s (issue 16; 3 is the goal)' },
  { scenario: 'alerts', figure: 'raisedP99Ms', op: '<=', limit: 50, description: 'alert latency p99 at 100× the district rate' },
  { scenario: 'memory', figure: 'kbPerDevice', op: '<=', limit: 30, description: 'RSS per connected device at 10,000 devices' },
  { scenario: 'storm', figure: 'stormS', op: '<=', limit: 20, description: '10,000 devices authenticated after a connect storm' },
  { scenario: 'reports', figure: 'apiYearP50Ms', op: '<=', limit: 100, description: 'one-year tonnage report, embedded store (API)' },
  { scenario: 'cold-start', figure: 'coldStartMs', op: '<=', limit: 5000, description: 'process start → broker accepting and API answering' },
  { scenario: 'planner', figure: 'planMs', op: '<=', limit: 2000, description: 'shift plan of the district, 605 boxes and 12 vehicles (issue 13)' },
  { scenario: 'sse-connects', figure: 'pubackP99Ms', op: '<=', limit: 50, description: 'device PUBACK p99 while 600 alert streams connect at 100× the district rate (issue 15)' },
  { scenario: 'cold-start', figure: 'historyDoneMs', op: '<=', limit: 60_000, description: 'first npm start → 28 days of demo history in the reports (issue 12)' },
];

export type Verdict = 'met' | 'not met' | 'not run';

export interface Judgement {
  target: Target;
  value: number | null;
  verdict: Verdict;
}

export function judge(results: readonly ScenarioResult[]): Judgement[] {
  return TARGETS.map((target) => {
    const figure = results.find((r) => r.scenario === target.scenario)?.figures[target.figure];
    if (figure === undefined || !Number.isFinite(figure.value)) return { target, value: null, verdict: 'not run' };
    const met = target.op === '>=' ? figure.value >= target.limit : figure.value <= target.limit;
    return { target, value: figure.value, verdict: met ? 'met' : 'not met' };
  });
}

const formatValue = (value: number): string =>
  Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);

/** One table: every figure, and beside the judged ones the target and the verdict. */
export function renderTable(results: readonly ScenarioResult[]): string {
  const judged = new Map(judge(results).map((j) => [`${j.target.scenario}/${j.target.figure}`, j]));
  const rows: string[][] = [['scenario', 'figure', 'value', 'target', 'verdict']];
  for (const result of results) {
    for (const [key, figure] of Object.entries(result.figures)) {
      const j = judged.get(`${result.scenario}/${key}`);
      rows.push([
        result.scenario,
        figure.label,
        `${formatValue(figure.value)}${figure.unit ? ` ${figure.unit}` : ''}`,
        j ? `${j.target.op} ${formatValue(j.target.limit)}${figure.unit ? ` ${figure.unit}` : ''}` : '',
        j ? j.verdict : '',
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * What Grafana's InfluxDB datasource does to a panel's InfluxQL before sending it: $timeFilter
 * becomes `time >= <from>ms and time <= <to>ms`, $__interval the panel's interval (the range
 * over its data points, rounded as Grafana rounds it, at least the panel's min interval), and a
 * multi-value variable a regex group `(a|b)` of its regex-escaped values. Plus the committed
 * dashboards' targets and variables, walked out of their JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isInfluxQLQuery } from '../../../dashboards/lib/influxql-query.ts';

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  query: string;
  /** The panel's min interval ("interval") and maxDataPoints, which bound $__interval. */
  minInterval?: string;
  maxDataPoints?: number;
}

export interface VariableQuery {
  dashboard: string;
  name: string;
  query: string;
}

interface DashboardJson {
  uid: string;
  title: string;
  panels?: { type: string; title?: string; interval?: string; maxDataPoints?: number; targets?: unknown[]; panels?: unknown[] }[];
  templating?: { list?: { name: string; type: string; query?: unknown }[] };
}

export const JSON_DIR = new URL('../../../dashboards/json/', import.meta.url);

export function committedDashboards(): DashboardJson[] {
  return readdirSync(JSON_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(new URL(file, JSON_DIR), 'utf8')) as DashboardJson);
}

export function panelQueries(dashboard: DashboardJson): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of dashboard.panels ?? []) {
    for (const target of panel.targets ?? []) {
      const where = `${dashboard.uid} / "${panel.title ?? panel.type}"`;
      if (!isInfluxQLQuery(target)) throw new Error(`${where}: a target that is not a raw InfluxQL query: ${JSON.stringify(target)}`);
      queries.push({
        dashboard: dashboard.uid,
        panel: panel.title ?? panel.type,
        refId: target.refId ?? '?',
        query: target.query,
        minInterval: panel.interval,
        maxDataPoints: panel.maxDataPoints,
      });
    }
  }
  return queries;
}

export function variableQueries(dashboard: DashboardJson): VariableQuery[] {
  return (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query')
    .map((v) => ({
      dashboard: dashboard.uid,
      name: v.name,
      query: typeof v.query === 'string' ? v.query : String((v.query as { query?: unknown })?.query),
    }));
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function intervalToMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) throw new Error(`not an interval: ${text}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** Grafana's rangeutil.roundInterval: the range over the data points, to a round step. */
export function roundInterval(ms: number): number {
  const steps: [number, number][] = [
    [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000],
    [7500, 5000], [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000],
    [210_000, 120_000], [450_000, 300_000], [900_000, 600_000], [1_200_000, 900_000], [2_700_000, 1_200_000],
    [5_400_000, 1_800_000], [9_000_000, 3_600_000], [16_200_000, 7_200_000], [32_400_000, 10_800_000],
    [86_400_000, 21_600_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000], [3_628_800_000, 2_592_000_000],
  ];
  return steps.find(([below]) => ms < below)?.[1] ?? 31_536_000_000;
}

/** Grafana's secondsToHms: the largest whole unit. */
export function formatInterval(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** $__interval for a panel over [from, to] (resolution: its maxDataPoints, else a typical 1000 px wide panel). */
export function panelInterval(from: number, to: number, panel: Pick<PanelQuery, 'minInterval' | 'maxDataPoints'>): string {
  let ms = roundInterval((to - from) / (panel.maxDataPoints ?? 1000));
  if (panel.minInterval !== undefined) ms = Math.max(ms, intervalToMs(panel.minInterval));
  return formatInterval(ms);
}

const escapeRegex = (value: string) => value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

export interface Substitution {
  from: number;
  to: number;
  interval: string;
  /** Multi-value variables and their selected values (All: every value). */
  variables: Readonly<Record<string, readonly string[]>>;
}

export function interpolate(query: string, s: Substitution): string {
  let text = query
    .replaceAll('$timeFilter', `time >= ${s.from}ms and time <= ${s.to}ms`)
    .replaceAll('$__interval_ms', String(intervalToMs(s.interval)))
    .replaceAll('$__interval', s.interval)
    .replaceAll('$interval', s.interval);
  for (const [name, values] of Object.entries(s.variables)) {
    const escaped = values.map(escapeRegex);
    const value = escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
    text = text.replaceAll(`\${${name}}`, value).replaceAll(`$${name}`, value);
  }
  const left = /\$\{?[A-Za-z_]\w*/.exec(text);
  if (left) throw new Error(`no value for ${left[0]} in: ${query}`);
  return text;
}

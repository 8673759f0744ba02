/**
 * Scoring the fill-sensor cross-check against the faults the simulator injected (pure).
 *
 * - A fault is detected when a suspicion is raised on its compartment between its start and
 *   RELATED_AFTER_MS after its end; the time to detect is from the start to the first such raise.
 *   Faults that start before the scored span (the check's warm-up: it judges a compartment only
 *   after its first collection) or within MIN_OBSERVED_MS of the end are not scored.
 * - A false positive is a raise on a compartment with no fault then (nor within RELATED_AFTER_MS
 *   after one ended: a healed sensor's return to the truth is the same episode), in the scored span.
 *   Per 1,000 compartment-days of that span.
 */
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import type { InjectedSensorFault, SensorFaultKind } from '../../simulators/core/sensor-faults.ts';
import { SENSOR_FAULT_KINDS } from '../../simulators/core/sensor-faults.ts';
import { median } from '../../services/alerts/core/fill-density.ts';

export const RELATED_AFTER_MS = DAY_MS;
/** A fault must have had this long to be found before the run ends. */
export const MIN_OBSERVED_MS = DAY_MS;

export interface Raised {
  boxId: string;
  category: string;
  at: number;
  /** What the check called it: stuck, jump, drift, camera. */
  suspicion: string;
}

export interface KindScore {
  injected: number;
  detected: number;
  missed: number;
  /** Median hours from the fault's start to its first suspicion; null when none was detected. */
  medianHoursToDetect: number | null;
  /** Share of the injected ones detected within 24 h. */
  within24h: number;
  /** How the detected ones were called (a step that stays may be called a drift, etc.). */
  calledAs: Record<string, number>;
}

export interface SensorScore {
  byKind: Record<SensorFaultKind, KindScore>;
  all: KindScore;
  falsePositives: number;
  falsePositivesByCall: Record<string, number>;
  compartmentDays: number;
  falsePositivesPer1000CompartmentDays: number;
  /** Faults outside the scored span. */
  unscored: number;
  /** The scored faults not found within 24 h (hoursToDetect null: not at all), to look into. */
  late: (InjectedSensorFault & { hoursToDetect: number | null })[];
  /** The suspicions counted as false positives, to look into. */
  falseRaises: Raised[];
}

export interface ScoreSpan {
  fromMs: number;
  toMs: number;
  compartments: number;
}

const key = (x: { boxId: string; category: string }) => `${x.boxId}/${x.category}`;

function kindScore(found: { delayMs: number | null; called: string | null }[]): KindScore {
  const delays = found.flatMap((f) => (f.delayMs === null ? [] : [f.delayMs]));
  const calledAs: Record<string, number> = {};
  for (const f of found) if (f.called !== null) calledAs[f.called] = (calledAs[f.called] ?? 0) + 1;
  return {
    injected: found.length,
    detected: delays.length,
    missed: found.length - delays.length,
    medianHoursToDetect: delays.length === 0 ? null : Math.round((10 * median(delays)) / HOUR_MS) / 10,
    within24h: found.length === 0 ? 0 : delays.filter((d) => d <= DAY_MS).length / found.length,
    calledAs,
  };
}

export function scoreSensorCheck(faults: readonly InjectedSensorFault[], raised: readonly Raised[], span: ScoreSpan): SensorScore {
  const raisedOn = new Map<string, Raised[]>();
  for (const r of raised) raisedOn.set(key(r), [...(raisedOn.get(key(r)) ?? []), r]);
  const faultsOn = new Map<string, InjectedSensorFault[]>();
  for (const f of faults) faultsOn.set(key(f), [...(faultsOn.get(key(f)) ?? []), f]);

  const scored = faults.filter((f) => f.startMs >= span.fromMs && f.startMs <= span.toMs - MIN_OBSERVED_MS);
  const found = new Map<SensorFaultKind, { delayMs: number | null; called: string | null }[]>(SENSOR_FAULT_KINDS.map((k) => [k, []]));
  const late: SensorScore['late'] = [];
  for (const f of scored) {
    const first = (raisedOn.get(key(f)) ?? []).find((r) => r.at >= f.startMs && r.at <= f.endMs + RELATED_AFTER_MS);
    const delayMs = first ? first.at - f.startMs : null;
    found.get(f.kind)!.push({ delayMs, called: first?.suspicion ?? null });
    if (delayMs === null || delayMs > DAY_MS) late.push({ ...f, hoursToDetect: delayMs === null ? null : Math.round((10 * delayMs) / HOUR_MS) / 10 });
  }

  const falsePositivesByCall: Record<string, number> = {};
  const falseRaises: Raised[] = [];
  for (const r of raised) {
    if (r.at < span.fromMs || r.at > span.toMs) continue;
    const related = (faultsOn.get(key(r)) ?? []).some((f) => r.at >= f.startMs && r.at <= f.endMs + RELATED_AFTER_MS);
    if (related) continue;
    falseRaises.push(r);
    falsePositivesByCall[r.suspicion] = (falsePositivesByCall[r.suspicion] ?? 0) + 1;
  }
  const compartmentDays = (span.compartments * (span.toMs - span.fromMs)) / DAY_MS;
  const byKind = Object.fromEntries(SENSOR_FAULT_KINDS.map((k) => [k, kindScore(found.get(k)!)])) as Record<SensorFaultKind, KindScore>;
  return {
    byKind,
    all: kindScore([...found.values()].flat()),
    falsePositives: falseRaises.length,
    falsePositivesByCall,
    compartmentDays: Math.round(compartmentDays),
    falsePositivesPer1000CompartmentDays: compartmentDays === 0 ? 0 : Math.round((100_000 * falseRaises.length) / compartmentDays) / 100,
    unscored: faults.length - scored.length,
    late,
    falseRaises,
  };
}

/**
 * Scoring the ledger's ledger_mismatch alerts against the anomalies the simulator injected (pure).
 *
 * - A light load or a missing weigh-in is found by a trip alert (ledger_mismatch:trip:…) on its
 *   plate first raised within TRIP_MATCH_MS after the anomaly (the light weigh-in, or the time the
 *   missing one was due); in time order, each anomaly takes the first such alert not taken yet.
 * - A drift is found by a sighting of its scale's alert (ledger_mismatch:scale:<scale>) between
 *   its start and DRIFT_AFTER_MS after its recalibration (the scale's alert stays open until
 *   someone resolves it, so a second drift on the same scale is a new sighting, not a new alert).
 * - A false alert is a trip alert no anomaly took, a scale alert first seen outside every drift of
 *   its scale, or an alert on a day's shipments while no scale drifted (none are injected; a
 *   drifting scale reads the station's weigh-outs heavy too, so those are counted apart).
 * - Anomalies too young at the end to have shown are pending, not scored: a trip's within
 *   TRIP_PENDING_MS of the end (its weigh-in deadline and the check after it), a drift's within
 *   DRIFT_PENDING_MS (simulators/core/anomalies.ts DRIFT_SHOWS_WITHIN_MS: a gross of ~10 t reads
 *   the trip tolerance's 50 kg heavy after 0.5 % of drift, 1.7 to 3.3 days at 0.15 to 0.3 % a day).
 */
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import { normalisePlate } from '../../services/ledger/core/inputs.ts';
import { median } from '../../services/alerts/core/fill-density.ts';
import { ANOMALY_KINDS, DRIFT_SHOWS_WITHIN_MS, type AnomalyKind, type InjectedAnomaly } from '../../simulators/core/anomalies.ts';
import type { LoggedAlert } from './alert-log.ts';

export const TRIP_MATCH_MS = 12 * HOUR_MS;
export const DRIFT_AFTER_MS = 2 * DAY_MS;
export const TRIP_PENDING_MS = 8 * HOUR_MS;
export const DRIFT_PENDING_MS = DRIFT_SHOWS_WITHIN_MS + HOUR_MS;

export interface AnomalyKindScore {
  injected: number;
  pending: number;
  found: number;
  missed: number;
  medianHoursToAlert: number | null;
}

export interface LedgerScore {
  byKind: Record<AnomalyKind, AnomalyKindScore>;
  /** Alerts on a day's shipments while a scale drifted: a second alert for a drift (its weigh-outs read heavy too). */
  shipmentAlertsDuringDrift: number;
  /** Alerts no anomaly explains (a trip alert left over after each anomaly took its own is one). */
  falseAlerts: number;
  falseAlertKeys: string[];
  /** The scored anomalies not found, to look into. */
  missed: InjectedAnomaly[];
}

const TRIP_PREFIX = 'ledger_mismatch:trip:';
const SCALE_PREFIX = 'ledger_mismatch:scale:';
const SHIPMENTS_PREFIX = 'ledger_mismatch:shipped_received:';

export function scoreLedger(anomalies: readonly InjectedAnomaly[], alerts: readonly LoggedAlert[], endMs: number): LedgerScore {
  const claimed = new Set<LoggedAlert>();
  const found = new Map<AnomalyKind, { pending: boolean; extra: number; delayMs: number | null }[]>(ANOMALY_KINDS.map((k) => [k, []]));
  const missed: InjectedAnomaly[] = [];
  // In time order, each trip anomaly claims the first alert on its plate not claimed yet: a truck
  // light twice in a day is two anomalies and two alerts.
  for (const a of [...anomalies].sort((x, y) => x.atMs - y.atMs)) {
    const matches = a.kind === 'drift' ? driftSightings(a, alerts) : tripAlerts(a, alerts).filter((m) => !claimed.has(m.alert));
    const first = matches.sort((x, y) => x.atMs - y.atMs)[0];
    if (first) claimed.add(first.alert);
    const pending = first === undefined && endMs - a.atMs < (a.kind === 'drift' ? DRIFT_PENDING_MS : TRIP_PENDING_MS);
    if (!pending && first === undefined) missed.push(a);
    found.get(a.kind)!.push({ pending, extra: 0, delayMs: first === undefined ? null : first.atMs - a.atMs });
  }
  const unclaimed = alerts.filter((a) => !claimed.has(a));
  // A drift makes the station's weigh-outs heavy too: a day's shipments short while one was on.
  const drifting = (al: LoggedAlert) =>
    al.key.startsWith(SHIPMENTS_PREFIX) &&
    anomalies.some((a) => a.kind === 'drift' && al.firstSeenMs >= a.atMs && al.firstSeenMs - DAY_MS <= (a.driftUntilMs ?? a.atMs) + DAY_MS);
  const duringDrift = unclaimed.filter(drifting);
  const falseAlertKeys = unclaimed.filter((al) => !drifting(al)).map((a) => a.key);
  const byKind = Object.fromEntries(
    ANOMALY_KINDS.map((k) => {
      const all = found.get(k)!;
      const scored = all.filter((f) => !f.pending);
      const delays = scored.flatMap((f) => (f.delayMs === null ? [] : [f.delayMs]));
      const score: AnomalyKindScore = {
        injected: all.length,
        pending: all.length - scored.length,
        found: delays.length,
        missed: scored.length - delays.length,
        medianHoursToAlert: delays.length === 0 ? null : Math.round((10 * median(delays)) / HOUR_MS) / 10,
      };
      return [k, score];
    }),
  ) as Record<AnomalyKind, AnomalyKindScore>;
  return { byKind, shipmentAlertsDuringDrift: duringDrift.length, falseAlerts: falseAlertKeys.length, falseAlertKeys, missed };
}

function tripAlerts(a: InjectedAnomaly, alerts: readonly LoggedAlert[]): { alert: LoggedAlert; atMs: number }[] {
  const plate = normalisePlate(a.plate ?? '');
  return alerts
    .filter((al) => al.key.startsWith(TRIP_PREFIX) && normalisePlate(String(al.evidence.plate ?? '')) === plate)
    .filter((al) => al.firstSeenMs >= a.atMs && al.firstSeenMs - a.atMs <= TRIP_MATCH_MS)
    .map((alert) => ({ alert, atMs: alert.firstSeenMs }));
}

function driftSightings(a: InjectedAnomaly, alerts: readonly LoggedAlert[]): { alert: LoggedAlert; atMs: number }[] {
  const untilMs = a.driftUntilMs ?? a.atMs;
  return alerts
    .filter((al) => al.key === `${SCALE_PREFIX}${a.scaleId}`)
    .flatMap((alert) => alert.sightings.filter((t) => t >= a.atMs && t <= untilMs + DRIFT_AFTER_MS).slice(0, 1).map((atMs) => ({ alert, atMs })));
}

/**
 * The anomalies injected into the chain after the box (issue 14), and the counters that say
 * what was injected where: the ledger must raise one ledger_mismatch per injected anomaly, so a
 * demo can be checked against these figures.
 *
 * - light: a trip's load weighs in 8–20 % lighter than the boxes reported collecting (part of
 *   the load went elsewhere, e.g. sold on the way); only what arrives goes on downstream. Only
 *   on trips of 1 t or more (trips.ts), where the ledger can tell it from the noise.
 * - missing: a trip is never weighed in (the load did not reach the station's bridge); nothing
 *   of it goes on downstream.
 * - drift: a transfer station's scale goes out of calibration and reads every gross high by a
 *   share that grows day by day (0.15–0.3 % a day) for 5–10 days, until it is recalibrated
 *   (at the latest when 0.9 % off).
 *   Only a scale in use (it weighed within the last day) starts drifting: an idle one's drift
 *   would show nowhere.
 */
import { forkRandom, uniform, type Random } from '../../shared/random.ts';
import { DAY_MS, toLocalIso } from '../../shared/units.ts';
import type { SimContext } from './context.ts';
import { poissonProcess } from './faults.ts';
import type { Weighbridge } from './weighbridge.ts';

export const ANOMALY_KINDS = ['light', 'missing', 'drift'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const LIGHT_SHARE = [0.08, 0.2] as const;
export const DRIFT_PER_DAY = [0.0015, 0.003] as const;
export const DRIFT_DAYS = [5, 10] as const;
/**
 * Recalibrated at the latest when it reads this much high. A drifting bridge shows on every trip
 * weighed there from ~0.5 % (50 kg of a 10 t gross: the trip tolerance); kept under 1 % so that
 * the station's shipments (a 15 t lorry's gross) do not also tip the district's day of shipments
 * past its tolerance: one drift, one kind of finding.
 */
export const DRIFT_MAX = 0.009;
/**
 * How long a drift takes at the slowest to read a loaded truck's gross (~10 t) 50 kg heavy, the
 * ledger's trip tolerance: 0.5 % at DRIFT_PER_DAY[0]. Until then no weigh-in can show it.
 */
export const DRIFT_SHOWS_WITHIN_MS = Math.ceil((0.005 / DRIFT_PER_DAY[0]) * DAY_MS);

/** One injected anomaly: what, when and where. */
export interface InjectedAnomaly {
  kind: AnomalyKind;
  atMs: number;
  /** District local time of atMs. */
  at: string;
  /** The transfer station (Site id) and its scale. */
  siteId: string;
  scaleId: string;
  /** light, missing: the vehicle's plate. */
  plate?: string;
  /** light, missing: the trip's collected kg; light: the share that did not arrive. */
  collectedKg?: number;
  missingShare?: number;
  /** drift: share a day and how long until recalibration. */
  driftPerDay?: number;
  driftUntil?: string;
  driftUntilMs?: number;
}

/** What the chain did, for the status line, the demo history's summary and the tests. */
export interface ChainStats {
  /** Trips that carried a load (a vehicle's collections between two weigh-ins). */
  trips: number;
  /** kg those trips collected, as the boxes reported it. */
  tripCollectedKg: number;
  /** Trip weigh-in tickets (direction in at a transfer station). */
  weighIns: number;
  /** Trips with no scale to weigh at (no transfer station with a scale in the fleet). */
  unweighedTrips: number;
  /** Shipments from a station to the sorting centre, each weighed out and in. */
  shipments: number;
  /** kg that really left the stations and reached the sorting centre (scales aside). */
  shippedKg: number;
  receivedKg: number;
  sortingReports: number;
  anomalies: Record<AnomalyKind, number>;
  /** The most recent injected anomalies (at most MAX_LISTED). */
  injected: InjectedAnomaly[];
}

const MAX_LISTED = 500;

export const emptyChainStats = (): ChainStats => ({
  trips: 0,
  tripCollectedKg: 0,
  weighIns: 0,
  unweighedTrips: 0,
  shipments: 0,
  shippedKg: 0,
  receivedKg: 0,
  sortingReports: 0,
  anomalies: { light: 0, missing: 0, drift: 0 },
  injected: [],
});

export function recordAnomaly(stats: ChainStats, anomaly: InjectedAnomaly): void {
  stats.anomalies[anomaly.kind]++;
  stats.injected.push(anomaly);
  if (stats.injected.length > MAX_LISTED) stats.injected.shift();
}

/** "2 light, 1 missing, 0 drift": the anomalies injected so far, for a status line. */
export const formatAnomalies = (a: Readonly<Record<AnomalyKind, number>>): string =>
  `anomalies injected: ${a.light} light, ${a.missing} missing, ${a.drift} drift`;

export type TripFate = { kind: 'weighed' } | { kind: 'light'; missingShare: number } | { kind: 'missing' };

/**
 * What happens to a trip on its way to the bridge. Draws the same three numbers whatever the
 * outcome, so the rates (or switching anomalies off) never shift the rest of the stream.
 */
export function tripFate(r: Random, ctx: Pick<SimContext, 'tuning'>): TripFate {
  const { anomalies, anomalyRate } = ctx.tuning;
  const missing = r.next();
  const light = r.next();
  const share = uniform(r, LIGHT_SHARE[0], LIGHT_SHARE[1]);
  if (missing < anomalies.missingPerTrip * anomalyRate) return { kind: 'missing' };
  if (light < anomalies.lightPerTrip * anomalyRate) return { kind: 'light', missingShare: share };
  return { kind: 'weighed' };
}

/** Starts a transfer station scale's drift episodes (none while one is under way). */
export function startDrifts(ctx: SimContext, bridge: Weighbridge, stats: ChainStats): void {
  const r = forkRandom(ctx.seed, `${bridge.device.id}/drift`);
  const perDay = ctx.tuning.anomalies.driftPerScalePerDay * ctx.tuning.anomalyRate;
  poissonProcess(ctx.scheduler, r, perDay, (t) => {
    const rate = uniform(r, DRIFT_PER_DAY[0], DRIFT_PER_DAY[1]);
    const days = Math.min(uniform(r, DRIFT_DAYS[0], DRIFT_DAYS[1]), DRIFT_MAX / rate);
    const untilMs = t + Math.round(days * DAY_MS);
    if (bridge.drift !== null && t < bridge.drift.untilMs) return;
    // A scale nobody uses drifts unseen: only a bridge that weighed within the day counts.
    if (bridge.lastWeighedMs === null || t - bridge.lastWeighedMs > DAY_MS) return;
    bridge.drift = { startMs: t, untilMs, perDay: rate };
    recordAnomaly(stats, {
      kind: 'drift',
      atMs: t,
      at: toLocalIso(t, ctx.utcOffsetMinutes),
      siteId: bridge.site.id,
      scaleId: bridge.device.id,
      driftPerDay: rate,
      driftUntil: toLocalIso(untilMs, ctx.utcOffsetMinutes),
      driftUntilMs: untilMs,
    });
  });
}


/**
 * Time-to-full forecast of one box compartment from its own history (forecast-history.ts).
 *
 * Fill rate: kg per local hour of the week, each bucket's own mean shrunk toward the
 * compartment's hour-of-day mean, which is shrunk toward its overall mean shaped by the district's
 * profile: a young compartment follows the district's rhythm at its own level, an old one its
 * own weekly rhythm (no filling at night if nobody deposits at night).
 *
 * Median: the instant the expected kg reach the kg missing plus the crossing deposit's mean
 * overshoot. Interval: deposits arrive as a compound Poisson process, so the kg expected by
 * time t (m) has variance ≈ φ·m (φ = E[w²]/E[w] of its deposits, or the day-to-day spread when larger) plus the
 * rate's own estimation error (s·m)² and the reading noise σ₀². The 10 % / 90 % instants are
 * when m ∓ z·sd(m) first reaches the kg still missing; solved in closed form, then one walk over
 * the hour buckets turns the kg targets into instants. O(hours to the last target).
 */
import { HOUR_MS } from '../../../shared/units.ts';
import { HOURS_PER_WEEK, hourOfWeek, variance, type CompartmentHistory } from './forecast-history.ts';

/** z of the 90th percentile: the 80 % interval runs from the 10th to the 90th. */
export const Z_80 = 1.2816;

export const DEFAULT_FULL_LEVEL = 0.9;

/** Pseudo-hours of the prior in each hour-of-day and hour-of-week bucket (see shrinkage above). */
const PRIOR_HOURS_OF_DAY = 7;
const PRIOR_HOURS_OF_WEEK = 4;
/** Pseudo-hours given to priorKgPerHour against the compartment's own watched hours. */
const PRIOR_HOURS_OVERALL = 24;
/** φ before the compartment has shown its own deposits: a ~3.5 kg bag, log-normal σ 0.55. */
const DEFAULT_DISPERSION_KG = 4.7;

/** The district's relative deposit intensity by hour of week (mean 1), and folded by hour of day. */
export interface DistrictProfile {
  week: readonly number[];
  day: readonly number[];
}

/** Hour-of-week kg and watched hours summed over compartments (e.g. all of a district's) as a profile. */
export function districtProfile(kgByHourOfWeek: readonly number[], hoursByHourOfWeek: readonly number[]): DistrictProfile {
  const rate = (kg: number, hours: number): number => (hours > 0 ? kg / hours : 0);
  const week = Array.from({ length: HOURS_PER_WEEK }, (_, b) => rate(kgByHourOfWeek[b] ?? 0, hoursByHourOfWeek[b] ?? 0));
  const day = Array.from({ length: 24 }, (_, h) => {
    let kg = 0;
    let hours = 0;
    for (let d = 0; d < 7; d++) {
      kg += kgByHourOfWeek[d * 24 + h] ?? 0;
      hours += hoursByHourOfWeek[d * 24 + h] ?? 0;
    }
    return rate(kg, hours);
  });
  const mean = day.reduce((a, b) => a + b, 0) / 24;
  if (!(mean > 0)) return FLAT_PROFILE;
  // A bucket nobody watched yet takes its hour of day; a watched one keeps its rate, even 0.
  const weekOrDay = (r: number, b: number): number => ((hoursByHourOfWeek[b] ?? 0) > 0 ? r : day[b % 24]!);
  return { week: week.map((r, b) => weekOrDay(r, b) / mean), day: day.map((r) => r / mean) };
}

export const FLAT_PROFILE: DistrictProfile = { week: new Array<number>(HOURS_PER_WEEK).fill(1), day: new Array<number>(24).fill(1) };

export interface ForecastOptions {
  /** The bin_full level (thresholds file: binFullWarning), per kind/subdistrict/device. Default 0.9. */
  fullLevel?: number;
  profile?: DistrictProfile;
  /** kg/h assumed before the compartment has its own history (e.g. its category's district mean). */
  priorKgPerHour?: number;
  /** How far ahead the walk looks; instants beyond are null. Default 14 days. */
  horizonHours?: number;
  /** Watched days below which the rating is 'poor' (default 3) and 'fair' (default 7). */
  minHistoryDays?: number;
  goodHistoryDays?: number;
}

export interface LevelForecast {
  level: number;
  /** The last known level is at or above it already (the instants are then the forecast's atMs). */
  reached: boolean;
  /** Median instant (epoch ms), and the 80 % interval; null beyond the horizon or with no rate. */
  atMs: number | null;
  earliestMs: number | null;
  latestMs: number | null;
}

export type ReliabilityReason =
  | 'no_history'
  | 'short_history'
  | 'limited_history'
  | 'noisy_readings'
  | 'irregular_use'
  | 'recently_emptied'
  | 'no_recent_data';

export interface Reliability {
  rating: 'good' | 'fair' | 'poor';
  reasons: ReliabilityReason[];
}

export interface CompartmentForecast {
  /** When it was made (the now passed in). */
  atMs: number;
  /** Last known level: the last reading plus the deposits since (0 after a collection). */
  level: number;
  /** Expected fill per hour now (this hour of the week), and on average over the history. */
  fillRatePerHour: number;
  meanFillRatePerHour: number;
  full: LevelForecast;
  /** Reaching 1.0: the compartment refuses deposits. */
  overflow: LevelForecast;
  reliability: Reliability;
}

/**
 * The level is crossed by a deposit, which carries it past on average by E[w²] / 2E[w] (renewal
 * theory): aiming at the level itself made forecasts ~3 h early in the backtest, aiming at the
 * level plus this about 1 h (docs/planning.md).
 */
export function meanOvershootKg(h: CompartmentHistory): number {
  return h.depositCount >= 5 && h.totalKg > 0 ? h.depositKgSquared / h.totalKg / 2 : 0;
}

/** Expected kg per hour in hour-of-week bucket b (see the header for the shrinkage). */
function bucketRateKg(h: CompartmentHistory, b: number, overallKgPerHour: number, profile: DistrictProfile): number {
  const hod = b % 24;
  const dayPrior = overallKgPerHour * profile.day[hod]!;
  const dayRate = (h.kgByHourOfDay[hod]! + PRIOR_HOURS_OF_DAY * dayPrior) / (h.hoursByHourOfDay[hod]! + PRIOR_HOURS_OF_DAY);
  const weekShape = profile.day[hod]! > 0 ? profile.week[b]! / profile.day[hod]! : 1;
  return (h.kgByHourOfWeek[b]! + PRIOR_HOURS_OF_WEEK * dayRate * weekShape) / (h.hoursByHourOfWeek[b]! + PRIOR_HOURS_OF_WEEK);
}

function overallRateKg(h: CompartmentHistory, priorKgPerHour: number | undefined): number {
  if (priorKgPerHour !== undefined) return (h.totalKg + PRIOR_HOURS_OVERALL * priorKgPerHour) / (h.watchedHours + PRIOR_HOURS_OVERALL);
  return h.watchedHours > 0 ? h.totalKg / h.watchedHours : 0;
}

/** The spread of the filling: φ (kg), relative rate error s, and the level's noise σ₀² (kg²). */
export function fillSpread(h: CompartmentHistory): { dispersionKg: number; rateError: number; levelVarianceKg2: number } {
  const depositKg = h.depositsSeen ? h.totalKg : 0;
  let dispersionKg = h.depositCount >= 5 && depositKg > 0 ? h.depositKgSquared / depositKg : DEFAULT_DISPERSION_KG;
  if (h.dailyKg.n >= 3 && h.dailyKg.mean > 0) dispersionKg = Math.max(dispersionKg, variance(h.dailyKg) / h.dailyKg.mean);
  const rateError = Math.sqrt(dispersionKg / Math.max(h.totalKg, dispersionKg));
  const noise = h.readingResidual.n >= 3 ? variance(h.readingResidual) + h.readingResidual.mean ** 2 : 0;
  return { dispersionKg, rateError, levelVarianceKg2: noise * h.capacityKg ** 2 };
}

/**
 * The expected kg m at which m + sign·z·sd(m) = missingKg, sd² = φm + (sm)² + σ₀²:
 * (m − R)² = z²(φm + s²m² + σ₀²). Early (sign +1) takes the smaller root, late the larger.
 */
export function kgQuantile(missingKg: number, sign: 1 | -1, z: number, spread: ReturnType<typeof fillSpread>): number {
  const { dispersionKg: phi, rateError: s, levelVarianceKg2: v0 } = spread;
  const a = 1 - z * z * s * s;
  const b = 2 * missingKg + z * z * phi;
  const c = missingKg * missingKg - z * z * v0;
  if (a <= 0) return sign > 0 ? Math.max(0, c / b) : Infinity; // the rate is too uncertain to bound it
  const root = Math.sqrt(Math.max(0, b * b - 4 * a * c));
  return sign > 0 ? Math.max(0, (b - root) / (2 * a)) : (b + root) / (2 * a);
}

/**
 * Walks the expected cumulative kg from fromMs hour bucket by hour bucket and returns the instant
 * each target (ascending order not required) is reached, null beyond untilMs.
 */
export function instantsOfKg(
  targetsKg: readonly number[],
  fromMs: number,
  untilMs: number,
  rateAt: (bucket: number) => number,
  utcOffsetMinutes: number,
): (number | null)[] {
  const result: (number | null)[] = targetsKg.map((kg) => (kg <= 0 ? fromMs : null));
  let pending = result.filter((r) => r === null).length;
  const offsetMs = utcOffsetMinutes * 60_000;
  let t = fromMs;
  let cum = 0;
  while (pending > 0 && t < untilMs) {
    const end = Math.min(untilMs, (Math.floor((t + offsetMs) / HOUR_MS) + 1) * HOUR_MS - offsetMs);
    const rate = rateAt(hourOfWeek(t, utcOffsetMinutes));
    const next = cum + (rate * (end - t)) / HOUR_MS;
    for (let i = 0; i < targetsKg.length; i++) {
      if (result[i] === null && targetsKg[i]! <= next) {
        result[i] = t + ((targetsKg[i]! - cum) / rate) * HOUR_MS;
        pending--;
      }
    }
    cum = next;
    t = end;
  }
  return result;
}

export function reliabilityOf(h: CompartmentHistory, nowMs: number, options: ForecastOptions = {}): Reliability {
  const { minHistoryDays = 3, goodHistoryDays = 7 } = options;
  const poor: ReliabilityReason[] = [];
  const fair: ReliabilityReason[] = [];
  const days = h.watchedHours / 24;
  if (h.totalKg <= 0 && options.priorKgPerHour === undefined) poor.push('no_history');
  else if (days < minHistoryDays) poor.push('short_history');
  else if (days < goodHistoryDays) fair.push('limited_history');
  if (h.readingResidual.n >= 3) {
    const sd = Math.sqrt(variance(h.readingResidual) + h.readingResidual.mean ** 2);
    if (sd > 0.1) poor.push('noisy_readings');
    else if (sd > 0.03) fair.push('noisy_readings');
  }
  if (h.dailyKg.n >= 3 && Math.sqrt(variance(h.dailyKg)) > 0.6 * h.dailyKg.mean) fair.push('irregular_use');
  // Just emptied: the whole fill cycle lies ahead, resting on the rate alone.
  if (h.lastCollectionMs !== null && nowMs - h.lastCollectionMs < 6 * HOUR_MS) fair.push('recently_emptied');
  const silentMs = h.watchedUntilMs === null ? Infinity : nowMs - h.watchedUntilMs;
  if (silentMs > 24 * HOUR_MS) poor.push('no_recent_data');
  else if (silentMs > 3 * HOUR_MS) fair.push('no_recent_data');
  const reasons = [...poor, ...fair.filter((r) => !poor.includes(r))];
  return { rating: poor.length > 0 ? 'poor' : fair.length > 0 ? 'fair' : 'good', reasons };
}

/**
 * The compartment's forecast at nowMs. The walk starts at its last message (what happened since
 * is expected fill), and no instant is earlier than nowMs.
 */
export function forecastCompartment(h: CompartmentHistory, nowMs: number, options: ForecastOptions = {}): CompartmentForecast {
  const { fullLevel = DEFAULT_FULL_LEVEL, profile = FLAT_PROFILE, horizonHours = 14 * 24 } = options;
  const overall = overallRateKg(h, options.priorKgPerHour);
  const rateAt = (b: number): number => bucketRateKg(h, b, overall, profile);
  const spread = fillSpread(h);
  const fromMs = Math.min(nowMs, h.watchedUntilMs ?? nowMs);
  const levels = [fullLevel, 1];
  const targets: number[] = [];
  for (const level of levels) {
    const missingKg = h.level >= level ? 0 : (level - h.level) * h.capacityKg + meanOvershootKg(h);
    if (missingKg <= 0) targets.push(0, 0, 0);
    else targets.push(kgQuantile(missingKg, 1, Z_80, spread), missingKg, kgQuantile(missingKg, -1, Z_80, spread));
  }
  const instants = overall > 0 || targets.every((t) => t <= 0)
    ? instantsOfKg(targets, fromMs, nowMs + horizonHours * HOUR_MS, rateAt, h.utcOffsetMinutes)
    : targets.map((t) => (t <= 0 ? fromMs : null));
  const notBeforeNow = (t: number | null): number | null => (t === null ? null : Math.max(nowMs, Math.round(t)));
  const levelForecast = (i: number): LevelForecast => ({
    level: levels[i]!,
    reached: h.level >= levels[i]!,
    earliestMs: notBeforeNow(instants[3 * i]!),
    atMs: notBeforeNow(instants[3 * i + 1]!),
    latestMs: notBeforeNow(instants[3 * i + 2]!),
  });
  return {
    atMs: nowMs,
    level: h.level,
    fillRatePerHour: rateAt(hourOfWeek(nowMs, h.utcOffsetMinutes)) / h.capacityKg,
    meanFillRatePerHour: overall / h.capacityKg,
    full: levelForecast(0),
    overflow: levelForecast(1),
    reliability: reliabilityOf(h, nowMs, options),
  };
}

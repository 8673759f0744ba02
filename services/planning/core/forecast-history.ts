/**
 * What the fill-level forecast remembers of one box compartment: its level, the kg residents put
 * in per hour of the week (and how many hours of each were watched), the spread of its deposits
 * and daily totals, and its recent readings for the naive baseline. Plain data, updated in place
 * by each reading, deposit and collection at O(1) cost (a few hour buckets at most), so the live
 * path can run it on every message. Pure: time comes in as epoch ms.
 */
import { HOUR_MS } from '../../../shared/units.ts';

export const HOURS_PER_WEEK = 168;

/**
 * Gaps between two messages longer than this are not counted as watched time: a box that said
 * nothing for hours may have been offline and its deposits lost (live boxes report every 10 min,
 * the demo history once an hour).
 */
export const MAX_WATCHED_GAP_MS = 3 * HOUR_MS;

/** Readings kept for the naive baseline (one a reading, the oldest dropped). */
export const BASELINE_READINGS = 48;

/** Running mean and variance (Welford): O(1) per value, no list kept. */
export interface RunningStats {
  n: number;
  mean: number;
  m2: number;
}

export const emptyStats = (): RunningStats => ({ n: 0, mean: 0, m2: 0 });

export function addValue(s: RunningStats, x: number): void {
  s.n++;
  const d = x - s.mean;
  s.mean += d / s.n;
  s.m2 += d * (x - s.mean);
}

export const variance = (s: RunningStats): number => (s.n > 1 ? s.m2 / (s.n - 1) : 0);

export interface CompartmentHistory {
  capacityKg: number;
  utcOffsetMinutes: number;
  /** Last known fillingLevel (0..1+): the last reading plus deposits since, 0 after a collection. */
  level: number;
  levelAtMs: number | null;
  /** Whether the level comes from a reading (false: never read, or emptied and not read since). */
  levelConfirmed: boolean;
  /** kg deposited per local hour of the week (0 = Monday 00:00–01:00) and hours watched in each. */
  kgByHourOfWeek: number[];
  hoursByHourOfWeek: number[];
  /** The same folded over the week's days (hour of day), kept alongside so a rate is O(1). */
  kgByHourOfDay: number[];
  hoursByHourOfDay: number[];
  totalKg: number;
  watchedHours: number;
  /** Watched time runs up to here; null before the first message. */
  watchedUntilMs: number | null;
  firstSeenMs: number | null;
  /** Deposit weights: the compound-Poisson spread of the filling (E[w²]/E[w] kg). */
  depositCount: number;
  depositKgSquared: number;
  /** Deposits seen at all: if none, the rate is learned from rising readings instead. */
  depositsSeen: boolean;
  /** kg of each complete, fully watched local day: how much one day differs from the next. */
  dailyKg: RunningStats;
  currentDay: number | null;
  currentDayKg: number;
  currentDayHours: number;
  /** Reading minus the level the deposits predicted: sensor noise or unreported deposits. */
  readingResidual: RunningStats;
  lastCollectionMs: number | null;
  /** Fill cycles so far (a collection starts a new one). */
  cycle: number;
  /** Recent readings of the current cycle, oldest first, for the linear-extrapolation baseline. */
  readings: { atMs: number; level: number }[];
}

export function newCompartmentHistory(capacityKg: number, utcOffsetMinutes: number): CompartmentHistory {
  if (!(capacityKg > 0)) throw new RangeError(`capacityKg must be positive, got ${capacityKg}`);
  return {
    capacityKg,
    utcOffsetMinutes,
    level: 0,
    levelAtMs: null,
    levelConfirmed: false,
    kgByHourOfWeek: new Array<number>(HOURS_PER_WEEK).fill(0),
    hoursByHourOfWeek: new Array<number>(HOURS_PER_WEEK).fill(0),
    kgByHourOfDay: new Array<number>(24).fill(0),
    hoursByHourOfDay: new Array<number>(24).fill(0),
    totalKg: 0,
    watchedHours: 0,
    watchedUntilMs: null,
    firstSeenMs: null,
    depositCount: 0,
    depositKgSquared: 0,
    depositsSeen: false,
    dailyKg: emptyStats(),
    currentDay: null,
    currentDayKg: 0,
    currentDayHours: 0,
    readingResidual: emptyStats(),
    lastCollectionMs: null,
    cycle: 0,
    readings: [],
  };
}

/** Local hour of the week, 0 = Monday 00:00 district time (1970-01-01 was a Thursday). */
export function hourOfWeek(epochMs: number, utcOffsetMinutes: number): number {
  const localHours = Math.floor((epochMs + utcOffsetMinutes * 60_000) / HOUR_MS);
  return (((localHours + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

const localDayNumber = (epochMs: number, utcOffsetMinutes: number): number =>
  Math.floor((epochMs + utcOffsetMinutes * 60_000) / (24 * HOUR_MS));

/** Start of the local hour after epochMs. */
function nextHourBoundary(epochMs: number, utcOffsetMinutes: number): number {
  const offsetMs = utcOffsetMinutes * 60_000;
  return (Math.floor((epochMs + offsetMs) / HOUR_MS) + 1) * HOUR_MS - offsetMs;
}

function addKg(h: CompartmentHistory, atMs: number, kg: number): void {
  const b = hourOfWeek(atMs, h.utcOffsetMinutes);
  h.kgByHourOfWeek[b]! += kg;
  h.kgByHourOfDay[b % 24]! += kg;
  h.totalKg += kg;
  h.currentDayKg += kg;
}

/** Closes the local day if atMs is in a later one: a fully watched day's kg join dailyKg. */
function rollDay(h: CompartmentHistory, atMs: number): void {
  const day = localDayNumber(atMs, h.utcOffsetMinutes);
  if (h.currentDay === day) return;
  if (h.currentDay !== null && h.currentDayHours >= 23.5) addValue(h.dailyKg, h.currentDayKg);
  h.currentDay = day;
  h.currentDayKg = 0;
  h.currentDayHours = 0;
}

/**
 * Counts the time since the last message as watched, hour bucket by hour bucket (at most
 * MAX_WATCHED_GAP_MS of it, so a few buckets); a longer silence, or time spent full, is skipped.
 */
function watchUntil(h: CompartmentHistory, atMs: number): void {
  h.firstSeenMs ??= atMs;
  const from = h.watchedUntilMs;
  // A full compartment refuses deposits: hours spent full say nothing about the fill rate.
  if (from === null || atMs - from > MAX_WATCHED_GAP_MS || h.level >= 1) {
    if (from === null || atMs > from) h.watchedUntilMs = atMs;
    rollDay(h, atMs);
    return;
  }
  let t = from;
  while (t < atMs) {
    rollDay(h, t);
    const end = Math.min(atMs, nextHourBoundary(t, h.utcOffsetMinutes));
    const hours = (end - t) / HOUR_MS;
    const b = hourOfWeek(t, h.utcOffsetMinutes);
    h.hoursByHourOfWeek[b]! += hours;
    h.hoursByHourOfDay[b % 24]! += hours;
    h.watchedHours += hours;
    h.currentDayHours += hours;
    t = end;
  }
  h.watchedUntilMs = atMs;
  rollDay(h, atMs);
}

/** A resident put kg into this compartment at atMs. */
export function observeDeposit(h: CompartmentHistory, atMs: number, kg: number): void {
  watchUntil(h, atMs);
  h.depositsSeen = true;
  h.depositCount++;
  h.depositKgSquared += kg * kg;
  addKg(h, atMs, kg);
  h.level += kg / h.capacityKg;
  h.levelAtMs = atMs;
}

/** The box reported this compartment's fillingLevel at atMs. */
export function observeReading(h: CompartmentHistory, atMs: number, fillingLevel: number): void {
  watchUntil(h, atMs);
  const previous = h.readings.at(-1);
  if (h.levelConfirmed && h.depositsSeen) addValue(h.readingResidual, fillingLevel - Math.min(1, h.level));
  // Without deposit events the rise between two readings of a cycle is what residents put in
  // (booked in the hour of the later reading: with readings an hour or less apart, close enough).
  if (!h.depositsSeen && previous !== undefined && fillingLevel > previous.level) {
    addKg(h, atMs, (fillingLevel - previous.level) * h.capacityKg);
  }
  h.level = fillingLevel;
  h.levelAtMs = atMs;
  h.levelConfirmed = true;
  h.readings.push({ atMs, level: fillingLevel });
  if (h.readings.length > BASELINE_READINGS) h.readings.shift();
}

/** Collectors emptied the compartment at atMs: a new fill cycle starts from 0. */
export function observeCollection(h: CompartmentHistory, atMs: number): void {
  watchUntil(h, atMs);
  h.level = 0;
  h.levelAtMs = atMs;
  h.levelConfirmed = false;
  h.lastCollectionMs = atMs;
  h.cycle++;
  h.readings = [];
}

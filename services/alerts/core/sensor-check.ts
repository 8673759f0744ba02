/**
 * The fill-sensor cross-check (issue 14): a box weighs every deposit, so the kg in a compartment
 * since it was last emptied says what its level sensor should read (kg / the category's kg at
 * full, fleet-learned in fill-density.ts). Pure; the time comes in with every call.
 *
 *   stuck   kg in or out worth sensorStuckFull of a full, and the level has not moved over
 *           STUCK_MIN_READINGS readings and STUCK_MIN_MS (a noisy sensor reporting every few
 *           minutes can repeat itself a few times by chance)
 *   jump    between two readings the level moves sensorJumpLevel more (or less) than the kg say
 *   drift   the level is off the kg's level by sensorDriftLevel, the same way, sensorDriftReadings
 *           readings running (a gain going off, slowly)
 *   (stuck) or the level repeats itself exactly for longer than this sensor's own noise makes
 *           believable: a sensor that jitters between readings at rest (its learned chance of an
 *           exact repeat) and now returns one value FLATLINE_CHANCE-unlikely many times is frozen,
 *           kg or no kg. A quiet sensor (one that repeats at rest) never qualifies
 *   camera  a camera sees an overflowing bin within sensorCameraRadiusM of a box whose
 *           compartments all read below sensorCameraLowLevel
 *
 * A suspicion is reported once (a later freeze turns any other suspicion into stuck); it ends after sensorAgreeReadings readings in a row within
 * sensorDriftLevel / 2 of the kg's level (a stuck sensor must also have moved; a camera's
 * suspicion stands at least CAMERA_HOLD_MS). A compartment under suspicion teaches the fleet
 * nothing. The kg in a compartment are known from its first collection seen (0), or from a first
 * reading whose level agrees with the weight the box reports (within sensorDriftLevel / 2): the
 * engine may start long after the last collection, and a sensor already wrong then is not taken
 * as the reference. Until then the compartment is not judged.
 */
import type { CompartmentReading, WasteCategory } from '../../../shared/contracts/index.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { FleetFillDensity } from './fill-density.ts';

export const SUSPICION_KINDS = ['stuck', 'jump', 'drift', 'camera'] as const;
export type SuspicionKind = (typeof SUSPICION_KINDS)[number];

export interface SensorCheckThresholds {
  sensorStuckFull: number;
  sensorJumpLevel: number;
  sensorDriftLevel: number;
  sensorDriftReadings: number;
  sensorAgreeReadings: number;
  sensorCameraRadiusM: number;
  sensorCameraLowLevel: number;
}

/** A level change smaller than this is the sensor's resolution, not a move. */
const LEVEL_STEP = 0.002;
/** Readings at one level before "it has not moved" is believed. */
export const STUCK_MIN_READINGS = 4;
export const STUCK_MIN_MS = HOUR_MS;
/** A run of exact repeats this unlikely for the sensor's own noise is a frozen sensor. */
export const FLATLINE_CHANCE = 1e-6;
/**
 * Only a sensor that seldom repeats itself at rest is judged by its flatlines: a quiet one repeats
 * all night, and a learned chance above this is more likely a quiet sensor seen through a fault.
 */
export const FLATLINE_MAX_CHANCE = 0.1;
/** Reading pairs at rest before a sensor's repeat chance is believed. */
export const FLATLINE_MIN_PAIRS = 12;
/** At or below, the sensor reads empty. */
const FLOOR = 0.01;
/** At or above, the sensor is capped at full: more kg cannot move it. */
const CAPPED = 0.98;
/** Below this expected level a drift is lost in the deposits' rounding. */
const DRIFT_MIN_EXPECTED = 0.1;
/** A camera's suspicion is not cleared by the box's own readings for this long. */
export const CAMERA_HOLD_MS = 6 * HOUR_MS;

export interface SuspicionEvidence {
  suspicion: SuspicionKind;
  kgSinceEmptied: number;
  expectedLevel: number;
  fillingLevel: number;
  /** Readings since the compartment was last emptied (or since the check began). */
  readings: number;
  kgAtFull: number;
}

export type SensorVerdict =
  | { op: 'suspect'; boxId: string; category: WasteCategory; at: number; evidence: SuspicionEvidence }
  | { op: 'agree'; boxId: string; category: WasteCategory; at: number; readings: number };

export interface BoxPlace {
  id: string;
  lat: number;
  lon: number;
}

interface Compartment {
  category: WasteCategory;
  kg: number | null;
  /** The registry's capacity: the kg at full until the fleet has learned the category. */
  capacityKg: number;
  lastLevel: number | null;
  lastKg: number;
  readings: number;
  /** The level when it last moved, and the kg moved in or out since, in kg. */
  restingLevel: number | null;
  kgSinceMoved: number;
  readingsSinceMoved: number;
  restingSince: number;
  drift: { run: number; sign: number };
  /** Pairs of readings at rest (no kg in or out) and how many of them repeated the level exactly. */
  restPairs: number;
  restRepeats: number;
  /** The sum of the squared level changes over those pairs: the sensor's own noise. */
  restSquares: number;
  /** Readings in a row at exactly one level, since when, and how many of them were at rest. */
  flat: { run: number; since: number; restRepeats: number };
  suspect: SuspicionKind | null;
  movedSinceSuspect: boolean;
  agreeRun: number;
  holdUntil: number;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** Metres between two nearby points (equirectangular: exact enough within a few hundred metres). */
export function metresApart(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

export class SensorCrossCheck {
  readonly density = new FleetFillDensity();
  private readonly compartments = new Map<string, Compartment>();
  private readonly boxes = new Map<string, BoxPlace & { categories: Set<WasteCategory> }>();

  deposit(boxId: string, category: WasteCategory, kg: number): void {
    const c = this.compartments.get(key(boxId, category));
    if (!c || c.kg === null) return;
    c.kg += kg;
    c.kgSinceMoved += kg;
  }

  /** The compartment was emptied (kg: what the collector weighed out). */
  collection(boxId: string, category: WasteCategory, kg: number): void {
    const c = this.compartments.get(key(boxId, category));
    if (!c) return;
    if (c.kg === null) {
      // The first collection seen: from here on the kg are known. No jump is judged across it.
      c.lastLevel = null;
      c.restingLevel = null;
    } else c.kgSinceMoved += Math.max(c.kg, kg);
    c.kg = 0;
    c.readings = 0;
  }

  reading(box: BoxPlace, capacityKg: number, r: CompartmentReading, at: number, t: SensorCheckThresholds): SensorVerdict | undefined {
    const c = this.compartment(box, r.category, capacityKg);
    const level = r.fillingLevel;
    const kgAtFull = this.density.kgAtFull(c.category, c.capacityKg, at);
    if (c.kg === null) {
      c.lastLevel = level; // for a camera's overflow check
      if (Math.abs(level - Math.min(1, r.weightKg / kgAtFull)) <= t.sensorDriftLevel / 2) {
        c.kg = c.lastKg = r.weightKg;
        c.restingLevel = level;
        c.restingSince = at;
      }
      return undefined;
    }
    const expected = Math.min(1, c.kg / kgAtFull);
    c.readings++;
    if (c.restingLevel === null || Math.abs(level - c.restingLevel) > LEVEL_STEP) {
      c.restingLevel = level;
      c.kgSinceMoved = 0;
      c.readingsSinceMoved = 0;
      c.restingSince = at;
      if (c.suspect) c.movedSinceSuspect = true;
    } else c.readingsSinceMoved++;
    // Full and reading full, more kg cannot move it; near empty a noisy sensor sits at its floor
    // (0) for a while: neither is a stuck sensor (one dead at 0 is found once the kg say more).
    if ((level >= CAPPED && expected >= CAPPED - t.sensorDriftLevel) || (level <= FLOOR && expected <= this.floorBand(c, t))) c.kgSinceMoved = 0;
    const evidence = (suspicion: SuspicionKind): SuspicionEvidence => ({
      suspicion,
      kgSinceEmptied: round(c.kg!, 2),
      expectedLevel: round(expected, 3),
      fillingLevel: level,
      readings: c.readings,
      kgAtFull: round(kgAtFull, 1),
    });
    const previousExpected = Math.min(1, c.lastKg / kgAtFull);
    const jumped = c.lastLevel !== null && Math.abs(level - c.lastLevel - (expected - previousExpected)) >= t.sensorJumpLevel;
    const drifting = this.drifts(c, level, expected, t);
    const flatlined = this.flatlines(c, level, expected, at, t);
    c.lastLevel = level;
    c.lastKg = c.kg;

    const unmoved = c.kgSinceMoved / kgAtFull >= t.sensorStuckFull && c.readingsSinceMoved >= STUCK_MIN_READINGS && at - c.restingSince >= STUCK_MIN_MS;
    const stuck = unmoved || flatlined;
    // A sensor under another suspicion that now freezes is called stuck (it needs a repair visit,
    // whatever came before); other kinds do not replace each other, or a jump's return would flap.
    if (c.suspect && !(stuck && c.suspect !== 'stuck')) return this.agreement(box.id, c, level, expected, at, t);
    const kind: SuspicionKind | undefined = stuck ? 'stuck' : jumped ? 'jump' : drifting ? 'drift' : undefined;
    if (kind === undefined) {
      this.density.observe(c.category, key(box.id, c.category), c.kg, level);
      return undefined;
    }
    this.suspect(box.id, c, kind);
    return { op: 'suspect', boxId: box.id, category: c.category, at, evidence: evidence(kind) };
  }

  /** A camera at `where` saw an overflowing bin. */
  overflowSeen(where: { lat: number; lon: number }, at: number, t: SensorCheckThresholds): SensorVerdict | undefined {
    let nearest: { box: BoxPlace & { categories: Set<WasteCategory> }; m: number } | undefined;
    for (const box of this.boxes.values()) {
      const m = metresApart(where, box);
      if (m <= t.sensorCameraRadiusM && (!nearest || m < nearest.m)) nearest = { box, m };
    }
    if (!nearest) return undefined;
    const compartments = [...nearest.box.categories].map((category) => this.compartments.get(key(nearest.box.id, category))!);
    if (compartments.some((c) => c.lastLevel === null || c.lastLevel >= t.sensorCameraLowLevel)) return undefined;
    // The one the kg say is fullest is the likeliest to be the overflowing one.
    const kgAtFull = (c: Compartment) => this.density.kgAtFull(c.category, c.capacityKg, at);
    const fill = (c: Compartment) => (c.kg ?? 0) / kgAtFull(c);
    const c = compartments.reduce((a, b) => (fill(b) > fill(a) ? b : a));
    c.holdUntil = at + CAMERA_HOLD_MS;
    if (c.suspect) return undefined;
    this.suspect(nearest.box.id, c, 'camera');
    const evidence: SuspicionEvidence = {
      suspicion: 'camera',
      kgSinceEmptied: round(c.kg ?? 0, 2),
      expectedLevel: round(Math.min(1, fill(c)), 3),
      fillingLevel: c.lastLevel!,
      readings: c.readings,
      kgAtFull: round(kgAtFull(c), 1),
    };
    return { op: 'suspect', boxId: nearest.box.id, category: c.category, at, evidence };
  }

  /**
   * Takes up a suspicion this check did not raise (an alert still open from before a restart), so
   * that agreeing readings can end it. No-op for a compartment not seen yet, or already suspect.
   */
  adopt(boxId: string, category: WasteCategory, kind: SuspicionKind): void {
    const c = this.compartments.get(key(boxId, category));
    if (c && !c.suspect) this.suspect(boxId, c, kind);
  }

  /** The open suspicion of a compartment, if any. */
  suspicion(boxId: string, category: WasteCategory): SuspicionKind | null {
    return this.compartments.get(key(boxId, category))?.suspect ?? null;
  }

  private drifts(c: Compartment, level: number, expected: number, t: SensorCheckThresholds): boolean {
    const capped = level >= CAPPED && expected >= CAPPED - t.sensorDriftLevel;
    if (expected < DRIFT_MIN_EXPECTED || capped) return c.drift.run >= t.sensorDriftReadings;
    const off = level - expected;
    const sign = Math.abs(off) >= t.sensorDriftLevel ? Math.sign(off) : 0;
    c.drift = sign !== 0 && sign === c.drift.sign ? { run: c.drift.run + 1, sign } : { run: sign === 0 ? 0 : 1, sign };
    return c.drift.run >= t.sensorDriftReadings;
  }

  /**
   * Learns how this sensor behaves at rest (no kg in or out: how often it repeats itself exactly,
   * how far it wobbles), and says whether the current run of exact repeats is longer than that
   * makes believable. At the floor or the cap a healthy noisy sensor is clamped, so readings
   * there neither teach nor count.
   */
  private flatlines(c: Compartment, level: number, expected: number, at: number, t: SensorCheckThresholds): boolean {
    const clamped = level <= FLOOR || (level >= CAPPED && expected >= CAPPED - t.sensorDriftLevel);
    const repeat = c.lastLevel !== null && level === c.lastLevel;
    const atRest = !clamped && c.lastLevel !== null && c.lastLevel > FLOOR && c.kg === c.lastKg && !c.suspect;
    if (clamped || !repeat) {
      // The run is over: its repeats at rest were the sensor's way, and teach its repeat chance.
      c.restPairs += c.flat.restRepeats;
      c.restRepeats += c.flat.restRepeats;
      c.flat = { run: 0, since: at, restRepeats: 0 };
      if (atRest) {
        c.restPairs++;
        c.restSquares += (level - c.lastLevel!) ** 2;
      }
      return false;
    }
    // A run still going is not learned from yet: a frozen sensor would teach that it repeats.
    c.flat.run++;
    if (atRest) c.flat.restRepeats++;
    if (c.restPairs < FLATLINE_MIN_PAIRS) return false;
    // The chance of one exact repeat at rest, with one repeat of prior either way (never 0 or 1).
    const chance = (c.restRepeats + 1) / (c.restPairs + 2);
    if (chance > FLATLINE_MAX_CHANCE) return false;
    const needed = Math.max(STUCK_MIN_READINGS, Math.ceil(Math.log(FLATLINE_CHANCE) / Math.log(chance)));
    return c.flat.run >= needed && at - c.flat.since >= STUCK_MIN_MS;
  }

  /**
   * Below this expected level a reading at the floor is no sign of a stuck sensor: a noisy one is
   * clamped at 0 there. Three of the sensor's own noise (learned at rest), and at least the offset
   * any sensor is allowed (sensorDriftLevel / 2, as for agreeing); sensorDriftLevel until the noise
   * is known.
   */
  private floorBand(c: Compartment, t: SensorCheckThresholds): number {
    if (c.restPairs < FLATLINE_MIN_PAIRS) return t.sensorDriftLevel;
    const noiseSd = Math.sqrt(c.restSquares / c.restPairs / 2);
    return Math.min(t.sensorDriftLevel, Math.max(t.sensorDriftLevel / 2, 3 * noiseSd));
  }

  private agreement(boxId: string, c: Compartment, level: number, expected: number, at: number, t: SensorCheckThresholds): SensorVerdict | undefined {
    const agrees = Math.abs(level - expected) <= t.sensorDriftLevel / 2 && (c.suspect !== 'stuck' || c.movedSinceSuspect) && at >= c.holdUntil;
    c.agreeRun = agrees ? c.agreeRun + 1 : 0;
    if (c.agreeRun < t.sensorAgreeReadings) return undefined;
    const readings = c.agreeRun;
    c.suspect = null;
    c.agreeRun = 0;
    c.drift = { run: 0, sign: 0 };
    c.kgSinceMoved = 0;
    return { op: 'agree', boxId, category: c.category, at, readings };
  }

  private suspect(boxId: string, c: Compartment, kind: SuspicionKind): void {
    c.suspect = kind;
    c.movedSinceSuspect = false;
    c.agreeRun = 0;
    this.density.forget(c.category, key(boxId, c.category));
  }

  private compartment(box: BoxPlace, category: WasteCategory, capacityKg: number): Compartment {
    let place = this.boxes.get(box.id);
    if (!place) this.boxes.set(box.id, (place = { id: box.id, lat: box.lat, lon: box.lon, categories: new Set() }));
    else Object.assign(place, { lat: box.lat, lon: box.lon });
    const k = key(box.id, category);
    let c = this.compartments.get(k);
    if (!c) {
      place.categories.add(category);
      c = {
        category,
        kg: null,
        capacityKg,
        lastLevel: null,
        lastKg: 0,
        readings: 0,
        restingLevel: null,
        kgSinceMoved: 0,
        readingsSinceMoved: 0,
        restingSince: 0,
        drift: { run: 0, sign: 0 },
        restPairs: 0,
        restRepeats: 0,
        restSquares: 0,
        flat: { run: 0, since: 0, restRepeats: 0 },
        suspect: null,
        movedSinceSuspect: false,
        agreeRun: 0,
        holdUntil: 0,
      };
      this.compartments.set(k, c);
    }
    c.capacityKg = capacityKg;
    return c;
  }
}

const key = (boxId: string, category: WasteCategory): string => `${boxId}/${category}`;

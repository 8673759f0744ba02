/**
 * The rollups of one store write, summed in memory so that each rollup row gets one upsert per
 * batch instead of one per record (issue 16: a journal batch of the district's traffic, 2,000
 * messages, holds ~5,150 compartment readings in ~2,300 hour rows and ~190 deposits in ~20
 * day rows). Pure.
 *
 * Only records stored for the first time are added (the store knows: its insert changed a row),
 * so a replayed batch adds nothing. Folding a batch's partial row into the stored one gives
 * exactly what folding its records one by one would:
 * - tonnage: integer milligrams and counts add up whatever the grouping;
 * - fill: the max of maxima; the last level is the one with the greatest ts, the row already
 *   stored (then the earliest record of the batch) winning a tie, as the one-by-one upsert does.
 */
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import { kgToMilligrams } from './tonnage.ts';

/** Deposits of one rollup row (day × subdistrict × category) first stored by this batch. */
export interface TonnageDelta {
  day: string;
  subdistrict: string;
  category: string;
  mg: number;
  deposits: number;
}

/** Compartment readings of one hour × device × category first stored by this batch. */
export interface FillHourDelta {
  deviceId: string;
  /** Hour start, epoch ms (UTC hour). */
  hour: number;
  category: string;
  maxLevel: number;
  lastLevel: number;
  lastTs: number;
}

export class TonnageBatch {
  private readonly rows = new Map<string, TonnageDelta>();
  /** Day strings by local day number: a batch spans few days, so each is formatted once. */
  private readonly days = new Map<number, string>();
  private readonly offsetMs: number;

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * 60_000;
  }

  add(ts: number, subdistrict: string, category: string, weightKg: number): void {
    const day = this.dayOf(ts);
    const key = `${day}|${subdistrict}|${category}`;
    const mg = kgToMilligrams(weightKg);
    const row = this.rows.get(key);
    if (row) {
      row.mg += mg;
      row.deposits += 1;
    } else {
      this.rows.set(key, { day, subdistrict, category, mg, deposits: 1 });
    }
  }

  deltas(): IterableIterator<TonnageDelta> {
    return this.rows.values();
  }

  /** The district-local day of ts, as shared/units.ts localDay computes it. */
  private dayOf(ts: number): string {
    const local = ts + this.offsetMs;
    const n = Math.floor(local / DAY_MS);
    let day = this.days.get(n);
    if (day === undefined) {
      day = new Date(n * DAY_MS).toISOString().slice(0, 10);
      this.days.set(n, day);
    }
    return day;
  }
}

export class FillHourlyBatch {
  private readonly rows = new Map<string, FillHourDelta>();

  add(deviceId: string, ts: number, category: string, level: number): void {
    const hour = Math.floor(ts / HOUR_MS) * HOUR_MS;
    const key = `${deviceId}|${hour}|${category}`;
    const row = this.rows.get(key);
    if (!row) {
      this.rows.set(key, { deviceId, hour, category, maxLevel: level, lastLevel: level, lastTs: ts });
      return;
    }
    if (level > row.maxLevel) row.maxLevel = level;
    if (ts > row.lastTs) {
      row.lastLevel = level;
      row.lastTs = ts;
    }
  }

  deltas(): IterableIterator<FillHourDelta> {
    return this.rows.values();
  }
}

/**
 * Scoring of the forecast backtest. The unit is a fill cycle (from one collection to the next)
 * at a horizon h: a cycle that reaches the threshold at T is scored with the last forecast issued
 * in that cycle at or before T − h; a cycle emptied before it reaches the threshold is censored
 * at h when a forecast was issued at least h before the collection (there was something to score,
 * but no truth). Censored cycles are counted, never scored.
 */
import type { LevelForecast } from '../../services/planning/core/forecast.ts';

export const HORIZONS_H = [6, 24, 72] as const;

/** One sampled forecast of a cycle: issued at, model and baseline instants for the threshold. */
export interface Issued {
  atMs: number;
  model: Pick<LevelForecast, 'atMs' | 'earliestMs' | 'latestMs'>;
  baseline: Pick<LevelForecast, 'atMs' | 'earliestMs' | 'latestMs'>;
  rating: 'good' | 'fair' | 'poor';
}

export interface MethodScore {
  /** Cycles scored; of them without a forecast within the horizon (no MAE, counted as misses). */
  n: number;
  missing: number;
  maeHours: number;
  /** Mean of forecast − actual: positive is late. */
  biasHours: number;
  /** Share of actual instants inside [earliest, latest] (missing forecasts count as outside). */
  coverage80: number;
  meanWidthHours: number;
}

export interface HorizonScore {
  horizonH: number;
  scored: number;
  censored: number;
  model: MethodScore;
  baseline: MethodScore;
  /** The model on forecasts rated 'good' only. */
  modelGood: MethodScore;
  /**
   * The other way round: every forecast of a cycle that reached the level whose own predicted
   * time to it was within ±25 % of the horizon (what a planner holding a "full in ~h" sees).
   */
  byForecastLead: { model: MethodScore; baseline: MethodScore };
}

interface Accumulator {
  n: number;
  missing: number;
  absErr: number;
  err: number;
  inside: number;
  width: number;
  widthN: number;
}

const empty = (): Accumulator => ({ n: 0, missing: 0, absErr: 0, err: 0, inside: 0, width: 0, widthN: 0 });

function add(acc: Accumulator, f: Issued['model'], actualMs: number): void {
  acc.n++;
  if (f.atMs === null) {
    acc.missing++;
    return;
  }
  const errH = (f.atMs - actualMs) / 3_600_000;
  acc.absErr += Math.abs(errH);
  acc.err += errH;
  if (f.earliestMs !== null && f.earliestMs <= actualMs && (f.latestMs === null || actualMs <= f.latestMs)) acc.inside++;
  if (f.earliestMs !== null && f.latestMs !== null) {
    acc.width += (f.latestMs - f.earliestMs) / 3_600_000;
    acc.widthN++;
  }
}

function result(acc: Accumulator): MethodScore {
  const withForecast = acc.n - acc.missing;
  const r = (x: number): number => Math.round(x * 100) / 100;
  return {
    n: acc.n,
    missing: acc.missing,
    maeHours: withForecast > 0 ? r(acc.absErr / withForecast) : NaN,
    biasHours: withForecast > 0 ? r(acc.err / withForecast) : NaN,
    coverage80: acc.n > 0 ? r(acc.inside / acc.n) : NaN,
    meanWidthHours: acc.widthN > 0 ? r(acc.width / acc.widthN) : NaN,
  };
}

function withinLead(f: Issued['model'], issuedMs: number, horizonH: number): boolean {
  if (f.atMs === null) return false;
  const leadH = (f.atMs - issuedMs) / 3_600_000;
  return leadH >= 0.75 * horizonH && leadH < 1.25 * horizonH;
}

/** Collects cycles as they end and turns them into scores per horizon. */
export class ForecastScorer {
  readonly #model = HORIZONS_H.map(empty);
  readonly #baseline = HORIZONS_H.map(empty);
  readonly #good = HORIZONS_H.map(empty);
  readonly #censored = HORIZONS_H.map(() => 0);
  readonly #leadModel = HORIZONS_H.map(empty);
  readonly #leadBaseline = HORIZONS_H.map(empty);

  /** The last forecast issued at or before limitMs (issued is in time order). */
  static #lastBefore(issued: readonly Issued[], limitMs: number): Issued | undefined {
    let found: Issued | undefined;
    for (const f of issued) {
      if (f.atMs > limitMs) break;
      found = f;
    }
    return found;
  }

  /** A cycle reached the threshold at actualMs. */
  reached(issued: readonly Issued[], actualMs: number): void {
    HORIZONS_H.forEach((h, i) => {
      const f = ForecastScorer.#lastBefore(issued, actualMs - h * 3_600_000);
      if (f === undefined) return;
      add(this.#model[i]!, f.model, actualMs);
      add(this.#baseline[i]!, f.baseline, actualMs);
      if (f.rating === 'good') add(this.#good[i]!, f.model, actualMs);
    });
    for (const f of issued) {
      if (f.atMs > actualMs) break;
      HORIZONS_H.forEach((h, i) => {
        if (withinLead(f.model, f.atMs, h)) add(this.#leadModel[i]!, f.model, actualMs);
        if (withinLead(f.baseline, f.atMs, h)) add(this.#leadBaseline[i]!, f.baseline, actualMs);
      });
    }
  }

  /** A cycle was emptied at collectedMs before reaching the threshold. */
  censored(issued: readonly Issued[], collectedMs: number): void {
    HORIZONS_H.forEach((h, i) => {
      if (issued.length > 0 && issued[0]!.atMs <= collectedMs - h * 3_600_000) this.#censored[i]!++;
    });
  }

  scores(): HorizonScore[] {
    return HORIZONS_H.map((horizonH, i) => ({
      horizonH,
      scored: this.#model[i]!.n,
      censored: this.#censored[i]!,
      model: result(this.#model[i]!),
      baseline: result(this.#baseline[i]!),
      modelGood: result(this.#good[i]!),
      byForecastLead: { model: result(this.#leadModel[i]!), baseline: result(this.#leadBaseline[i]!) },
    }));
  }
}

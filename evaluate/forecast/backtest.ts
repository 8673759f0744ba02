/**
 * Backtest of the fill-level forecast on the simulated district: the simulator's pure core
 * (as the demo history runs it: one reading per box per simulated hour, every deposit and
 * collection as it happens) feeds each compartment's forecaster in time order; every
 * sampleEveryHours the forecaster and the naive baseline forecast when the compartment reaches
 * the full level, and the simulation's own deposits say when it really did (score.ts).
 * In-process, no I/O: the caller prints and writes the result.
 */
import type { CompartmentReading, Device } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import { createFleetSimulation } from '../../simulators/core/fleet.ts';
import { HISTORY_REPORT_INTERVAL_MS } from '../../simulators/core/history.ts';
import { baselineForecast } from '../../services/planning/core/forecast-baseline.ts';
import {
  HOURS_PER_WEEK,
  newCompartmentHistory,
  observeCollection,
  observeDeposit,
  observeReading,
  type CompartmentHistory,
} from '../../services/planning/core/forecast-history.ts';
import { DEFAULT_FULL_LEVEL, FLAT_PROFILE, districtProfile, forecastCompartment, type DistrictProfile } from '../../services/planning/core/forecast.ts';
import { ForecastScorer, type HorizonScore, type Issued } from './score.ts';

export interface ForecastBacktestOptions {
  seed: string;
  devices: readonly Device[];
  /** Simulated start (a district midnight) and length. */
  startMs: number;
  days: number;
  /** Forecasts are sampled (and scored) only after this many days: the forecaster's warm-up. */
  warmupDays: number;
  sampleEveryHours: number;
  fullLevel?: number;
  /** The simulated collectors empty compartments at or above this level on their fixed rounds. */
  collectAt: number;
  utcOffsetMinutes?: number;
}

export interface ForecastBacktestResult {
  compartments: number;
  forecasts: number;
  /** Cycles that reached the full level, were emptied before it, or were still open at the end. */
  cycles: { reached: number; censored: number; open: number };
  deposits: number;
  refusedDeposits: number;
  collections: number;
  horizons: HorizonScore[];
}

interface Tracked {
  history: CompartmentHistory;
  /** The simulation's true kg, known from the box's first reading on. */
  truthKg: number | null;
  reached: boolean;
  issued: Issued[];
}

/** The simulator's hash of a resident id; the backtest never looks at residents. */
const NO_RESIDENT = '0'.repeat(64);

export function runForecastBacktest(options: ForecastBacktestOptions): ForecastBacktestResult {
  const { devices, startMs, days, warmupDays, sampleEveryHours, collectAt } = options;
  const fullLevel = options.fullLevel ?? DEFAULT_FULL_LEVEL;
  const offset = options.utcOffsetMinutes ?? 480;
  const boxes = devices.filter((d) => d.kind === 'box' && d.compartments.length > 0);
  const sim = createFleetSimulation({
    seed: options.seed,
    startMs,
    devices: boxes,
    hashResident: () => NO_RESIDENT,
    utcOffsetMinutes: offset,
    minReportIntervalMs: HISTORY_REPORT_INTERVAL_MS,
    tuning: { collectionThreshold: collectAt, faultRate: 1 },
  });
  const tracked = new Map<string, Tracked>();
  for (const box of boxes) {
    for (const spec of box.compartments) {
      tracked.set(`${box.id}/${spec.category}`, { history: newCompartmentHistory(spec.capacityKg, offset), truthKg: null, reached: false, issued: [] });
    }
  }
  const scorer = new ForecastScorer();
  const cycles = { reached: 0, censored: 0, open: 0 };
  let forecasts = 0;
  const get = (deviceId: string, category: string): Tracked => tracked.get(`${deviceId}/${category}`)!;

  const onReading = (deviceId: string, atMs: number, c: CompartmentReading): void => {
    const tr = get(deviceId, c.category);
    observeReading(tr.history, atMs, c.fillingLevel);
    if (tr.truthKg === null) {
      tr.truthKg = c.weightKg;
      tr.reached = c.weightKg >= fullLevel * tr.history.capacityKg;
    }
  };
  const onDeposit = (deviceId: string, atMs: number, category: string, kg: number, ts: string): void => {
    const tr = get(deviceId, category);
    observeDeposit(tr.history, atMs, kg);
    if (tr.truthKg === null) return;
    tr.truthKg += kg;
    if (!tr.reached && tr.truthKg >= fullLevel * tr.history.capacityKg) {
      tr.reached = true;
      cycles.reached++;
      scorer.reached(tr.issued, Date.parse(ts));
      tr.issued = [];
    }
  };
  const onCollection = (deviceId: string, atMs: number, category: string, ts: string): void => {
    const tr = get(deviceId, category);
    observeCollection(tr.history, atMs);
    if (tr.truthKg === null) return;
    if (!tr.reached) {
      cycles.censored++;
      scorer.censored(tr.issued, Date.parse(ts));
    }
    tr.truthKg = 0;
    tr.reached = false;
    tr.issued = [];
  };

  let profile: DistrictProfile = FLAT_PROFILE;
  const sampleFrom = startMs + warmupDays * DAY_MS;
  const endMs = startMs + days * DAY_MS;
  for (let t = startMs + HOUR_MS; t <= endMs; t += HOUR_MS) {
    for (const action of sim.advanceTo(t)) {
      if (action.type !== 'publish') continue;
      if (action.channel === 'telemetry') for (const c of action.payload.compartments) onReading(action.deviceId, action.atMs, c);
      else if (action.channel === 'event/deposit') onDeposit(action.deviceId, action.atMs, action.payload.category, action.payload.weightKg, action.payload.ts);
      else if (action.channel === 'event/collection') for (const c of action.payload.compartments) onCollection(action.deviceId, action.atMs, c.category, action.payload.ts);
    }
    if ((t - startMs) % DAY_MS === 0) profile = pooledProfile(tracked.values());
    if (t < sampleFrom || ((t - sampleFrom) / HOUR_MS) % sampleEveryHours !== 0) continue;
    for (const tr of tracked.values()) {
      if (tr.truthKg === null || tr.reached) continue;
      const f = forecastCompartment(tr.history, t, { fullLevel, profile });
      tr.issued.push({ atMs: t, model: f.full, baseline: baselineForecast(tr.history, t, fullLevel), rating: f.reliability.rating });
      forecasts++;
    }
  }
  for (const tr of tracked.values()) if (tr.truthKg !== null && !tr.reached) cycles.open++;
  return {
    compartments: tracked.size,
    forecasts,
    cycles,
    deposits: sim.stats.deposits,
    refusedDeposits: sim.stats.refusedDeposits,
    collections: sim.stats.collections,
    horizons: scorer.scores(),
  };
}

/** The district's hour-of-week profile from every compartment's own history so far. */
function pooledProfile(all: Iterable<Tracked>): DistrictProfile {
  const kg = new Array<number>(HOURS_PER_WEEK).fill(0);
  const hours = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const { history } of all) {
    for (let b = 0; b < HOURS_PER_WEEK; b++) {
      kg[b]! += history.kgByHourOfWeek[b]!;
      hours[b]! += history.hoursByHourOfWeek[b]!;
    }
  }
  return districtProfile(kg, hours);
}

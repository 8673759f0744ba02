/**
 * Plans against fixed rounds on the simulated district (issue 13, item 4). The simulator's pure
 * core runs in-process, one reading per box per simulated hour as the demo history writes them,
 * every deposit and collection as it happens:
 * - fixed: the district's rounds (twice a day, compartments at or above 0.7 emptied);
 * - plan: the rounds stop after the warm-up; before each shift the forecasts are made from the
 *   histories the simulation's own messages fed (histories.ts), the planner plans the shift with
 *   the demo vehicles and stations, and each planned stop is served at its ETA (sim.collect).
 * Both run the same warm-up of fixed rounds (the forecaster learns from it; the residents'
 * deposits are the same either way) and are measured from its end. Pure: no I/O, no clock.
 */
import type { Device, TransferStation, Vehicle } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay, localHourOfDay } from '../../shared/units.ts';
import { haversineDistance, type DistanceModel } from '../../services/planning/core/distance.ts';
import { planShift } from '../../services/planning/core/plan.ts';
import { districtInstant, shiftPlanInput } from '../../services/planning/core/plan-request.ts';
import { type ScheduledShift, type ShiftTemplate, upcomingShifts } from '../../services/planning/core/shift-calendar.ts';
import { ROUND_WINDOWS } from '../../simulators/core/collection.ts';
import { DEFAULT_TUNING, fullCompartmentMsAt, type CoreStats, type SimAction } from '../../simulators/core/context.ts';
import { createFleetSimulation } from '../../simulators/core/fleet.ts';
import { HISTORY_REPORT_INTERVAL_MS } from '../../simulators/core/history.ts';
import { fixedRounds } from './fixed-rounds.ts';
import { DistrictHistories } from './histories.ts';

export type Policy = 'fixed' | 'plan';

/** A daily shift in district wall-clock time, e.g. 06:00–14:00 (PLAN_SHIFTS' type). */
export type DailyShift = ShiftTemplate;

export interface PlanningRunOptions {
  seed: string;
  /** The district's boxes (those without compartments are left out) and its sites. */
  devices: readonly Device[];
  stations: readonly TransferStation[];
  vehicles: readonly Vehicle[];
  /** A district midnight: the warm-up starts here, the measurement warmupDays later. */
  startMs: number;
  days: number;
  warmupDays: number;
  /** Shifts planned every day, in time order within the day. */
  shifts: readonly DailyShift[];
  serviceMinutes: number;
  skipBelow: number;
  /** The level the forecasts aim at (the bin_full warning). */
  fullLevel: number;
  /**
   * A box is due if a compartment may reach the full level before the next shift's start (the
   * earliest a skipped box is visited again) or its end (the latest).
   */
  dueBy: 'start' | 'end';
  utcOffsetMinutes?: number;
  distance?: DistanceModel;
}

export interface PolicyResult {
  policy: Policy;
  days: number;
  /** Compartment-hours at or above capacity (refusing deposits), over the measured days. */
  overflowCompartmentHours: number;
  /** The same by measured day (district midnight to midnight). */
  overflowHoursByDay: number[];
  deposits: number;
  /** Deposits refused because the compartment was full; all refusals (full or box overheating). */
  refusedFull: number;
  refusedDeposits: number;
  /** Box visits that emptied something, and all visits (a round passes every box). */
  stops: number;
  visits: number;
  km: number;
  /** Fixed only: the km had each round been driven in a 2-opt order (same boxes, same depot). */
  reorderedRoundsKm: number | null;
  collectedKg: number;
  kgPerStop: number;
  /** Vehicle-shifts that drove, load carried / capacity and time used / shift, their means. */
  vehicleShifts: number;
  meanLoadShare: number;
  maxLoadShare: number;
  /** Vehicle-shifts that came back with more than the vehicle's capacity (plans expect kg at the shift's start). */
  overloadedVehicleShifts: number;
  meanTimeShare: number;
  /** Plans only: ms per planShift call, due boxes no vehicle could take. */
  planMs: { mean: number; max: number } | null;
  unassigned: number;
  /** Plans only: the kg the plans expected to collect (their routes' loads), against collectedKg. */
  plannedKg: number;
}

interface Tally {
  kg: number;
  stops: number;
  capacityKg: number;
  /** Minutes of the shift or round window, and minutes used (known up front for plans). */
  windowMinutes: number;
  usedMinutes: number;
}

const collectedKgOf = (a: Extract<SimAction, { type: 'publish' }>): number =>
  a.channel === 'event/collection' ? a.payload.compartments.reduce((kg, c) => kg + c.weightKg, 0) : 0;

export function runPolicy(policy: Policy, options: PlanningRunOptions): PolicyResult {
  const offset = options.utcOffsetMinutes ?? 480;
  const distance = options.distance ?? haversineDistance();
  const boxes = options.devices.filter((d) => d.kind === 'box' && d.compartments.length > 0);
  const sim = createFleetSimulation({
    seed: options.seed,
    startMs: options.startMs,
    devices: boxes,
    hashResident: () => '0'.repeat(64),
    utcOffsetMinutes: offset,
    minReportIntervalMs: HISTORY_REPORT_INTERVAL_MS,
    collectionPolicy: 'fixed',
  });
  const histories = policy === 'plan' ? new DistrictHistories(boxes, offset) : null;
  const measureFrom = options.startMs + options.warmupDays * DAY_MS;
  const endMs = measureFrom + options.days * DAY_MS;
  /** Today's round vehicles are taken to be the demo fleet's (their load is compared with the same capacity). */
  const roundCapacityKg = Math.max(...options.vehicles.map((v) => v.capacityKg));
  const tallies = new Map<string, Tally>();
  const planMs: number[] = [];
  let km = 0;
  let reorderedKm = 0;
  let visits = 0;
  let unassigned = 0;
  let plannedKg = 0;
  let atStart: CoreStats | null = null;
  const overflowHoursByDay: number[] = [];
  let overflowMsBefore = 0;

  // Fixed rounds: every round is driven in both windows every day, whatever it empties.
  const rounds = policy === 'fixed' ? fixedRounds(boxes, options.seed, DEFAULT_TUNING.boxesPerRoute, options.stations, distance) : [];
  const roundOf = new Map(rounds.flatMap((r) => r.boxIds.map((id) => [id, r] as const)));
  const windowMinutes = (ROUND_WINDOWS[0]![1] - ROUND_WINDOWS[0]![0]) * 60;
  const roundKey = (collectorId: string, atMs: number) => {
    const hour = localHourOfDay(atMs, offset);
    const window = ROUND_WINDOWS.findIndex(([, to]) => hour < to + 1);
    return `${collectorId}/${localDay(atMs, offset)}/${window}`;
  };
  if (policy === 'fixed') {
    for (let day = measureFrom; day < endMs; day += DAY_MS) {
      for (const r of rounds) {
        for (let w = 0; w < ROUND_WINDOWS.length; w++) {
          const at = day + (ROUND_WINDOWS[w]![0] + 1) * HOUR_MS;
          tallies.set(roundKey(r.collectorId, at), { kg: 0, stops: 0, capacityKg: roundCapacityKg, windowMinutes, usedMinutes: r.driveMinutes });
          km += r.km;
          reorderedKm += r.reorderedKm;
          visits += r.boxIds.length;
        }
      }
    }
  }

  /** Shifts planned so far (start, key): a collection belongs to the last one started before it. */
  const planned: { startMs: number; key: string }[] = [];
  const shiftKeyAt = (atMs: number): string | undefined => {
    for (let k = planned.length - 1; k >= 0; k--) if (planned[k]!.startMs <= atMs) return planned[k]!.key;
    return undefined;
  };
  const onCollection = (a: Extract<SimAction, { type: 'publish' }>) => {
    if (a.channel !== 'event/collection') return;
    const atMs = Date.parse(a.payload.ts);
    if (atMs < measureFrom) return;
    const key = policy === 'fixed' ? roundKey(roundOf.get(a.deviceId)!.collectorId, atMs) : `${a.payload.vehicleId}/${shiftKeyAt(atMs)}`;
    const t = tallies.get(key);
    if (t === undefined) throw new Error(`collection outside any round or shift: ${key}`);
    t.kg += collectedKgOf(a);
    t.stops++;
    if (policy === 'fixed') t.usedMinutes += options.serviceMinutes;
  };

  const plan = (shiftStartMs: number, shift: DailyShift, next: ScheduledShift) => {
    const date = localDay(shiftStartMs, offset);
    const input = shiftPlanInput(
      { date, shift, serviceMinutes: options.serviceMinutes, skipBelow: options.skipBelow },
      { boxes: histories!.forecasts(shiftStartMs, options.fullLevel), vehicles: options.vehicles, stations: options.stations, utcOffsetMinutes: offset, nowMs: shiftStartMs },
    );
    const t0 = performance.now();
    const nextVisitAtMs = options.dueBy === 'end' ? next.endMs : next.startMs;
    const result = planShift({ ...input, nextVisitAtMs, distance });
    planMs.push(performance.now() - t0);
    const shiftKey = `${date}/${shift.start}`;
    planned.push({ startMs: shiftStartMs, key: shiftKey });
    unassigned += result.unassigned.length;
    for (const route of result.routes) {
      if (route.stops.length === 0) continue;
      km += route.km;
      plannedKg += route.loadKg;
      visits += route.stops.length;
      tallies.set(`${route.vehicleId}/${shiftKey}`, {
        kg: 0,
        stops: 0,
        capacityKg: route.capacityKg,
        windowMinutes: (input.shift.endMs - input.shift.startMs) / 60_000,
        usedMinutes: route.durationMinutes,
      });
      for (const stop of route.stops) sim.collect(stop.boxId, stop.etaMs, { collectorId: `crew-${route.vehicleId}`, vehicleId: route.vehicleId });
    }
  };

  const shiftStarts = (dayMs: number) => options.shifts.map((s) => districtInstant(localDay(dayMs, offset), s.start, offset));
  for (let t = options.startMs; t < endMs; t += HOUR_MS) {
    if (t > measureFrom && (t - measureFrom) % DAY_MS === 0) {
      const ms = fullCompartmentMsAt(sim.stats, t);
      overflowHoursByDay.push((ms - overflowMsBefore) / HOUR_MS);
      overflowMsBefore = ms;
    }
    if (t === measureFrom) {
      overflowMsBefore = fullCompartmentMsAt(sim.stats, t);
      atStart = { ...sim.stats };
      if (policy === 'plan') sim.setCollectionPolicy('plan');
    }
    if (policy === 'plan' && t >= measureFrom) {
      const today = shiftStarts(t);
      const k = today.indexOf(t);
      if (k >= 0) {
        plan(t, options.shifts[k]!, upcomingShifts(options.shifts, t, offset, 0)[0]!);
      }
    }
    for (const a of sim.advanceTo(t + HOUR_MS)) {
      histories?.observe(a);
      if (a.type === 'publish') onCollection(a);
    }
  }
  const start = atStart ?? { ...sim.stats };
  overflowHoursByDay.push((fullCompartmentMsAt(sim.stats, endMs) - overflowMsBefore) / HOUR_MS);
  const stats = sim.stats;
  const used = [...tallies.values()];
  const loadShares = used.map((t) => t.kg / t.capacityKg);
  const collectedKg = stats.collectedKg - start.collectedKg;
  const stops = stats.collections - start.collections;
  return {
    policy,
    days: options.days,
    overflowCompartmentHours: (fullCompartmentMsAt(stats, endMs) - fullCompartmentMsAt(start, measureFrom)) / HOUR_MS,
    overflowHoursByDay,
    deposits: stats.deposits - start.deposits,
    refusedFull: stats.refusedFull - start.refusedFull,
    refusedDeposits: stats.refusedDeposits - start.refusedDeposits,
    stops,
    visits,
    km,
    reorderedRoundsKm: policy === 'fixed' ? reorderedKm : null,
    collectedKg,
    kgPerStop: stops > 0 ? collectedKg / stops : 0,
    vehicleShifts: used.length,
    meanLoadShare: mean(loadShares),
    maxLoadShare: Math.max(0, ...loadShares),
    overloadedVehicleShifts: loadShares.filter((s) => s > 1).length,
    meanTimeShare: mean(used.map((t) => t.usedMinutes / t.windowMinutes)),
    planMs: planMs.length > 0 ? { mean: mean(planMs), max: Math.max(...planMs) } : null,
    unassigned,
    plannedKg,
  };
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

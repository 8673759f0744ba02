/**
 * One smart recyclable-collection box: residents deposit through the day, collectors empty it
 * on their rounds, it reports telemetry, and now and then something goes wrong.
 */
import type { BoxTelemetry, Device, FaultEvent, FaultType } from '../../shared/contracts/index.ts';
import { forkRandom, normal, pickWeighted, uniform } from '../../shared/random.ts';
import { DAY_MS, toLocalIso } from '../../shared/units.ts';
import { type RouteStop, nextPlannedVisit, visitJitterMs } from './collection.ts';
import { type Compartment, accepts, compartmentFrom, loadRatio, reading } from './compartments.ts';
import type { CollectedBy, SimContext } from './context.ts';
import { depositMix, depositPoints, depositWeightKg, pickResident } from './deposits.ts';
import { FAULT_MINUTES, faultDurationMs, poissonProcess } from './faults.ts';
import { startSensorFaults } from './sensor-faults.ts';
import { clamp, eventId, round } from './messages.ts';
import { DEPOSIT_PROFILE, ambientTemperatureC, hourlyRates, nextArrival, sunlight } from './profiles.ts';
import { BOOT_REPORT_WITHIN_MS, ThrottledReporter } from './reporter.ts';

type PowerSource = BoxTelemetry['power']['source'];
type Network = NonNullable<BoxTelemetry['signal']['network']>;

/** Boxes are not all equally used: log-normal popularity with mean 1. */
const POPULARITY_SIGMA = 0.35;

/** Highest starting fillingLevel: about one box in ten starts with a compartment at 0.9 or more. */
const INITIAL_FILL_MAX = 0.92;

export function startBox(ctx: SimContext, device: Device, stop: RouteStop): void {
  const { scheduler, tuning, utcOffsetMinutes: offset } = ctx;
  const id = device.id;
  const t0 = scheduler.nowMs;
  // Separate streams per concern, so e.g. throttled telemetry never shifts the deposits.
  const setup = forkRandom(ctx.seed, `${id}/setup`);
  const rDeposit = forkRandom(ctx.seed, `${id}/deposits`);
  const rSensor = forkRandom(ctx.seed, `${id}/sensors`);
  const rRound = forkRandom(ctx.seed, `${id}/collection`);

  const popularity = Math.exp(normal(setup, 0, POPULARITY_SIGMA) - POPULARITY_SIGMA ** 2 / 2);
  const power = pickWeighted<PowerSource>(setup, [['mains', 0.7], ['solar', 0.2], ['battery', 0.1]]);
  const battery0 = uniform(setup, 55, 100);
  const network = pickWeighted<Network>(setup, [['4g', 0.6], ['nbiot', 0.35], ['wifi', 0.05]]);
  const rssiMean = normal(setup, network === 'nbiot' ? -95 : -75, 8);
  /** The enclosure runs warmer than the air: electronics, sun on the panels. */
  const warmth = normal(setup, 1.5, 1);
  // A box starts part-full, spread like a fleet in steady state (rounds empty compartments from
  // 0.7, some pass 0.9 before the next round), so operators have boxes to empty from the start.
  const compartments = device.compartments.map((spec) =>
    compartmentFrom(spec, round(uniform(setup, 0, INITIAL_FILL_MAX) * spec.capacityKg, 2)),
  );
  const sensors = startSensorFaults(ctx, id, compartments);
  const mix = depositMix(compartments.map((c) => c.category));
  const residents = ctx.residentPool(device);
  const rates = hourlyRates(DEPOSIT_PROFILE, tuning.depositsPerBoxPerDay * popularity * tuning.depositRate);

  let lid: 'open' | 'closed' = 'closed';
  let overheatC: number | null = null;
  let faultActive = false;
  const seq = { deposit: 0, collection: 0, fault: 0 };

  const batteryPercent = (t: number): number => {
    const days = (t - t0) / DAY_MS;
    // Battery boxes drain steadily; solar ones drain slower and top up in daylight.
    const level = power === 'battery' ? battery0 - 0.8 * days : battery0 - 0.3 * days + 8 * sunlight(t, offset);
    return round(clamp(level, 3, 100), 1);
  };

  const telemetry = (t: number): BoxTelemetry => ({
    ts: toLocalIso(t, offset),
    compartments: compartments.map((c) => sensors(c, t)),
    temperatureC: round((overheatC ?? ambientTemperatureC(t, offset) + warmth) + normal(rSensor, 0, 0.3), 1),
    power: power === 'mains' ? { source: power } : { source: power, batteryPercent: batteryPercent(t) },
    lid,
    status: overheatC !== null ? 'burning' : lid === 'open' ? 'lidOpen' : 'ok',
    signal: { rssiDbm: Math.round(clamp(normal(rSensor, rssiMean, 3), -140, 0)), network },
  });
  const reporter = new ThrottledReporter(scheduler, () => ctx.minReportIntervalMs(), (t) =>
    ctx.emit(id, 'telemetry', telemetry(t)),
  );
  ctx.addReporter(reporter);

  const onDeposit = (t: number): void => {
    scheduler.at(nextArrival(t, rates, rDeposit, offset), onDeposit);
    // Draw everything first, so a refusal does not shift the rest of the stream.
    const category = pickWeighted(rDeposit, mix);
    const weightKg = depositWeightKg(rDeposit, category);
    const resident = pickResident(rDeposit, residents);
    const compartment = compartments.find((c) => c.category === category)!;
    if (overheatC !== null || !accepts(compartment)) {
      ctx.stats.refusedDeposits++;
      if (!accepts(compartment)) ctx.stats.refusedFull++;
      return;
    }
    compartment.weightKg = round(compartment.weightKg + weightKg, 2);
    if (!accepts(compartment)) {
      compartment.fullSinceMs = t;
      ctx.stats.compartmentsFull++;
      ctx.stats.fullSinceSumMs += t;
    }
    ctx.stats.deposits++;
    ctx.stats.depositedKg += weightKg;
    ctx.emit(id, 'event/deposit', {
      ts: toLocalIso(t, offset),
      eventId: eventId(id, 'd', t, ++seq.deposit, offset),
      category,
      weightKg,
      residentHash: ctx.hashResident(`${id}/resident-${resident}`),
      points: depositPoints(category, weightKg),
    });
    reporter.request(t);
  };

  const scheduleVisit = (afterPlannedMs: number): void => {
    const planned = nextPlannedVisit(stop, afterPlannedMs, offset);
    scheduler.at(planned + visitJitterMs(rRound), (t) => onVisit(t, planned));
  };
  /** Empties the given compartments and reports the collection. */
  const empty = (t: number, due: readonly Compartment[], by: CollectedBy): void => {
    const emptied = due.map((c) => ({ category: c.category, weightKg: round(c.weightKg, 2) }));
    for (const c of due) {
      c.weightKg = 0;
      if (c.fullSinceMs === null) continue;
      ctx.stats.fullCompartmentMs += t - c.fullSinceMs;
      ctx.stats.compartmentsFull--;
      ctx.stats.fullSinceSumMs -= c.fullSinceMs;
      c.fullSinceMs = null;
    }
    ctx.stats.collections++;
    ctx.stats.collectedKg += emptied.reduce((sum, c) => sum + c.weightKg, 0);
    ctx.emit(id, 'event/collection', {
      ts: toLocalIso(t, offset),
      eventId: eventId(id, 'c', t, ++seq.collection, offset),
      collectorId: by.collectorId,
      vehicleId: by.vehicleId,
      compartments: emptied,
    });
    reporter.request(t);
  };
  const onVisit = (t: number, planned: number): void => {
    scheduleVisit(planned);
    // Under plans the rounds keep their rhythm (and random stream) but nobody drives them.
    if (ctx.collectionPolicy() !== 'fixed') return;
    if (overheatC !== null) return; // nobody opens a box that is overheating
    const due = compartments.filter((c) => loadRatio(c) >= tuning.collectionThreshold);
    if (due.length > 0) empty(t, due, stop);
  };
  // A planned stop empties whatever the box holds: the vehicle is there anyway.
  ctx.addCollectionPoint(id, (t, by) => {
    if (overheatC !== null) return;
    const due = compartments.filter((c) => c.weightKg > 0);
    if (due.length > 0) empty(t, due, by);
  });

  const fault = (t: number, type: FaultType, active: boolean, detail: string): void => {
    if (active) ctx.stats.faultsRaised++;
    const payload: FaultEvent = { ts: toLocalIso(t, offset), eventId: eventId(id, 'f', t, ++seq.fault, offset), fault: type, active, detail };
    ctx.emit(id, 'event/fault', payload);
  };
  /** Runs a fault for its duration unless another is already going on (one thing at a time). */
  const episode = (label: string, perDay: number, minutes: readonly [number, number], begin: (t: number) => void, end: (t: number) => void): void => {
    const r = forkRandom(ctx.seed, `${id}/fault/${label}`);
    poissonProcess(scheduler, r, perDay * tuning.faultRate, (t) => {
      if (faultActive) return;
      faultActive = true;
      begin(t);
      scheduler.at(t + faultDurationMs(r, minutes), (tEnd) => {
        end(tEnd);
        faultActive = false;
      });
    });
  };

  episode('signal', tuning.faults.boxSignalLoss, FAULT_MINUTES.darkPeriod, () => ctx.goDark(id), (t) => {
    ctx.comeBack(id);
    reporter.reset();
    reporter.request(t);
  });
  episode('lid', tuning.faults.lidStuck, FAULT_MINUTES.lidStuck, (t) => {
    lid = 'open';
    fault(t, 'lid_stuck', true, 'deposit lid did not close');
    reporter.request(t);
  }, (t) => {
    lid = 'closed';
    fault(t, 'lid_stuck', false, 'lid closed');
    reporter.request(t);
  });
  const rHeat = forkRandom(ctx.seed, `${id}/fault/heat-level`);
  episode('overheat', tuning.faults.overheat, FAULT_MINUTES.overheat, (t) => {
    overheatC = round(uniform(rHeat, 65, 110), 1);
    fault(t, 'overheat', true, `enclosure at ${overheatC} °C, box locked`);
    reporter.request(t);
  }, (t) => {
    overheatC = null;
    fault(t, 'overheat', false, 'temperature back to normal');
    reporter.request(t);
  });

  scheduler.at(nextArrival(t0, rates, rDeposit, offset), onDeposit);
  scheduleVisit(t0);
  // A box reports once soon after it boots (operators see its fill level at once), then
  // periodically, each at its own phase so the fleet does not report in lockstep.
  const tick = (t: number): void => {
    scheduler.at(t + tuning.telemetryIntervalMs, tick);
    reporter.request(t);
  };
  scheduler.at(t0 + Math.floor(uniform(setup, 0, Math.min(BOOT_REPORT_WITHIN_MS, tuning.telemetryIntervalMs))), tick);
}

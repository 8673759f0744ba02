/**
 * One street camera point (智慧探头): heartbeats, city-appearance cases (start, updates, end),
 * and the odd power cut that drops its connection.
 */
import { DETECTION_TYPES, type CameraDetection, type Device, type DetectionType } from '../../shared/contracts/index.ts';
import { exponential, forkRandom, intBetween, uniform, type Random } from '../../shared/random.ts';
import { DAY_MS, toLocalIso } from '../../shared/units.ts';
import type { SimContext } from './context.ts';
import { CAMERA_ZONES, DETECTION_MODELS, UPDATE_MEAN_MS, detectionsPerDay } from './detections.ts';
import { FAULT_MINUTES, faultDurationMs, poissonProcess } from './faults.ts';
import { clamp, eventId, localSeconds, round } from './messages.ts';
import { hourlyRates, nextArrival } from './profiles.ts';
import { BOOT_REPORT_WITHIN_MS, ThrottledReporter } from './reporter.ts';

export function startCamera(ctx: SimContext, device: Device, hotspot: boolean): void {
  const { scheduler, tuning, utcOffsetMinutes: offset } = ctx;
  const id = device.id;
  const t0 = scheduler.nowMs;
  const setup = forkRandom(ctx.seed, `${id}/setup`);
  const rSensor = forkRandom(ctx.seed, `${id}/sensors`);
  /** When the camera last booted: it has been running for days when the simulation starts. */
  let bootAt = t0 - Math.round(uniform(setup, 1, 30) * DAY_MS);
  /** Set while the power is off: when it comes back. */
  let darkUntil: number | null = null;
  let caseSeq = 0;

  const reporter = new ThrottledReporter(scheduler, () => ctx.minReportIntervalMs(), (t) =>
    ctx.emit(id, 'heartbeat', {
      ts: toLocalIso(t, offset),
      streamOk: true,
      // Encoders hold 25 fps; now and then a busy scene or the network costs a few frames.
      frameRate: rSensor.next() < 0.92 ? 25 : round(uniform(rSensor, 18, 24.9), 1),
      uptimeS: Math.max(0, Math.floor((t - bootAt) / 1000)),
    }),
  );
  ctx.addReporter(reporter);

  const startCase = (t: number, type: DetectionType, r: Random): void => {
    ctx.stats.detectionCases++;
    const caseId = eventId(id, 'x', t, ++caseSeq, offset);
    const zone = `zone-${intBetween(r, 1, CAMERA_ZONES)}`;
    let confidence = round(uniform(r, 0.6, 0.99), 2);
    const endAt = t + faultDurationMs(r, DETECTION_MODELS[type].minutes);
    const send = (at: number, phase: CameraDetection['phase']): void =>
      ctx.emit(id, 'detection', {
        ts: toLocalIso(at, offset),
        eventId: caseId,
        phase,
        type,
        confidence,
        zone,
        snapshotRef: `snap://${id}/${localSeconds(at, offset)}/${caseId}.jpg`,
      });
    send(t, 'start');
    const nextUpdate = (from: number): void => {
      const at = Math.ceil(from + exponential(r, UPDATE_MEAN_MS));
      if (at >= endAt) return;
      scheduler.at(at, (tu) => {
        nextUpdate(tu);
        if (darkUntil !== null) return; // no frames while the power is off
        confidence = round(clamp(confidence + uniform(r, -0.05, 0.05), 0.6, 0.99), 2);
        send(tu, 'update');
      });
    };
    nextUpdate(t);
    const end = (te: number): void => {
      // The case cannot be closed while the camera is off: it closes once it sees again.
      if (darkUntil !== null) scheduler.at(darkUntil + 1000, end);
      else send(te, 'end');
    };
    scheduler.at(endAt, end);
  };

  for (const type of DETECTION_TYPES) {
    const perDay = detectionsPerDay(type, device, hotspot);
    if (perDay <= 0) continue;
    const r = forkRandom(ctx.seed, `${id}/detect/${type}`);
    const rates = hourlyRates(DETECTION_MODELS[type].profile, perDay);
    const arrive = (t: number): void => {
      scheduler.at(nextArrival(t, rates, r, offset), arrive);
      if (darkUntil === null) startCase(t, type, r);
    };
    scheduler.at(nextArrival(t0, rates, r, offset), arrive);
  }

  const rPower = forkRandom(ctx.seed, `${id}/fault/power`);
  poissonProcess(scheduler, rPower, tuning.faults.cameraPowerLoss * tuning.faultRate, (t) => {
    if (darkUntil !== null) return;
    darkUntil = t + faultDurationMs(rPower, FAULT_MINUTES.darkPeriod);
    ctx.goDark(id);
    scheduler.at(darkUntil, (tBack) => {
      darkUntil = null;
      bootAt = tBack; // a power cut is a reboot: uptime starts again
      ctx.comeBack(id);
      reporter.reset();
      reporter.request(tBack);
    });
  });

  const tick = (t: number): void => {
    scheduler.at(t + tuning.heartbeatIntervalMs, tick);
    if (darkUntil === null) reporter.request(t);
  };
  scheduler.at(t0 + Math.floor(uniform(setup, 0, Math.min(BOOT_REPORT_WITHIN_MS, tuning.heartbeatIntervalMs))), tick);
}

/**
 * The demo fleet's past: the same pure model that runs the fleet live, driven over the last N
 * district days up to now in batches of simulated time, with a coarse report throttle (one
 * reading per device per simulated hour: four weeks of 5-second readings would be millions of
 * rows nobody charts). Pure: the platform writes the batches to its store; the simulator child
 * replays the same run silently (historyFleetOptions gives both the identical options) so the
 * live fleet goes on from the history's last state, with no jump in any chart.
 */
import type { Device } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay, localDayStart } from '../../shared/units.ts';
import type { SimAction } from './context.ts';
import type { FleetSimulation, FleetSimulationOptions } from './fleet.ts';

/** Simulated ms between two telemetry or heartbeat reports of one device during the history. */
export const HISTORY_REPORT_INTERVAL_MS = HOUR_MS;

/** Simulated time per batch: an hour of the whole fleet is ~2,000 messages. */
export const HISTORY_BATCH_MS = HOUR_MS;

/** What a run of the history is made of: whoever must reproduce its state needs only this. */
export interface HistorySpan {
  /** 00:00 (district time) of the first day. */
  fromMs: number;
  /** Where the history ends and the live fleet goes on: the platform's now when it began. */
  untilMs: number;
  utcOffsetMinutes: number;
}

export interface HistoryPlan extends HistorySpan {
  /** First and last complete district day, YYYY-MM-DD; today's part up to untilMs comes on top. */
  fromDay: string;
  toDay: string;
  /** Complete days. */
  days: number;
}

/** The last `days` complete district days and today so far; null for no history. */
export function planHistory(nowMs: number, days: number, utcOffsetMinutes: number): HistoryPlan | null {
  if (!(days >= 1)) return null;
  const todayStart = localDayStart(localDay(nowMs, utcOffsetMinutes), utcOffsetMinutes);
  const fromMs = todayStart - Math.floor(days) * DAY_MS;
  return {
    fromMs,
    untilMs: nowMs,
    fromDay: localDay(fromMs, utcOffsetMinutes),
    toDay: localDay(todayStart - 1, utcOffsetMinutes),
    days: Math.floor(days),
    utcOffsetMinutes,
  };
}

/**
 * The simulated members, boxes first, then cameras, then scales (every one: the chain after the
 * box weighs whatever the boxes give it), in registry order, optionally only the first N boxes
 * and cameras: the history and the live fleet must build the model from the same list.
 */
export function simulatedMembers<T extends { device: Pick<Device, 'kind'> }>(
  members: readonly T[],
  limits: { boxes?: number; cameras?: number } = {},
): T[] {
  const boxes = members.filter((m) => m.device.kind === 'box').slice(0, limits.boxes ?? Infinity);
  const cameras = members.filter((m) => m.device.kind === 'camera').slice(0, limits.cameras ?? Infinity);
  const scales = members.filter((m) => m.device.kind === 'scale');
  return [...boxes, ...cameras, ...scales];
}

/** The options of the history's run: whoever must reproduce its state uses exactly these. */
export function historyFleetOptions(
  plan: HistorySpan,
  fleet: Pick<FleetSimulationOptions, 'seed' | 'devices' | 'hashResident' | 'tuning' | 'sites' | 'vehicles'>,
): FleetSimulationOptions {
  return {
    ...fleet,
    startMs: plan.fromMs,
    utcOffsetMinutes: plan.utcOffsetMinutes,
    minReportIntervalMs: HISTORY_REPORT_INTERVAL_MS,
  };
}

export interface HistoryProgress {
  /** Simulated time reached. */
  simMs: number;
  /** Complete days simulated so far (0..plan.days). */
  daysDone: number;
  /** untilMs reached: the days and today's part. */
  done: boolean;
}

export interface HistoryBatch {
  /** The batch covers (fromMs, untilMs]; actions are in time order. */
  fromMs: number;
  untilMs: number;
  actions: SimAction[];
  progress: HistoryProgress;
}

/** Complete days in the span: it starts at a midnight and ends within the day after the last. */
const completeDays = (span: HistorySpan): number => Math.floor((span.untilMs - span.fromMs) / DAY_MS);

export function historyProgress(span: HistorySpan, simMs: number): HistoryProgress {
  const daysDone = Math.min(completeDays(span), Math.max(0, Math.floor((simMs - span.fromMs) / DAY_MS)));
  return { simMs, daysDone, done: simMs >= span.untilMs };
}

/**
 * Advances sim (created with historyFleetOptions) to plan.untilMs, one batch of batchMs
 * simulated time per iteration, so the caller can write each batch and give the event loop a
 * turn before asking for the next. Batches start on batchMs boundaries from plan.fromMs.
 */
export function* historyBatches(sim: FleetSimulation, span: HistorySpan, batchMs = HISTORY_BATCH_MS): Generator<HistoryBatch> {
  if (!(batchMs > 0)) throw new RangeError(`batchMs must be positive, got ${batchMs}`);
  while (sim.nowMs < span.untilMs) {
    const fromMs = sim.nowMs;
    const untilMs = Math.min(span.untilMs, span.fromMs + (Math.floor((fromMs - span.fromMs) / batchMs) + 1) * batchMs);
    const actions = sim.advanceTo(untilMs);
    yield { fromMs, untilMs, actions, progress: historyProgress(span, untilMs) };
  }
}

/**
 * A stretch's actions regrouped device by device (each device's own in time order), at most
 * devicesPerChunk devices per chunk, chunks in the order the devices first act. A store keyed by
 * device (SQLite's tables are) then touches each device's pages once per chunk: written hour by
 * hour across the whole fleet instead, every write rewrote every device's pages (28 days took
 * 83 s to write in hourly batches, 34 s in daily ones).
 */
export function chunkByDevice(actions: readonly SimAction[], devicesPerChunk: number): SimAction[][] {
  if (!(devicesPerChunk >= 1)) throw new RangeError(`devicesPerChunk must be at least 1, got ${devicesPerChunk}`);
  const byDevice = new Map<string, SimAction[]>();
  for (const action of actions) {
    const own = byDevice.get(action.deviceId);
    if (own) own.push(action);
    else byDevice.set(action.deviceId, [action]);
  }
  const chunks: SimAction[][] = [];
  let chunk: SimAction[] = [];
  let devicesInChunk = 0;
  for (const own of byDevice.values()) {
    if (devicesInChunk === devicesPerChunk) {
      chunks.push(chunk);
      chunk = [];
      devicesInChunk = 0;
    }
    for (const action of own) chunk.push(action);
    devicesInChunk++;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

export interface HistoryStepOptions {
  /** Simulated time per step: what one event-loop turn computes. Default an hour. */
  stepMs?: number;
  /** Simulated time gathered before it is handed out to be written, a multiple of stepMs. Default a day. */
  writeEveryMs?: number;
  /** Devices per chunk of a write. Default 25 (~1,300 records of a day). */
  devicesPerChunk?: number;
}

export interface HistoryStep {
  /** Simulated so far. */
  progress: HistoryProgress;
  /** Null until a stretch of writeEveryMs (the last one shorter) is complete: then its actions, chunkByDevice. */
  chunks: SimAction[][] | null;
}

/**
 * historyBatches in small steps (a caller gives the event loop a turn after each), handing out
 * the actions a day at a time in device chunks: small steps keep the platform responsive, large
 * stretches keep the store's writes cheap.
 */
export function* historySteps(sim: FleetSimulation, span: HistorySpan, options: HistoryStepOptions = {}): Generator<HistoryStep> {
  const { stepMs = HOUR_MS, writeEveryMs = DAY_MS, devicesPerChunk = 25 } = options;
  let pending: SimAction[] = [];
  for (const batch of historyBatches(sim, span, stepMs)) {
    for (const action of batch.actions) pending.push(action);
    const stretchEnds = batch.progress.done || (batch.untilMs - span.fromMs) % writeEveryMs === 0;
    yield { progress: batch.progress, chunks: stretchEnds ? chunkByDevice(pending, devicesPerChunk) : null };
    if (stretchEnds) pending = [];
  }
}

/**
 * The demo fleet's past, written once when the demo fleet is created: the simulator's own model
 * (simulators/core/history.ts) run in-process over the last DEMO_HISTORY_DAYS district days and
 * today so far, its messages turned into records by the ingest's one definition
 * (services/ingest/core/records.ts, tags from the registry) and written through the
 * time-series store port, so SQLite and InfluxDB get the same history. Nothing goes through the
 * broker, the journal or the alert rules: history raises no alerts and fills no device state;
 * the live fleet (the simulator child, which replays the same run silently) does that from
 * where the history ends.
 *
 * On the main thread, a simulated hour per event-loop turn and a chunk of ~25 devices' day per
 * write, so the broker and the API answer in between (measured: see the README's quick start).
 */
import { createHash } from 'node:crypto';
import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../../../shared/config.ts';
import type { DemoHistoryStatus, Device, DeviceMessage, Site, Vehicle } from '../../../shared/contracts/index.ts';
import { backoffDelayMs, retryAfterOf } from '../../../shared/retry.ts';
import { DAY_MS } from '../../../shared/units.ts';
import { DRIFT_SHOWS_WITHIN_MS, formatAnomalies, type InjectedAnomaly } from '../../../simulators/core/anomalies.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation } from '../../../simulators/core/fleet.ts';
import { historyFleetOptions, historySteps, planHistory, simulatedMembers, type HistoryPlan, type HistoryStepOptions } from '../../../simulators/core/history.ts';
import { offlineStatus, onlineStatus } from '../../../simulators/core/messages.ts';
import { readCredentialsFile } from '../../fleet/adapters/credentials-file.ts';
import type { FleetRegistry } from '../../fleet/core/registry.ts';
import { toTimeSeriesRecords } from '../../ingest/core/records.ts';
import { STORE_BACKOFF } from '../../journal/adapters/journal-consumer.ts';
import type { TimeSeriesRecord, TimeSeriesStore } from '../../timeseries/core/store.ts';

export interface DemoHistoryOptions {
  plan: HistoryPlan;
  /** The simulated devices in the order the simulator builds its model (demoHistoryFleet). */
  devices: readonly Device[];
  /** Sites and vehicles of the credentials file: the chain after the box weighs the trips there (issue 14). */
  sites?: readonly Site[];
  vehicles?: readonly Vehicle[];
  seed: string;
  /** Tags come from here, as for every live message. */
  registry: Pick<FleetRegistry, 'get'>;
  store: TimeSeriesStore;
  logger: Logger;
  /** Writes of one chunk before the history is given up (a store that stays down). Default 8 (~1 min). */
  maxAttempts?: number;
  /** How much is simulated per turn and written per chunk (historySteps' defaults). */
  steps?: HistoryStepOptions;
  /** Sees every simulated message of a registered device, in time order per device (the live forecasts learn from it). */
  observe?: (message: DeviceMessage, device: Device) => void;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The simulator child's devices in its order, sites and vehicles (simulators/main.ts reads the same file). */
export function demoHistoryFleet(credentialsPath: string): Pick<DemoHistoryOptions, 'devices' | 'sites' | 'vehicles'> {
  const file = readCredentialsFile(credentialsPath);
  return {
    devices: simulatedMembers(file.devices).map((m) => m.device),
    sites: file.sites ?? [],
    vehicles: (file.vehicles ?? []).map((m) => m.vehicle),
  };
}

/**
 * The history of a demo fleet created by this start, when the simulator runs it; null otherwise
 * (a restart goes on from now: writing the past again would store other events over it).
 */
export function demoHistoryFor(
  config: Pick<Config, 'SIMULATOR' | 'DEMO_HISTORY_DAYS' | 'DISTRICT_UTC_OFFSET_MIN' | 'SIM_SEED'>,
  demoFleet: { outcome: string; credentialsPath: string } | null,
  deps: Pick<DemoHistoryOptions, 'registry' | 'store' | 'logger' | 'observe'> & { now: () => number },
): DemoHistory | null {
  if (!config.SIMULATOR || demoFleet?.outcome !== 'created') return null;
  const plan = planHistory(deps.now(), config.DEMO_HISTORY_DAYS, config.DISTRICT_UTC_OFFSET_MIN);
  if (plan === null) return null;
  const fleet = demoHistoryFleet(demoFleet.credentialsPath);
  const { registry, store, logger, observe } = deps;
  return new DemoHistory({ plan, ...fleet, seed: config.SIM_SEED, registry, store, logger, ...(observe && { observe }) });
}

/** A simulated action as the message the platform would have received from the device. */
function messageOf(action: SimAction, utcOffsetMinutes: number): DeviceMessage {
  if (action.type === 'publish') return action;
  // The broker's last will carries no ts; the platform stamps it on receipt, which is this instant.
  const payload = action.type === 'goDark' ? offlineStatus(action.atMs, utcOffsetMinutes) : onlineStatus(action.atMs, utcOffsetMinutes);
  return { deviceId: action.deviceId, channel: 'status', payload };
}

/** The records of some simulated actions; devices no longer in the registry are left out. */
export function historyRecords(
  actions: readonly SimAction[],
  registry: Pick<FleetRegistry, 'get'>,
  utcOffsetMinutes: number,
): TimeSeriesRecord[] {
  const records: TimeSeriesRecord[] = [];
  for (const action of actions) {
    const device = registry.get(action.deviceId);
    if (device === undefined) continue;
    for (const record of toTimeSeriesRecords(messageOf(action, utcOffsetMinutes), device, action.atMs)) records.push(record);
  }
  return records;
}

/** "; 1 drift too young to show yet": drifts the ledger cannot see by the history's end, but will as the live fleet goes on. */
function youngDrifts(injected: readonly InjectedAnomaly[], untilMs: number): string {
  const young = injected.filter((a) => a.kind === 'drift' && untilMs - a.atMs < DRIFT_SHOWS_WITHIN_MS).length;
  return young === 0 ? '' : `; ${young} drift${young === 1 ? '' : 's'} too young to show yet (a drift reads a loaded truck 50 kg heavy within ${(DRIFT_SHOWS_WITHIN_MS / DAY_MS).toFixed(1)} days)`;
}

export class DemoHistory {
  readonly #options: DemoHistoryOptions;
  readonly #abort = new AbortController();
  #status: DemoHistoryStatus;
  #running: Promise<void> | undefined;

  constructor(options: DemoHistoryOptions) {
    this.#options = options;
    const { plan } = options;
    this.#status = {
      state: 'writing',
      fromDay: plan.fromDay,
      toDay: plan.toDay,
      until: new Date(plan.untilMs).toISOString(),
      daysWritten: 0,
      daysTotal: plan.days,
    };
  }

  get plan(): HistoryPlan {
    return this.#options.plan;
  }

  status(): DemoHistoryStatus {
    return { ...this.#status };
  }

  /** Starts writing in the background; `finished` settles when it is written, failed or stopped. */
  start(): void {
    this.#running ??= this.#run().catch((error: unknown) => {
      if (this.#abort.signal.aborted) return;
      this.#status.state = 'failed';
      this.#options.logger.error({ err: error, daysWritten: this.#status.daysWritten }, 'demo history failed: the days written so far stay, the live fleet goes on');
    });
  }

  get finished(): Promise<void> {
    return this.#running ?? Promise.resolve();
  }

  /** Stops between two writes (a write under way completes). */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
    if (this.#running && this.#status.state === 'writing') {
      this.#options.logger.warn(
        { daysWritten: this.#status.daysWritten, daysTotal: this.#status.daysTotal },
        'demo history stopped before it was complete: a restart does not resume it (it is written for a new demo fleet only)',
      );
    }
  }

  async #run(): Promise<void> {
    const { plan, devices, sites, vehicles, seed, registry, logger } = this.#options;
    const started = performance.now();
    logger.info(
      { fromDay: plan.fromDay, toDay: plan.toDay, until: this.#status.until, devices: devices.length },
      `writing ${plan.days} days of demo history and today so far through the time-series store`,
    );
    const sim = createFleetSimulation(historyFleetOptions(plan, { seed, devices, hashResident: sha256, ...(sites && { sites }), ...(vehicles && { vehicles }) }));
    let records = 0;
    for (const step of historySteps(sim, plan, this.#options.steps)) {
      for (const chunk of step.chunks ?? []) {
        const written = historyRecords(chunk, registry, plan.utcOffsetMinutes);
        this.#observe(chunk);
        await this.#write(written);
        records += written.length;
        await turn();
        if (this.#abort.signal.aborted) return;
      }
      if (step.chunks !== null) this.#written(step.progress.daysDone, step.progress.done);
      await turn();
      if (this.#abort.signal.aborted) return;
    }
    await this.#rollUpTonnage(plan);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    // The anomalies injected after the box: what the ledger's ledger_mismatch alerts should match.
    const { injected, ...chain } = sim.chain;
    logger.info(
      { records, seconds, stats: sim.stats, chain, anomaliesInjected: injected },
      `demo history written: ${plan.days} days and today so far in ${seconds} s; ${formatAnomalies(chain.anomalies)}${youngDrifts(injected, plan.untilMs)}`,
    );
  }

  #observe(actions: readonly SimAction[]): void {
    const { observe, registry, plan } = this.#options;
    if (observe === undefined) return;
    for (const action of actions) {
      const device = registry.get(action.deviceId);
      if (device !== undefined) observe(messageOf(action, plan.utcOffsetMinutes), device);
    }
  }

  #written(daysDone: number, done: boolean): void {
    const { days } = this.#options.plan;
    const quarter = (n: number): number => Math.floor((4 * n) / days);
    if (!done && quarter(daysDone) > quarter(this.#status.daysWritten) && daysDone < days) {
      this.#options.logger.info(`demo history: ${daysDone} of ${days} days written`);
    }
    this.#status.daysWritten = daysDone;
    if (done) this.#status.state = 'done';
  }

  /**
   * InfluxDB: no continuous query rolled the history's days up (they were written at once), so
   * roll them up now and reports read the rollup (issue 16). Until then, and if this fails,
   * reports sum those days' deposits instead: correct, only slower, so a failure is a warning.
   */
  async #rollUpTonnage(plan: HistoryPlan): Promise<void> {
    try {
      await this.#options.store.rollUpTonnage?.({ from: plan.fromMs, to: plan.untilMs });
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'demo history: rolling up the daily tonnage failed; reports sum the deposits of those days instead');
    }
  }

  /** One chunk, retried with the journal consumers' backoff while the store refuses it. */
  async #write(records: readonly TimeSeriesRecord[]): Promise<void> {
    const maxAttempts = this.#options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#options.store.write(records);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        const delayMs = backoffDelayMs(attempt, STORE_BACKOFF, Math.random, retryAfterOf(error));
        this.#options.logger.warn({ err: error, attempt, delayMs }, 'demo history: the store refused a write; retrying');
        await sleep(delayMs, undefined, { signal: this.#abort.signal }).catch(() => undefined);
        if (this.#abort.signal.aborted) throw error;
      }
    }
  }
}

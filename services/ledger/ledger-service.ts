/**
 * The mass balance (issue 14, item 3): built on request for the API from the store's records,
 * and checked every few minutes for ledger_mismatch: the last LOOKBACK_DAYS district days (the
 * first check after a start: CATCH_UP_DAYS) are recomputed and every finding not yet recorded
 * under its key is raised
 * (core/mismatch-alerts.ts).
 *
 * Restart-safe without state of its own: what was raised is in the alert store (keys per trip,
 * scale and day), read back before each check.
 */
import type { Logger } from 'pino';
import type { Alert, MassBalanceReport, Subdistrict } from '../../shared/contracts/index.ts';
import { PeriodicJob, type Timers } from '../../shared/periodic-job.ts';
import { DAY_MS, localDay } from '../../shared/units.ts';
import { ledgerMismatchCommands, type RecordedAlert } from './core/mismatch-alerts.ts';
import type { AlertFilter, SystemAlertCommand } from '../alerts/core/ports.ts';
import { COLLECTION_LOG_DAYS } from '../planning/core/collection-log.ts';
import type { LedgerSource } from './adapters/store-source.ts';
import { ledgerFindings } from './core/findings.ts';
import { buildMassBalance, dayLegs, ledgerWorkings } from './core/mass-balance.ts';

export interface LedgerServiceOptions {
  source: LedgerSource;
  alerts: {
    applySystemCommands(commands: readonly SystemAlertCommand[]): void;
    /** Only what the check reads back of each alert. */
    list(filter: AlertFilter): { items: readonly Pick<Alert, 'key' | 'status' | 'lastSeenAt'>[] };
  };
  utcOffsetMinutes: number;
  now: () => number;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** Default 5 minutes: a trip's weigh-in is hours after its collections; nothing here is urgent to the minute. */
  checkEveryMs?: number;
  timers?: Timers;
}

/** Today and the two days before: a missing weigh-in shows 6 h after a trip, a short shipment 12 h after it left. */
export const LOOKBACK_DAYS = 3;
/**
 * The first check after a start looks back as far as the collection log keeps collections, so
 * what happened while the platform was down (or a demo history written at start) is checked once.
 */
export const CATCH_UP_DAYS = COLLECTION_LOG_DAYS;
/** How many of the newest ledger alerts are read back to know what was raised (a few a day expected). */
const RECORDED_LIMIT = 2_000;

export class LedgerService {
  readonly #o: LedgerServiceOptions;
  /** The schedule: a check still running when the next is due (a slow store) makes that one skip. */
  readonly #job: PeriodicJob<SystemAlertCommand[]>;
  #caughtUp = false;

  constructor(options: LedgerServiceOptions) {
    this.#o = options;
    this.#job = new PeriodicJob({
      everyMs: options.checkEveryMs ?? 5 * 60_000,
      run: () => this.check(),
      onError: (err) => this.#o.logger?.error({ err }, 'ledger check failed; tried again at the next'),
      timers: options.timers,
    });
  }

  async report(query: { from: string; to: string; subdistrict?: Subdistrict }): Promise<MassBalanceReport> {
    const { utcOffsetMinutes } = this.#o;
    const inputs = await this.#o.source.inputs({ fromDay: query.from, toDay: query.to, utcOffsetMinutes });
    return buildMassBalance(inputs, {
      fromDay: query.from,
      toDay: query.to,
      utcOffsetMinutes,
      nowMs: this.#o.now(),
      ...(query.subdistrict !== undefined && { subdistrict: query.subdistrict }),
    });
  }

  /** Recomputes the last days and raises what is new. Returns the commands applied. */
  async check(): Promise<SystemAlertCommand[]> {
    const nowMs = this.#o.now();
    const offset = this.#o.utcOffsetMinutes;
    const days = this.#caughtUp ? LOOKBACK_DAYS : CATCH_UP_DAYS;
    const options = { fromDay: localDay(nowMs - (days - 1) * DAY_MS, offset), toDay: localDay(nowMs, offset), utcOffsetMinutes: offset, nowMs };
    const workings = ledgerWorkings(await this.#o.source.inputs(options), options);
    const inWindow = new Set(workings.days);
    const findings = ledgerFindings(workings, offset, nowMs).filter((f) => inWindow.has(f.day));
    const none = { from: 0, to: 0 };
    const agreeing = workings.days.filter(
      (day) => dayLegs(workings.districtDays.get(day)!, none, workings.shipmentLegs.get(`${day}|*`) ?? none).find((l) => l.leg === 'shipped_received')!.within === true,
    );
    const recorded = this.#recorded();
    const commands = ledgerMismatchCommands(findings, (key) => recorded.get(key), agreeing, nowMs);
    if (commands.length > 0) {
      this.#o.alerts.applySystemCommands(commands);
      this.#o.logger?.info({ days, findings: findings.length, commands: commands.length }, 'ledger checked: mismatches raised');
    }
    this.#caughtUp = true;
    return commands;
  }

  /** Checks now, then every checkEveryMs. Idempotent. */
  start(): void {
    this.#job.start();
  }

  /** Clears the timer; resolves when a check in progress is done. */
  stop(): Promise<void> {
    return this.#job.stop();
  }

  /** The newest alert per ledger key: whether it is open and when it was last seen. */
  #recorded(): Map<string, NonNullable<RecordedAlert>> {
    const recorded = new Map<string, NonNullable<RecordedAlert>>();
    const { items } = this.#o.alerts.list({ type: 'ledger_mismatch', limit: RECORDED_LIMIT, offset: 0 });
    for (const alert of items) {
      if (recorded.has(alert.key)) continue; // newest first: the first is the latest
      recorded.set(alert.key, { open: alert.status !== 'resolved', lastSeenMs: Date.parse(alert.lastSeenAt) });
    }
    return recorded;
  }
}

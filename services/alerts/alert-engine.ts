/**
 * The alert service: feeds messages, connection changes and a periodic sweep to the pure rules,
 * applies their commands through the pure lifecycle, stores every change synchronously, and only
 * then emits it. Survives restarts: open alerts are reloaded from SQLite, a raise for an open key
 * updates it, and a sweep right after start re-evaluates inactivity from the persisted lastSeen.
 */
import { randomBytes } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ALERT_TYPES, SilenceMatcher, type Alert, type AlertEvent, type AlertTransition } from '../../shared/contracts/index.ts';
import type { Device, DeviceMessage, Silence } from '../../shared/contracts/index.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import type { DeviceStateReader, SilentDevice } from '../ingest/core/ports.ts';
import type { SqliteDatabase } from '../storage/sqlite.ts';
import { SqliteAlertStore, StaleAlertIndexError } from './adapters/sqlite-alert-store.ts';
import { downtimeBefore, effectiveLastSeen, type Downtime } from './core/downtime.ts';
import { acknowledge, applyCommand, resolveManually, sortableId, type AlertChange } from './core/lifecycle.ts';
import { AlertError, type AlertCommand, type AlertFilter, type AlertListener } from './core/ports.ts';
import type { AlertRules, AlertService, SweepDevice, SystemAlertCommand } from './core/ports.ts';

export interface AlertEngineOptions {
  db: SqliteDatabase;
  rules: AlertRules;
  registry: Pick<FleetRegistry, 'get' | 'list'>;
  deviceState: DeviceStateReader;
  now: () => number;
  /** 1..59, or whole minutes up to 59 (60, 120, ...): node-cron fields cannot express other periods. */
  sweepSeconds: number;
  logger: Logger;
  metrics: Registry;
  /** Alert ids (tests); default: sortable time + counter + per-process random token. */
  newId?: () => string;
}

type Trigger = 'message' | 'connection' | 'sweep';

export class AlertEngine implements AlertService {
  private readonly store: SqliteAlertStore;
  private readonly logger: Logger;
  private readonly listeners = new Set<AlertListener>();
  private readonly silenceListeners = new Set<(devices: readonly SilentDevice[]) => void>();
  private readonly cronExpression: string;
  private task: ScheduledTask | null = null;
  /** Set at start: the platform's downtime before it, kept out of devices' inactivity. */
  private downtime: Downtime = { startedAt: 0, downtimeMs: 0 };
  /** Id entropy: a counter orders ids within one millisecond, the token separates processes. */
  private seq = 0;
  private readonly token = randomBytes(3).toString('hex');
  private readonly raisedTotal: Counter<'type' | 'severity'>;
  private readonly ruleErrors: Counter<'trigger'>;
  private readonly commandErrors: Counter;
  private readonly listenerErrors: Counter;

  constructor(private readonly options: AlertEngineOptions) {
    this.logger = options.logger;
    this.cronExpression = sweepCron(options.sweepSeconds);
    this.store = new SqliteAlertStore(options.db);
    const registers = [options.metrics];
    this.raisedTotal = new Counter({
      name: 'binpulse_alerts_raised_total',
      help: 'Alerts raised (new alerts, not updates of open ones), by type and severity',
      labelNames: ['type', 'severity'],
      registers,
    });
    this.ruleErrors = new Counter({
      name: 'binpulse_alerts_rule_errors_total',
      help: 'Alert rule evaluations that threw (the input was skipped, ingest went on), by trigger',
      labelNames: ['trigger'],
      registers,
    });
    for (const trigger of ['message', 'connection', 'sweep']) this.ruleErrors.inc({ trigger }, 0);
    this.commandErrors = new Counter({
      name: 'binpulse_alerts_command_errors_total',
      help: 'Alert commands that could not be applied or stored',
      registers,
    });
    this.listenerErrors = new Counter({
      name: 'binpulse_alerts_listener_errors_total',
      help: 'Alert event listeners (outputs) that threw',
      registers,
    });
    const store = this.store;
    new Gauge({
      name: 'binpulse_alerts_open',
      help: 'Open (active or acknowledged) alerts, by type',
      labelNames: ['type'],
      registers,
      collect() {
        const counts = store.openCounts();
        for (const type of ALERT_TYPES) this.set({ type }, counts.get(type) ?? 0);
      },
    });
  }

  /** Loads the open alerts, sweeps once at once (inactivity resumes after a restart), then on schedule. */
  start(): void {
    if (this.task) return;
    this.store.load();
    this.downtime = downtimeBefore(this.options.now(), this.store.lastAliveAt());
    this.task = cron.schedule(this.cronExpression, () => this.sweep(this.options.now()), {
      name: 'binpulse-alert-sweep',
      noOverlap: true,
      // The platform's servers keep the process alive; a forgotten stop() must not.
      unref: true,
    });
    this.sweep(this.options.now());
  }

  /** Removes the sweep schedule (what start added). The database belongs to the caller. */
  stop(): void {
    if (!this.task) return;
    void this.task.destroy();
    this.task = null;
  }

  /** A valid message was accepted by ingest (IngestPipeline.onAccepted). Never throws. */
  handleMessage(message: DeviceMessage, device: Device, at: number): void {
    this.evaluate('message', device.id, () => this.options.rules.onMessage({ message, device, at }, this.store));
  }

  /** The broker saw a device connect or disconnect. Unknown devices are ignored. Never throws. */
  handleConnection(deviceId: string, connected: boolean, at: number): void {
    const device = this.options.registry.get(deviceId);
    if (!device) return;
    this.evaluate('connection', deviceId, () => this.options.rules.onConnection({ device, connected, at }, this.store));
  }

  /** Time-based rules over the whole fleet, then the silent devices to their listeners. Never throws. */
  sweep(at: number): void {
    let devices: SweepDevice[] = [];
    this.evaluate('sweep', null, () => {
      devices = this.sweepDevices();
      return this.options.rules.onSweep({ at, devices }, this.store);
    });
    this.reportSilent(at, devices);
    try {
      this.store.recordAlive(at);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not record the sweep time');
    }
  }

  /** Devices silent past their inactivity timeout, to the silence listeners (the device state). */
  private reportSilent(at: number, devices: SweepDevice[]): void {
    if (this.silenceListeners.size === 0 || devices.length === 0) return;
    let silent: SilentDevice[];
    try {
      silent = this.options.rules.silentDevices({ at, devices });
    } catch (err) {
      this.ruleErrors.inc({ trigger: 'sweep' });
      this.logger.error({ err }, 'inactivity check failed');
      return;
    }
    if (silent.length === 0) return;
    for (const listener of this.silenceListeners) {
      try {
        listener(silent);
      } catch (err) {
        this.listenerErrors.inc();
        this.logger.error({ err }, 'silent devices listener failed');
      }
    }
  }

  private sweepDevices(): SweepDevice[] {
    const states = this.options.deviceState.all();
    return this.options.registry.list().map((device) => {
      const state = states.get(device.id);
      const lastSeenMs = state?.lastSeen ? Date.parse(state.lastSeen) : NaN;
      const lastSeen = Number.isNaN(lastSeenMs) ? null : effectiveLastSeen(lastSeenMs, this.downtime);
      return { device, lastSeenMs: lastSeen, online: state?.online ?? false };
    });
  }

  /**
   * Rules, then each command stored on its own (one bad command does not drop the others), then
   * the events of everything stored. A throwing rule is logged and counted, never propagated.
   */
  private evaluate(trigger: Trigger, deviceId: string | null, rules: () => AlertCommand[]): void {
    let commands: AlertCommand[];
    try {
      commands = rules();
    } catch (err) {
      this.ruleErrors.inc({ trigger });
      this.logger.error({ err, trigger, deviceId }, 'alert rules failed');
      return;
    }
    this.applyCommands(commands);
  }

  /**
   * Raise/clear commands decided outside the rules, about the platform itself (journal_near_cap)
   * or a device (collection_missed, from the plans' proof of service): stored and emitted like the rules' commands (same lifecycle, silences, events, metrics).
   * Never throws: a command that fails is logged and counted.
   */
  applySystemCommands(commands: readonly SystemAlertCommand[]): void {
    this.applyCommands(commands);
  }

  private applyCommands(commands: readonly AlertCommand[]): void {
    const stored: AlertChange[] = [];
    for (const command of commands) {
      try {
        stored.push(...this.storeCommand(command));
      } catch (err) {
        this.commandErrors.inc();
        this.logger.error({ err, op: command.op, key: 'key' in command ? command.key : command.byKey }, 'alert command failed');
      }
    }
    this.emitAll(stored);
  }

  private storeCommand(command: AlertCommand): AlertChange[] {
    return this.withFreshIndex(() => {
      const changes = applyCommand(command, {
        open: (key) => this.store.open(key),
        newId: (at) => this.newId(at),
        silences: command.op === 'raise' ? this.store.activeSilences(command.at) : [],
      });
      this.store.commit(changes);
      return changes;
    });
  }

  /**
   * Another process wrote the same file (e.g. the platform restarted before the old one died):
   * the in-memory index is reloaded from the table and the change recomputed once, so the
   * raise becomes an update of the open alert instead of a duplicate.
   */
  private withFreshIndex(apply: () => AlertChange[]): AlertChange[] {
    try {
      return apply();
    } catch (err) {
      if (!(err instanceof StaleAlertIndexError)) throw err;
      this.logger.warn({ err }, 'open alerts changed outside this process; reloading');
      this.store.load();
      return apply();
    }
  }

  private newId(at: number): string {
    if (this.options.newId) return this.options.newId();
    this.seq = (this.seq + 1) % 36 ** 4;
    return sortableId('al', at, `${this.seq.toString(36).padStart(4, '0')}${this.token}`);
  }

  /**
   * Every stored change goes to every listener, including muted (muted: true, silenceId) and
   * inhibited (inhibitedBy) alerts: the SSE stream, the API and the retained MQTT topics show them.
   * Notification outputs (webhook) must skip events whose alert is muted or inhibited.
   */
  private emitAll(changes: readonly AlertChange[]): void {
    for (const { alert, event } of changes) {
      if (event === 'raised') this.raisedTotal.inc({ type: alert.type, severity: alert.severity });
      const payload: AlertEvent = { event, alert };
      for (const listener of this.listeners) {
        try {
          listener(payload);
        } catch (err) {
          this.listenerErrors.inc();
          this.logger.error({ err, alertId: alert.id, event }, 'alert listener failed');
        }
      }
    }
  }

  // --- AlertService (the API and the outputs) ---

  list(filter: AlertFilter): { total: number; items: Alert[] } {
    return this.store.list(filter);
  }

  get(id: string): Alert | undefined {
    return this.store.get(id);
  }

  history(id: string): AlertTransition[] {
    return this.store.history(id);
  }

  acknowledge(id: string, by: string, note: string | null): Alert {
    return this.operatorAction(id, (alert, at) => acknowledge(alert, by, note, at));
  }

  resolve(id: string, by: string, reason: string): Alert {
    return this.operatorAction(id, (alert, at) => resolveManually(alert, by, reason, at));
  }

  /** Reads the alert from the table (not the index): an id from the API may be any alert. */
  private operatorAction(id: string, act: (alert: Alert, at: number) => AlertChange): Alert {
    const [change] = this.withFreshIndex(() => {
      const alert = this.store.get(id);
      if (!alert) throw new AlertError('ALERT_NOT_FOUND', `no alert ${id}`);
      const next = act(alert, this.options.now());
      this.store.commit([next]);
      return [next];
    });
    this.emitAll([change!]);
    return change!.alert;
  }

  silences(includeExpired: boolean): Silence[] {
    return this.store.silences(includeExpired, this.options.now());
  }

  /** Mutes alerts raised from now on that match; open alerts keep their muted flag. Throws on an empty matcher or window. */
  addSilence(input: { matcher: SilenceMatcher; startsAt: number; endsAt: number; reason: string; createdBy: string }): Silence {
    const matcher = SilenceMatcher.parse(input.matcher);
    if (!(input.endsAt > input.startsAt)) throw new RangeError('a silence must end after it starts');
    const now = this.options.now();
    const silence: Silence = {
      id: sortableId('si', now, `${randomBytes(4).toString('hex')}`),
      matcher,
      startsAt: new Date(input.startsAt).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      createdBy: input.createdBy,
      reason: input.reason,
      createdAt: new Date(now).toISOString(),
    };
    this.store.addSilence(silence);
    return silence;
  }

  removeSilence(id: string): void {
    if (!this.store.removeSilence(id)) throw new AlertError('SILENCE_NOT_FOUND', `no silence ${id}`);
  }

  /**
   * After each sweep, the devices it found silent past their inactivity timeout (none: not
   * called). The ingest pipeline marks them offline ('silent'). Returns an unsubscribe function.
   */
  onSilentDevices(listener: (devices: readonly SilentDevice[]) => void): () => void {
    this.silenceListeners.add(listener);
    return () => this.silenceListeners.delete(listener);
  }

  /** Listeners run synchronously after the change is stored; one that throws is logged and skipped. */
  onEvent(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** node-cron (6-field, seconds first) expression for the sweep period. */
export function sweepCron(seconds: number): string {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= 59) return `*/${seconds} * * * * *`;
  const minutes = seconds / 60;
  if (Number.isInteger(minutes) && minutes >= 1 && minutes <= 59) return `0 */${minutes} * * * *`;
  throw new RangeError(`sweepSeconds must be 1..59 or whole minutes up to 59, got ${seconds}`);
}

/**
 * Runs the simulated district fleet as a child process: its 659 MQTT clients then load the
 * broker over real sockets, as a real fleet would, and a simulator crash cannot take the
 * platform down.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

export interface SimulatorProcessOptions {
  mqttUrl: string;
  credentialsPath: string;
  speed: number;
  seed: string;
  /** SIM_SENSOR_FAULT_RATE: fill sensors that stick, jump or drift (0 or unset: none). */
  sensorFaultRate?: number;
  /** SIM_COLLECTION: fixed rounds, or vehicles following the published plans. */
  collection?: 'fixed' | 'plan';
  /** Simulated start (epoch ms); unset: the simulator's default (yesterday 00:00 when speed > 1). */
  startMs?: number;
  /** The platform writes the fleet's history over this span: the fleet replays it silently and goes on from its end. */
  history?: { fromMs: number; untilMs: number };
  /** District time (DISTRICT_UTC_OFFSET_MIN), as the history uses it. */
  utcOffsetMinutes?: number;
  logger: Logger;
}

const SIMULATOR_ENTRY = fileURLToPath(new URL('../../../simulators/main.ts', import.meta.url));

export class SimulatorProcess {
  #child: ChildProcess | undefined;
  constructor(private readonly options: SimulatorProcessOptions) {}

  start(): void {
    const { mqttUrl, credentialsPath, speed, seed, logger } = this.options;
    const args = ['--import', 'tsx', SIMULATOR_ENTRY, '--url', mqttUrl, '--credentials', credentialsPath];
    args.push('--speed', String(speed), '--seed', seed);
    if (this.options.collection) args.push('--collection', this.options.collection);
    if (this.options.sensorFaultRate) args.push('--sensor-fault-rate', String(this.options.sensorFaultRate));
    if (this.options.startMs !== undefined) args.push('--start', new Date(this.options.startMs).toISOString());
    const { history, utcOffsetMinutes } = this.options;
    if (history) args.push('--history-from', new Date(history.fromMs).toISOString(), '--history-until', new Date(history.untilMs).toISOString());
    if (utcOffsetMinutes !== undefined) args.push('--utc-offset', String(utcOffsetMinutes));
    // stderr through a pipe, forwarded as is: the child sees no terminal, so once caught up its
    // status line stays quiet below the platform's banner (simulators/adapters/status-line.ts).
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    child.stderr?.pipe(process.stderr);
    child.on('exit', (code, signal) => {
      if (this.#child === child) logger.warn({ code, signal }, 'simulated fleet exited');
      this.#child = undefined;
    });
    this.#child = child;
    logger.info({ pid: child.pid, speed }, 'simulated fleet started (a child process)');
  }

  /** Lets the fleet say goodbye (offline statuses) before the broker closes. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    this.#child = undefined;
    // 'close': exited and its piped stderr drained, so its goodbye lines are not lost.
    const exited = once(child, 'close');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Device data by polling: the device list (every box and camera with its latest state) and the
 * summary, shared by the views that show them. Polls only while some view listens; a view that
 * opens gets the last data at once and a fresh fetch.
 */
import type { DeviceWithState, Summary } from '../../../shared/contracts/index.ts';
import type { I18n } from '../core/i18n/translator.ts';
import { describeError, type Api } from './api.ts';

export interface FleetSnapshot {
  devices: DeviceWithState[];
  summary: Summary | null;
  /** Epoch ms of the last successful fetch; 0 before the first. */
  fetchedAt: number;
  /** Why the last fetch failed; the previous data stays on screen meanwhile. */
  error: string | null;
}

type Listener = (snapshot: FleetSnapshot) => void;

/** Well under a box's telemetry interval; 659 devices are ~400 kB of JSON. */
export const FLEET_POLL_MS = 15_000;

export class FleetFeed {
  #snapshot: FleetSnapshot = { devices: [], summary: null, fetchedAt: 0, error: null };
  readonly #listeners = new Set<Listener>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(
    private readonly api: Api,
    private readonly i18n: I18n,
    private readonly intervalMs = FLEET_POLL_MS,
  ) {}

  get snapshot(): FleetSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (this.#snapshot.fetchedAt > 0) listener(this.#snapshot);
    if (this.#timer === undefined) this.#timer = setInterval(() => void this.refresh(), this.intervalMs);
    void this.refresh();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.stop();
    };
  }

  refresh(): Promise<void> {
    this.#inFlight ??= this.#fetch().finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #fetch(): Promise<void> {
    try {
      const [list, summary] = await Promise.all([
        this.api.get<{ items: DeviceWithState[] }>('/api/v1/devices?limit=5000'),
        this.api.get<Summary>('/api/v1/summary'),
      ]);
      this.#snapshot = { devices: list.items, summary, fetchedAt: Date.now(), error: null };
    } catch (error) {
      this.#snapshot = { ...this.#snapshot, error: describeError(error, this.i18n) };
    }
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}

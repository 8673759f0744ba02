/**
 * Live fill-level forecasts (issue 13): one forecast history per box compartment
 * (core/forecast-history.ts), fed by every accepted live message, by the demo history writer on a
 * new demo fleet, and after a restart by the stored readings of the last days (seedFrom), a few
 * boxes per event-loop turn. Forecasts are made on demand from the injected clock and cached for
 * a minute, so a list of 605 boxes costs one walk per compartment a minute at most.
 */
import { setImmediate as turn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { BoxForecast, Device, DeviceMessage, ForecastList, Subdistrict } from '../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS } from '../../shared/units.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import { boxForecastOf, observeBoxMessage, pooledDistrictProfile } from './core/box-forecast.ts';
import { newCompartmentHistory, type CompartmentHistory } from './core/forecast-history.ts';
import { FLAT_PROFILE, type DistrictProfile } from './core/forecast.ts';
import { historyFromReadings, type StoredReading } from './forecast-seed.ts';

/** Where a restart reads each box's past readings from (forecast-seed.ts builds it from the store). */
export type ReadingSource = (deviceId: string, fromMs: number, toMs: number) => Promise<StoredReading[]>;

export interface ForecastServiceOptions {
  registry: Pick<FleetRegistry, 'get' | 'list'>;
  /** The bin_full level of a device (the alert thresholds' binFullWarning, resolved per device). */
  fullLevelFor: (device: Device) => number;
  utcOffsetMinutes: number;
  now: () => number;
  logger: Logger;
  /** How far back a restart reads. Default 14 days (the forecast's own horizon of memory). */
  seedDays?: number;
  /** Boxes read back per event-loop turn. Default 5. */
  boxesPerTurn?: number;
}

export interface ForecastListQuery {
  subdistrict?: Subdistrict;
  fullWithinH: number;
  limit: number;
}

const CACHE_MS = 60_000;
/** Live messages held while the demo history is written (it must come first, in time order). */
const MAX_HELD = 100_000;

export class ForecastService {
  readonly #options: ForecastServiceOptions;
  readonly #histories = new Map<string, CompartmentHistory>();
  /** Boxes whose history is still being read back after a restart: rated 'poor' meanwhile. */
  readonly #loading = new Set<string>();
  readonly #cache = new Map<string, { atMs: number; forecast: BoxForecast }>();
  #profile: { atMs: number; profile: DistrictProfile } = { atMs: -Infinity, profile: FLAT_PROFILE };
  #held: { message: DeviceMessage; device: Device }[] | null = null;
  #heldDropped = 0;
  #stopped = false;
  #seeding: Promise<void> | undefined;

  constructor(options: ForecastServiceOptions) {
    this.#options = options;
  }

  /** One accepted message (the live path, or the demo history). Cheap: O(compartments). */
  observe(message: DeviceMessage, device: Device): void {
    if (device.kind !== 'box') return;
    if (this.#held !== null) {
      if (this.#held.length < MAX_HELD) this.#held.push({ message, device });
      else this.#heldDropped++;
      return;
    }
    this.#apply(message, device);
  }

  /** Hold live messages until releaseLive(): the demo history's older messages go first. */
  holdLive(): void {
    this.#held ??= [];
  }

  releaseLive(): void {
    const held = this.#held ?? [];
    this.#held = null;
    if (this.#heldDropped > 0) {
      this.#options.logger.warn({ dropped: this.#heldDropped }, 'live messages beyond the hold limit were not seen by the forecasts (the next readings set the levels again)');
    }
    for (const { message, device } of held) this.#apply(message, device);
  }

  /** The demo history's messages: applied at once, ahead of the held live ones. */
  observeHistory(message: DeviceMessage, device: Device): void {
    if (device.kind === 'box') this.#apply(message, device);
  }

  /** Reads every box's recent readings back in the background (after a restart). */
  seedFrom(source: ReadingSource): void {
    const boxes = this.#options.registry.list({ kind: 'box' });
    for (const box of boxes) this.#loading.add(box.id);
    this.#seeding = this.#seed(boxes, source).catch((error: unknown) => {
      this.#options.logger.error({ err: error }, 'forecast histories could not be read back: forecasts learn from live messages only');
      this.#loading.clear();
    });
  }

  /** Settles when the read-back is done (or was never started). */
  get seeded(): Promise<void> {
    return this.#seeding ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#seeding;
  }

  /** The box's forecast now; null for a camera or a box without compartments. */
  boxForecast(device: Device): BoxForecast | null {
    if (device.kind !== 'box' || device.compartments.length === 0) return null;
    const now = this.#options.now();
    const cached = this.#cache.get(device.id);
    if (cached && now - cached.atMs < CACHE_MS && now >= cached.atMs) return cached.forecast;
    const forecast = this.#forecast(device, now);
    this.#cache.set(device.id, { atMs: now, forecast });
    return forecast;
  }

  /**
   * The box's forecast as if it were emptied at atMs (a stop of an earlier plan): every
   * compartment from level 0 then, at its learned pace. Not cached.
   */
  boxForecastEmptiedAt(device: Device, atMs: number): BoxForecast | null {
    if (device.kind !== 'box' || device.compartments.length === 0) return null;
    return this.#forecast(device, atMs, (h) => ({ ...h, level: 0, levelAtMs: atMs, levelConfirmed: false, watchedUntilMs: atMs, readings: [] }));
  }

  /** Boxes with a compartment forecast to reach its full level within fullWithinH hours, soonest first. */
  list(query: ForecastListQuery): ForecastList {
    const now = this.#options.now();
    const untilMs = now + query.fullWithinH * HOUR_MS;
    const due: { at: number; forecast: BoxForecast }[] = [];
    const boxes = this.#options.registry.list({ kind: 'box', ...(query.subdistrict !== undefined && { subdistrict: query.subdistrict }) });
    for (const box of boxes) {
      const forecast = this.boxForecast(box);
      if (forecast === null) continue;
      const soonest = Math.min(...forecast.compartments.map((c) => (c.fullAt === null ? Infinity : Date.parse(c.fullAt))));
      if (soonest <= untilMs) due.push({ at: soonest, forecast });
    }
    due.sort((a, b) => a.at - b.at || a.forecast.deviceId.localeCompare(b.forecast.deviceId));
    return { at: new Date(now).toISOString(), total: due.length, items: due.slice(0, query.limit).map((d) => d.forecast) };
  }

  /** `as` turns a compartment's history into the one to forecast from (a copy: histories are live). */
  #forecast(device: Device, now: number, as: (h: CompartmentHistory) => CompartmentHistory = (h) => h): BoxForecast {
    const options = { fullLevel: this.#options.fullLevelFor(device), profile: this.#districtProfile(now) };
    const forecast = boxForecastOf(device, now, options, (category, capacityKg) => as(this.#history(device.id, category, capacityKg)));
    if (this.#loading.has(device.id)) {
      for (const out of forecast.compartments) out.reliability = { rating: 'poor', reasons: ['loading_history', ...out.reliability.reasons] };
    }
    return forecast;
  }

  /**
   * The district's hour-of-week rhythm pooled over every compartment (as in the backtest): a
   * young compartment follows it. Recomputed at most hourly (~0.5 M additions for 3,000 compartments).
   */
  #districtProfile(now: number): DistrictProfile {
    if (Math.abs(now - this.#profile.atMs) < HOUR_MS) return this.#profile.profile;
    this.#profile = { atMs: now, profile: pooledDistrictProfile(this.#histories.values()) };
    return this.#profile.profile;
  }

  #history(deviceId: string, category: string, capacityKg: number): CompartmentHistory {
    const key = `${deviceId}/${category}`;
    let h = this.#histories.get(key);
    if (h === undefined) {
      h = newCompartmentHistory(capacityKg, this.#options.utcOffsetMinutes);
      this.#histories.set(key, h);
    }
    return h;
  }

  #apply(message: DeviceMessage, device: Device): void {
    const capacity = (category: string): number | undefined => device.compartments.find((c) => c.category === category)?.capacityKg;
    const touched = observeBoxMessage(message, (category) => {
      const kg = capacity(category);
      return kg === undefined ? undefined : this.#history(device.id, category, kg);
    });
    if (touched) this.#cache.delete(device.id);
  }

  async #seed(boxes: readonly Device[], source: ReadingSource): Promise<void> {
    const { seedDays = 14, boxesPerTurn = 5, utcOffsetMinutes, logger } = this.#options;
    const started = performance.now();
    for (let i = 0; i < boxes.length && !this.#stopped; i += boxesPerTurn) {
      for (const box of boxes.slice(i, i + boxesPerTurn)) {
        const toMs = this.#options.now() + 1;
        const readings = await source(box.id, toMs - seedDays * DAY_MS, toMs);
        if (this.#stopped) return;
        for (const spec of box.compartments) {
          const own = readings.filter((r) => r.category === spec.category);
          if (own.length === 0) continue;
          this.#histories.set(`${box.id}/${spec.category}`, historyFromReadings(own, spec.capacityKg, utcOffsetMinutes));
        }
        this.#loading.delete(box.id);
        this.#cache.delete(box.id);
      }
      await turn();
    }
    logger.info({ boxes: boxes.length, seconds: Math.round((performance.now() - started) / 100) / 10 }, 'forecast histories read back from the store');
  }
}

/** One simulated day of the whole district (605 boxes, 54 cameras) through the pure core. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, type CameraDetection, type Device, type DeviceMessage } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDayStart, localHourOfDay } from '../../../shared/units.ts';
import type { SimAction } from '../../../simulators/core/context.ts';
import { createFleetSimulation, type FleetSimulation } from '../../../simulators/core/fleet.ts';
import { sha256, testFleet } from './fleet-fixture.ts';

const START = localDayStart('2026-11-25', 480);
type Published<C extends DeviceMessage['channel']> = Extract<SimAction, { type: 'publish'; channel: C }>;

let sim: FleetSimulation;
let fleet: Device[];
let actions: SimAction[];
const published = <C extends DeviceMessage['channel']>(channel: C): Published<C>[] =>
  actions.filter((a): a is Published<C> => a.type === 'publish' && a.channel === channel);

beforeAll(() => {
  fleet = testFleet(605, 54);
  sim = createFleetSimulation({ seed: 'tianning', startMs: START, devices: fleet, hashResident: sha256 });
  actions = sim.advanceTo(START + DAY_MS);
});

describe('one simulated day, district-wide', () => {
  it('recovers 60–80 t from about 20,000 deposits', () => {
    const deposits = published('event/deposit');
    const tonnes = deposits.reduce((sum, a) => sum + a.payload.weightKg, 0) / 1000;
    expect(tonnes).toBeGreaterThan(60);
    expect(tonnes).toBeLessThan(80);
    expect(deposits.length).toBeGreaterThan(17_000);
    expect(deposits.length).toBeLessThan(23_000);
    expect(new Set(deposits.map((a) => a.payload.eventId)).size).toBe(deposits.length);
  });

  it('deposits peak in the morning and the evening and are rare at night', () => {
    const kgByHour = new Array<number>(24).fill(0);
    for (const a of published('event/deposit')) kgByHour[Math.floor(localHourOfDay(a.atMs, 480))]! += a.payload.weightKg;
    const total = kgByHour.reduce((a, b) => a + b, 0);
    const midday = (kgByHour[12]! + kgByHour[13]! + kgByHour[14]!) / 3;
    expect(Math.max(kgByHour[7]!, kgByHour[8]!)).toBeGreaterThan(1.8 * midday);
    expect(Math.max(kgByHour[18]!, kgByHour[19]!, kgByHour[20]!)).toBeGreaterThan(1.8 * midday);
    for (const h of [2, 3, 4]) expect(kgByHour[h]! / total).toBeLessThan(0.005);
  });

  it('paper is the largest share of kg, metal the smallest', () => {
    const kg: Record<string, number> = {};
    for (const a of published('event/deposit')) kg[a.payload.category] = (kg[a.payload.category] ?? 0) + a.payload.weightKg;
    const total = Object.values(kg).reduce((a, b) => a + b, 0);
    expect(kg.paper! / total).toBeGreaterThan(0.33);
    expect(kg.paper! / total).toBeLessThan(0.47);
    expect(Math.min(...Object.values(kg))).toBe(kg.metal);
  });

  it('collectors empty compartments at or above 0.7 during the rounds, down to ~0', () => {
    const collections = published('event/collection');
    expect(collections.length).toBeGreaterThan(300);
    const lastLevel = new Map<string, number>();
    const emptiedAt = new Map<string, Set<string>>();
    for (const a of actions) {
      if (a.type !== 'publish') continue;
      if (a.channel === 'telemetry') {
        for (const c of a.payload.compartments) {
          const key = `${a.deviceId}/${c.category}`;
          if (emptiedAt.get(a.deviceId)?.has(c.category)) expect(c.fillingLevel).toBeLessThan(0.1);
          lastLevel.set(key, c.fillingLevel);
        }
        emptiedAt.delete(a.deviceId);
      } else if (a.channel === 'event/collection') {
        const hour = localHourOfDay(a.atMs, 480);
        expect((hour >= 7.5 && hour < 11.5) || (hour >= 13.5 && hour < 17.5)).toBe(true);
        expect(a.payload.collectorId).toMatch(/^collector-\d{2}$/);
        for (const c of a.payload.compartments) {
          expect(c.weightKg).toBeGreaterThan(0);
          expect(lastLevel.get(`${a.deviceId}/${c.category}`) ?? 1).toBeGreaterThanOrEqual(0.69);
        }
        emptiedAt.set(a.deviceId, new Set(a.payload.compartments.map((c) => c.category)));
      }
    }
  });

  it('no compartment ever reads above 1, and overflow only comes with a full reading', () => {
    const bad = published('telemetry').flatMap((a) =>
      a.payload.compartments.filter((c) => c.fillingLevel > 1 || (c.overflow && c.fillingLevel !== 1)).map((c) => `${a.deviceId} ${JSON.stringify(c)}`),
    );
    expect(bad).toEqual([]);
    // A full compartment refuses deposits; collections keep that rare.
    expect(sim.stats.refusedDeposits).toBeLessThan(sim.stats.deposits * 0.02);
  });

  it('every payload parses with its channel schema, from a device kind allowed there; every device reports', () => {
    const kindOf = new Map(fleet.map((d) => [d.id, d.kind]));
    const problems: string[] = [];
    for (const a of actions) {
      if (a.type !== 'publish') continue;
      const spec = DEVICE_CHANNELS[a.channel];
      const parsed = spec.schema.safeParse(a.payload);
      if (!parsed.success) problems.push(`${a.deviceId} ${a.channel}: ${parsed.error.message}`);
      if (!(spec.publishers as readonly string[]).includes(kindOf.get(a.deviceId) ?? '?')) problems.push(`${a.deviceId} may not publish ${a.channel}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const reporting = new Set(actions.filter((a) => a.type === 'publish' && (a.channel === 'telemetry' || a.channel === 'heartbeat')).map((a) => a.deviceId));
    expect(reporting.size).toBe(659);
  });

  it('cameras see a few cases a day each; illegal dumping only at the hotspots, mostly at night', () => {
    const starts = published('detection').filter((a) => a.payload.phase === 'start');
    expect(starts.length / 54).toBeGreaterThan(1.5);
    expect(starts.length / 54).toBeLessThan(6);
    const hotspots = new Set(sim.hotspotCameraIds);
    expect(hotspots.size).toBe(5);
    for (const id of hotspots) expect(fleet.find((d) => d.id === id)?.cameraPointType).not.toBe('existing');
    const dumping = starts.filter((a) => a.payload.type === 'illegal_dumping');
    expect(dumping.length).toBeGreaterThan(0);
    for (const a of dumping) expect(hotspots.has(a.deviceId)).toBe(true);
    const atNight = dumping.filter((a) => {
      const h = localHourOfDay(a.atMs, 480);
      return h >= 21 || h < 5;
    });
    expect(atNight.length / dumping.length).toBeGreaterThanOrEqual(0.6);
  });

  it('each case is one start, then updates, then at most one end, all with the same eventId', () => {
    const cases = new Map<string, CameraDetection[]>();
    for (const a of published('detection')) cases.set(a.payload.eventId, [...(cases.get(a.payload.eventId) ?? []), a.payload]);
    let ended = 0;
    for (const phases of cases.values()) {
      expect(phases[0]!.phase).toBe('start');
      const ends = phases.filter((p) => p.phase === 'end');
      expect(ends.length).toBeLessThanOrEqual(1);
      if (ends.length === 1) {
        ended++;
        expect(phases.at(-1)!.phase).toBe('end');
      }
      expect(new Set(phases.map((p) => p.type)).size).toBe(1);
      for (const p of phases) expect(p.confidence).toBeGreaterThanOrEqual(0.6);
    }
    expect(ended).toBeGreaterThan(cases.size * 0.8);
  });

  it('telemetry follows the day: colder at dawn than in the afternoon', () => {
    const mean = (from: number, to: number): number => {
      const temps = published('telemetry')
        .filter((a) => a.payload.status === 'ok' && localHourOfDay(a.atMs, 480) >= from && localHourOfDay(a.atMs, 480) < to)
        .map((a) => a.payload.temperatureC);
      return temps.reduce((x, y) => x + y, 0) / temps.length;
    };
    expect(mean(13, 15)).toBeGreaterThan(mean(4, 6) + 5);
    const hot = published('telemetry').filter((a) => a.payload.status === 'ok' && a.payload.temperatureC >= 30);
    expect(hot).toEqual([]);
  });
});

/**
 * ProgressService's schedule and bookkeeping with a fake clock and fake timers: the check runs at
 * start and on each tick, only the newest plan of a shift is checked, old collections are pruned
 * at most hourly, stop() clears its timer; and the collection_missed commands themselves.
 */
import { describe, expect, it } from 'vitest';
import type { BoxForecast, Device, Plan } from '../../../shared/contracts/index.ts';
import { collectionMissedCommands, collectionServedCommands } from '../../../services/alerts/core/collection-missed.ts';
import type { SystemAlertCommand } from '../../../services/alerts/core/ports.ts';
import { ProgressService } from '../../../services/planning/progress-service.ts';
import { makeDevice, MemoryCollectionLog } from '../../support/api-fakes.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = Date.parse('2026-05-10T22:00:00Z'); // 06:00 on 11 May, district time
const END = START + 8 * 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

function planOf(id: string, createdAtMs: number, deviceIds: string[]): Plan {
  return {
    id,
    createdAt: iso(createdAtMs),
    createdBy: 'test',
    shift: { date: '2026-05-11', startAt: iso(START), endAt: iso(END) },
    routes: [
      {
        vehicleId: 'V001',
        plate: '苏D·H0001',
        depotId: 'S001',
        stops: deviceIds.map((deviceId, i) => ({
          sequence: i + 1,
          deviceId,
          name: deviceId,
          community: 'Qingfeng',
          position: { lat: 0, lon: 0 },
          eta: iso(START + (i + 1) * 30 * MIN),
          dueAt: null,
          expectedKg: 50,
          kgByCategory: { paper: 50 },
        })),
        km: 5,
        durationMinutes: 60,
        loadKg: 50,
        capacityKg: 2000,
      },
    ],
    unassigned: [],
    totals: { stops: deviceIds.length, km: 5, kg: 50, vehiclesUsed: 1 },
  };
}

const compartment = (category: 'paper' | 'plastic', level: number): BoxForecast['compartments'][number] => ({
  category,
  level,
  fillRatePerHour: 0,
  fullLevel: 0.9,
  ...{ fullAt: null, fullAtEarliest: null, fullAtLatest: null, overflowAt: null, overflowAtEarliest: null, overflowAtLatest: null },
  reliability: { rating: 'good', reasons: [] },
});

function forecastAt(device: Device, level: number): BoxForecast {
  return {
    deviceId: device.id,
    name: device.name,
    subdistrict: device.subdistrict,
    community: device.community,
    position: { lat: device.lat, lon: device.lon },
    at: iso(0),
    nextActuationDeadline: null,
    compartments: [compartment('plastic', 0.3), compartment('paper', level)],
  };
}

function harness(plans: Plan[], levels: Record<string, number>) {
  const clock = { now: END + 31 * MIN };
  const timers = { handles: [] as (() => void)[], cleared: [] as unknown[] };
  const applied: SystemAlertCommand[][] = [];
  const log = new MemoryCollectionLog();
  const devices = new Map(Object.keys(levels).map((id) => [id, makeDevice(id)]));
  const service = new ProgressService({
    plans: { get: (id) => plans.find((p) => p.id === id), listByDate: (date) => plans.filter((p) => p.shift.date === date) },
    log,
    boxes: { get: (id) => devices.get(id) },
    forecasts: { boxForecast: (device) => forecastAt(device, levels[device.id]!) },
    alerts: { applySystemCommands: (commands) => void applied.push([...commands]) },
    utcOffsetMinutes: 480,
    now: () => clock.now,
    timers: {
      setInterval: (fn) => timers.handles.push(fn) - 1,
      clearInterval: (handle) => void timers.cleared.push(handle),
    },
  });
  const tick = () => timers.handles[0]!();
  return { clock, timers, tick, applied, log, service };
}

const raisedKeys = (applied: SystemAlertCommand[][]) => applied.flat().filter((c) => c.op === 'raise').map((c) => c.key);

describe('ProgressService schedule', () => {
  it('checks at start and on every tick, each plan once; stop() clears the timer', () => {
    const h = harness([planOf('pln_a', START - DAY, ['B1', 'B2'])], { B1: 0.95, B2: 0.4 });
    h.clock.now = END; // the shift has ended, the grace has not
    h.service.start();
    expect(raisedKeys(h.applied)).toEqual([]);
    h.clock.now = END + 31 * MIN;
    h.tick();
    expect(raisedKeys(h.applied)).toEqual(['collection_missed:B1']);
    h.tick();
    expect(raisedKeys(h.applied)).toEqual(['collection_missed:B1']);
    h.service.stop();
    expect(h.timers.cleared).toEqual([0]);
  });

  it('of two plans for the same shift, only the newest is checked (the vehicles follow it)', () => {
    const h = harness([planOf('pln_old', START - DAY, ['B1']), planOf('pln_new', START - DAY + 60 * MIN, ['B2'])], { B1: 0.95, B2: 0.92 });
    expect(raisedKeys([h.service.checkMissed()])).toEqual(['collection_missed:B2']);
  });

  it('prunes collections older than 35 days at start and then at most once an hour', () => {
    const h = harness([], {});
    const old = { deviceId: 'B1', vehicleId: 'V001', kgByCategory: { paper: 1 } };
    h.log.record({ ...old, eventId: 'e1', atMs: h.clock.now - 35 * DAY - 1 });
    h.log.record({ ...old, eventId: 'e2', atMs: h.clock.now - 35 * DAY + 30 * MIN });
    h.service.start();
    expect(h.log.rows.map((r) => r.eventId)).toEqual(['e2']);
    h.clock.now += 59 * MIN;
    h.tick();
    expect(h.log.rows.map((r) => r.eventId)).toEqual(['e2']);
    h.clock.now += MIN;
    h.tick();
    expect(h.log.rows).toEqual([]);
  });

  it('logs a collection event once and resolves the box alert on it; other channels and replays do nothing', () => {
    const h = harness([], { B1: 0.5 });
    const device = makeDevice('B1');
    const payload = { ts: iso(START), eventId: 'e1', collectorId: 'c', vehicleId: 'V001', compartments: [{ category: 'paper' as const, weightKg: 3 }] };
    h.service.observe({ deviceId: 'B1', channel: 'event/collection', payload }, device);
    h.service.observe({ deviceId: 'B1', channel: 'event/collection', payload }, device);
    h.service.observe({ deviceId: 'B1', channel: 'event/deposit', payload: { ts: iso(START), eventId: 'd1', category: 'paper', weightKg: 1, residentHash: 'a'.repeat(64), points: 1 } }, device);
    expect(h.log.rows).toHaveLength(1);
    expect(h.applied).toEqual([collectionServedCommands('B1', h.clock.now)]);
  });
});

describe('collectionMissedCommands', () => {
  const device = makeDevice('B7', { name: 'Box seven' });
  const stop = (level: number) => ({ device, planId: 'pln_x', plate: '苏D·H0001', forecast: forecastAt(device, level) });

  it('raises a warning about the box, naming its fullest full compartment, at the full level itself too', () => {
    const [raise] = collectionMissedCommands(stop(0.9), 1000);
    expect(raise).toMatchObject({ op: 'raise', key: 'collection_missed:B7', type: 'collection_missed', severity: 'warning', subject: { device, compartment: 'paper' }, evidence: { fillingLevel: 0.9 }, at: 1000 });
    expect(raise?.op === 'raise' ? raise.message : null).toEqual({ code: 'collection_missed.full', params: { place: 'Box seven, Qingfeng', category: 'paper', percent: 90, plate: '苏D·H0001', planId: 'pln_x' } });
  });

  it('raises nothing below the full level or without a forecast', () => {
    expect(collectionMissedCommands(stop(0.89), 1000)).toEqual([]);
    expect(collectionMissedCommands({ ...stop(1), forecast: null }, 1000)).toEqual([]);
  });
});

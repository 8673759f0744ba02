/**
 * Proof of service core: a hand-made plan (a 06:00–14:00 shift, 22:00–06:00 UTC) and collections
 * at chosen instants; every status, the window's and the lateness allowance's boundaries,
 * duplicates, and collections outside the window or at boxes no route visits.
 */
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../shared/contracts/index.ts';
import type { LoggedCollection } from '../../../services/planning/core/collection-log.ts';
import { collectionWindow, planProgress, windowClosed } from '../../../services/planning/core/progress.ts';

const MIN = 60_000;
const START = Date.parse('2026-12-06T22:00:00Z');
const END = START + 8 * 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

function stop(sequence: number, deviceId: string, etaMin: number): Plan['routes'][number]['stops'][number] {
  return {
    sequence,
    deviceId,
    name: `Box ${deviceId}`,
    community: 'hongmei-xincun',
    position: { lat: 31.78, lon: 119.97 },
    eta: iso(START + etaMin * MIN),
    dueAt: null,
    expectedKg: 40,
    kgByCategory: { paper: 40 },
  };
}

function route(vehicleId: string, stops: Plan['routes'][number]['stops']): Plan['routes'][number] {
  return { vehicleId, plate: `苏D·${vehicleId}`, depotId: 'ts-1', stops, km: 10, durationMinutes: 120, loadKg: 80, capacityKg: 3000 };
}

const plan: Plan = {
  id: 'pln_test',
  createdAt: iso(START - 12 * 60 * MIN),
  createdBy: 'test',
  shift: { date: '2026-12-07', startAt: iso(START), endAt: iso(END) },
  routes: [route('V1', [stop(1, 'B1', 30), stop(2, 'B2', 90), stop(3, 'B3', 460)]), route('V2', [stop(1, 'B4', 60)]), route('V3', [])],
  unassigned: [],
  totals: { stops: 4, km: 20, kg: 160, vehiclesUsed: 2 },
};

let seq = 0;
function collection(deviceId: string, atMs: number, kg = 30, vehicleId = 'V1', eventId = `c-${++seq}`): LoggedCollection {
  return { deviceId, eventId, atMs, vehicleId, kgByCategory: { paper: kg - 10, plastic: 10 } };
}

const statuses = (p: ReturnType<typeof planProgress>) => p.routes.map((r) => r.stops.map((s) => s.status));

describe('planProgress', () => {
  it('before any collection, every stop is pending; a route without stops is complete', () => {
    const p = planProgress(plan, [], START + 60 * MIN);
    expect(p.ended).toBe(false);
    expect(statuses(p)).toEqual([['pending', 'pending', 'pending'], ['pending'], []]);
    expect(p.routes.map((r) => r.completion)).toEqual([0, 0, 1]);
    expect(p.totals).toEqual({ done: 0, late: 0, missed: 0, pending: 4, stops: 4, unplanned: 0, collectedKg: 0, completion: 0 });
    expect(p.lateAfterMinutes).toBe(30);
    expect(p.at).toBe(iso(START + 60 * MIN));
  });

  it('a collection by ETA + 30 min is done (early counts too), one after is late, with minutes from the ETA, kg and vehicle', () => {
    const collections = [
      collection('B1', START + 10 * MIN, 25), // 20 min early
      collection('B2', START + 120 * MIN, 40, 'V9'), // exactly ETA + 30
      collection('B4', START + 90 * MIN + 1, 12, 'V2'), // ETA + 30 min + 1 ms
    ];
    const p = planProgress(plan, collections, START + 180 * MIN);
    expect(statuses(p)).toEqual([['done', 'done', 'pending'], ['late'], []]);
    const [b1, b2] = p.routes[0]!.stops;
    expect(b1).toEqual({ sequence: 1, deviceId: 'B1', status: 'done', eta: iso(START + 30 * MIN), collectedAt: iso(START + 10 * MIN), collectedKg: 25, collectedBy: 'V1', minutesFromEta: -20 });
    expect(b2).toMatchObject({ status: 'done', collectedKg: 40, collectedBy: 'V9', minutesFromEta: 30 });
    expect(p.routes[1]!.stops[0]).toMatchObject({ status: 'late', collectedBy: 'V2', minutesFromEta: 30 });
    expect(p.routes[0]).toMatchObject({ counts: { done: 2, late: 0, missed: 0, pending: 1 }, completion: 0.667, collectedKg: 65 });
    expect(p.totals).toMatchObject({ done: 2, late: 1, pending: 1, missed: 0, stops: 4, collectedKg: 77, completion: 0.75 });
  });

  it('a lateness allowance of its own moves the line', () => {
    const p = planProgress(plan, [collection('B1', START + 40 * MIN)], START + 180 * MIN, { lateAfterMinutes: 5 });
    expect(p.routes[0]!.stops[0]!.status).toBe('late');
    expect(p.lateAfterMinutes).toBe(5);
  });

  it('the window is the shift plus 30 min of grace, both ends included', () => {
    expect(collectionWindow(plan.shift)).toEqual({ fromMs: START, toMs: END + 30 * MIN });
    const atStart = planProgress(plan, [collection('B1', START)], START + 60 * MIN);
    expect(atStart.routes[0]!.stops[0]!.status).toBe('done');
    const atWindowEnd = planProgress(plan, [collection('B3', END + 30 * MIN)], END + 31 * MIN);
    expect(atWindowEnd.routes[0]!.stops[2]).toMatchObject({ status: 'late', minutesFromEta: 50 });
  });

  it('a collection before the shift or after the window does not count', () => {
    const p = planProgress(plan, [collection('B1', START - 1), collection('B2', END + 30 * MIN + 1), collection('B9', START - 1)], END + 60 * MIN);
    expect(p.routes[0]!.stops.slice(0, 2).map((s) => s.status)).toEqual(['missed', 'missed']);
    expect(p.unplanned).toEqual([]);
  });

  it('at the shift end and through the grace stops are still pending; after the window they are missed', () => {
    expect(windowClosed(plan.shift, END + 30 * MIN)).toBe(false);
    expect(windowClosed(plan.shift, END + 30 * MIN + 1)).toBe(true);
    const atEnd = planProgress(plan, [collection('B1', START + 20 * MIN)], END);
    expect(atEnd.ended).toBe(false);
    expect(statuses(atEnd)).toEqual([['done', 'pending', 'pending'], ['pending'], []]);
    const after = planProgress(plan, [collection('B1', START + 20 * MIN)], END + 30 * MIN + 1);
    expect(after.ended).toBe(true);
    expect(statuses(after)).toEqual([['done', 'missed', 'missed'], ['missed'], []]);
    expect(after.totals).toMatchObject({ done: 1, missed: 3, pending: 0, completion: 0.25 });
  });

  it('the first collection in the window serves the stop; the same event twice counts once', () => {
    const first = collection('B1', START + 40 * MIN, 30, 'V1', 'evt-1');
    const p = planProgress(plan, [collection('B1', START + 200 * MIN, 5), first, { ...first }, collection('B1', START - 5 * MIN)], START + 300 * MIN);
    expect(p.routes[0]!.stops[0]).toMatchObject({ status: 'done', collectedAt: iso(START + 40 * MIN), collectedKg: 30 });
    const dup = planProgress(plan, [collection('B9', START + 50 * MIN, 20, 'V1', 'evt-9'), collection('B9', START + 50 * MIN, 20, 'V1', 'evt-9')], START + 300 * MIN);
    expect(dup.unplanned).toHaveLength(1);
  });

  it('collections in the window at boxes no route visits are unplanned, oldest first, and count in the total kg', () => {
    const p = planProgress(plan, [collection('B8', START + 200 * MIN, 15, 'V3'), collection('B9', START + 100 * MIN, 20, 'V2'), collection('B1', START + 30 * MIN, 30)], START + 300 * MIN);
    expect(p.unplanned).toEqual([
      { deviceId: 'B9', collectedAt: iso(START + 100 * MIN), collectedKg: 20, collectedBy: 'V2' },
      { deviceId: 'B8', collectedAt: iso(START + 200 * MIN), collectedKg: 15, collectedBy: 'V3' },
    ]);
    expect(p.totals).toMatchObject({ unplanned: 2, collectedKg: 65, done: 1 });
  });

  it('a box in two routes (the planner never makes one) is served for both by one collection', () => {
    const twice: Plan = { ...plan, routes: [route('V1', [stop(1, 'B1', 30)]), route('V2', [stop(1, 'B1', 45)])] };
    const p = planProgress(twice, [collection('B1', START + 40 * MIN)], START + 60 * MIN);
    expect(statuses(p)).toEqual([['done'], ['done']]);
  });
});

/**
 * The closed loop's simulator half (issue 13) against a real broker: under --collection plan the
 * vehicles log in, read their retained plan and serve its stops in order; nothing else empties a box.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectionEvent, type VehiclePlan, vehiclePlanTopic } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { runSimulation, type SimulationHandle } from '../../../simulators/main.ts';
import { testFleet } from '../../unit/simulators/fleet-fixture.ts';
import { type ObservedMessage, type TestBroker, observe, startTestBroker, waitFor } from './test-broker.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const members = testFleet(8, 0).map((device) => ({ device, secret: `secret-of-${device.id}-0123456789` }));
const vehicle = (id: string, n: number) => ({
  vehicle: { id, plate: `苏D·H000${n}`, capacityKg: 8000, depotId: 'station-01' },
  secret: `secret-of-${id}-0123456789`,
});
/** truck-01 gets the plan; truck-02's topic gets garbage; truck-03's secret is wrong. */
const vehicles = [vehicle('truck-01', 1), vehicle('truck-02', 2), { ...vehicle('truck-03', 3), secret: 'not-the-secret-of-truck-03' }];
const secrets = new Map([...members.map((m) => [m.device.id, m.secret] as const), ...vehicles.slice(0, 2).map((v) => [v.vehicle.id, v.secret] as const)]);

/** Two simulated hours behind the real clock: the fleet can run fast without catching up. */
const START = Date.now() - 2 * 3_600_000;
const ROUTE = ['box-0006', 'box-0002', 'box-0005'];
const iso = (ms: number) => new Date(ms).toISOString();

const plan: VehiclePlan = {
  planId: 'plan-it-1',
  publishedAt: iso(START - MIN),
  // The shift starts 5 simulated minutes into the run; stops 10 minutes apart after a 10-minute drive.
  shift: { date: iso(START).slice(0, 10), startAt: iso(START + 5 * MIN), endAt: iso(START + 5 * MIN + 8 * 3_600_000) },
  route: {
    vehicleId: 'truck-01',
    plate: '苏D·H0001',
    depotId: 'station-01',
    km: 6,
    durationMinutes: 52,
    loadKg: 120,
    capacityKg: 8000,
    stops: ROUTE.map((deviceId, k) => ({
      sequence: k + 1,
      deviceId,
      name: deviceId,
      community: 'c',
      position: { lat: 31.78, lon: 119.97 },
      eta: iso(START + (15 + 10 * k) * MIN),
      dueAt: null,
      expectedKg: 40,
      kgByCategory: { paper: 40 },
    })),
  },
};

let broker: TestBroker;
let sim: SimulationHandle;
let seen: ObservedMessage[];
let closeObserver: () => Promise<void>;
const lines: string[] = [];

beforeAll(async () => {
  broker = await startTestBroker(secrets);
  const observer = await observe(broker.url, 'observer-plans');
  seen = observer.messages;
  closeObserver = () => observer.client.endAsync();
  // As the platform does: retained, so the vehicle reads it whenever it connects.
  await observer.client.publishAsync(vehiclePlanTopic('truck-01'), JSON.stringify(plan), { qos: 1, retain: true });
  await observer.client.publishAsync(vehiclePlanTopic('truck-02'), JSON.stringify({ planId: 7 }), { qos: 1, retain: true });
  sim = await runSimulation({
    url: broker.url,
    devices: members,
    vehicles,
    collection: 'plan',
    speed: 600,
    startMs: START,
    seed: 'integration',
    quiet: true,
    tickMs: 50,
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await sim?.stop();
  await closeObserver?.();
  await broker?.close();
});

const collections = () =>
  seen.filter((m) => m.channel === 'event/collection').map((m) => ({ deviceId: m.deviceId, payload: CollectionEvent.parse(m.payload) }));

type Collection = { deviceId: string; payload: CollectionEvent };
const byTime = (list: Collection[]) => [...list].sort((a, b) => Date.parse(a.payload.ts) - Date.parse(b.payload.ts));

describe('vehicles following plans', () => {
  it("serve the plan's stops in route order, naming the vehicle, and no other box is emptied", async () => {
    await waitFor('the three planned collections', () => collections().length >= 3, 60_000);
    // An hour of simulated time past the last ETA: any fixed round or stray collection would show by now.
    await waitFor('an hour past the route', () => sim.stats().simMs >= START + 2 * 3_600_000 - 10 * MIN || sim.stats().caughtUp, 60_000);
    // By the boxes' own timestamps: three clients' messages may reach the observer in any order.
    const got = byTime(collections());
    expect(got.map((c) => c.deviceId)).toEqual(ROUTE);
    for (const c of got) expect(c.payload).toMatchObject({ vehicleId: 'truck-01', collectorId: 'crew-truck-01' });
    const times = got.map((c) => Date.parse(c.payload.ts));
    expect(new Set(times).size).toBe(3);
    // The crew left at the shift start: the first stop comes after 10 minutes of driving at the day's pace (0.9-1.25).
    expect(times[0]! - (START + 5 * MIN)).toBeGreaterThanOrEqual(9 * MIN - 1000);
    expect(times[0]! - (START + 5 * MIN)).toBeLessThanOrEqual(12.5 * MIN + 1000);
    expect(sim.stats().vehicles).toMatchObject({ total: 3, plans: 1, stopsServed: 3, stopsAbandoned: 0 });
  });

  it("log in with their own credentials; a refused one is parked and counted, a bad plan counted, nothing crashes", async () => {
    await waitFor('vehicles connected', () => sim.stats().vehicles?.connected === 2);
    expect(broker.accepted.get('truck-01')).toBe('truck-01');
    expect(broker.accepted.has('truck-03')).toBe(false);
    expect(sim.stats().vehicles).toMatchObject({ refused: 1, badPlans: 1 });
    expect(lines.join('\n')).toMatch(/truck-03: .*(refused|authori).*parked/i);
    expect(lines.join('\n')).toMatch(/truck-02: bad plan ignored: not a VehiclePlan: planId/);
    expect(sim.stats().running).toBe(true);
  });
});

describe('after a history replay', () => {
  // The platform wrote the history with fixed rounds; the replay keeps them, the live fleet follows plans.
  const boxes = testFleet(20, 0).map((device) => ({ device, secret: `secret-of-${device.id}-0123456789` }));
  const now = Date.now();
  const span = { fromMs: localDayStart(localDay(now - 2 * DAY_MS, 480), 480), untilMs: now - 20 * 3_600_000 };
  // 20 hours go live at once: each box passes at least one round window (08-11, 14-17) in them.
  const livePlan: VehiclePlan = {
    ...plan,
    planId: 'plan-after-history',
    publishedAt: iso(span.untilMs),
    shift: { date: localDay(span.untilMs + HOUR, 480), startAt: iso(span.untilMs + HOUR), endAt: iso(span.untilMs + 9 * HOUR) },
    route: { ...plan.route, stops: plan.route.stops.map((s, k) => ({ ...s, eta: iso(span.untilMs + HOUR + (15 + 10 * k) * MIN) })) },
  };

  const liveCollections = async (collection: 'fixed' | 'plan') => {
    const b = await startTestBroker(new Map([...boxes.map((m) => [m.device.id, m.secret] as const), [vehicles[0]!.vehicle.id, vehicles[0]!.secret] as const]));
    const o = await observe(b.url, `observer-${collection}`);
    try {
      await o.client.publishAsync(vehiclePlanTopic('truck-01'), JSON.stringify(livePlan), { qos: 1, retain: true });
      const run = await runSimulation({
        url: b.url, devices: boxes, vehicles: vehicles.slice(0, 1), collection, history: span, durationMs: 20 * HOUR - MIN,
        depositRate: 3, seed: 'history-plan', quiet: true, tickMs: 50, log: () => {},
      });
      await run.finished;
      // The last events of the run are acknowledged before it ends; the observer may trail a little.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return o.messages.filter((m) => m.channel === 'event/collection').map((m) => ({ deviceId: m.deviceId, payload: CollectionEvent.parse(m.payload) }));
    } finally {
      await o.client.endAsync();
      await b.close();
    }
  };

  it('replays on fixed rounds and goes live on plans: only the planned stops are collected', async () => {
    const fixed = await liveCollections('fixed');
    // The control: on fixed rounds those 20 hours have collections by the round collectors.
    expect(fixed.length).toBeGreaterThan(0);
    expect(fixed.every((c) => c.payload.collectorId.startsWith('collector-'))).toBe(true);
    const planned = await liveCollections('plan');
    expect(byTime(planned).map((c) => c.deviceId)).toEqual(ROUTE);
    for (const c of planned) expect(c.payload.vehicleId).toBe('truck-01');
  }, 120_000);
});

/**
 * Plans to vehicles over MQTT (issue 13), all real: the SQLite fleet registry and plan store in a
 * temp dir, the plan service over the live forecasts, the broker on ephemeral ports, and
 * mqtt.js clients logging in as the vehicles with the secrets the registry handed out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VehiclePlan, vehiclePlanTopic, type Plan } from '../../../shared/contracts/index.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { MqttPlanPublisher } from '../../../services/planning/adapters/mqtt-plan-publisher.ts';
import { SqlitePlanStore } from '../../../services/planning/adapters/sqlite-plan-store.ts';
import { ForecastService } from '../../../services/planning/forecast-service.ts';
import { PlanService } from '../../../services/planning/plan-service.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { FIXED_NOW, makeDevice } from '../../support/api-fakes.ts';
import { feedPaperFill } from '../../support/forecast-feed.ts';
import {
  closed,
  connectDevice,
  refusals,
  refusedCode,
  startHarness,
  stopHarness,
  subackCodes,
  waitFor,
  type Harness,
} from '../broker/broker-harness.ts';

let dir: string;
let db: SqliteDatabase;
let registry: SqliteFleetRegistry;
let plans: PlanService;
let h: Harness | undefined;
let publisher: MqttPlanPublisher | undefined;
const secrets = new Map<string, string>();
let planCount = 0;

const silent = pino({ level: 'silent' });
/** Error lines of the plan service and the publisher. */
let errors: Array<{ msg: string; topic?: string; planId?: string }> = [];
const capture = () => pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });

function planServiceOver(database: SqliteDatabase): PlanService {
  const forecasts = new ForecastService({ registry, fullLevelFor: () => 0.9, utcOffsetMinutes: 480, now: () => FIXED_NOW, logger: silent });
  // Paper at 0.8 and 0.72 of 120 kg: both boxes are due for tomorrow's morning shift.
  feedPaperFill(forecasts, registry, { B001: 2, B002: 1.8 }, FIXED_NOW);
  return new PlanService({
    boxes: registry,
    sites: registry,
    forecasts,
    store: new SqlitePlanStore(database),
    utcOffsetMinutes: 480,
    now: () => FIXED_NOW,
    newId: () => `pln_${String(++planCount).padStart(3, '0')}`,
    logger: capture(),
  });
}

/** A broker logging in devices and vehicles from the registry, and a started plan publisher. */
async function startBrokerAndPublisher(service: PlanService): Promise<void> {
  h = await startHarness({ authenticator: registry, vehicleAuthenticator: registry });
  publisher = new MqttPlanPublisher({ plans: service, broker: h.broker, logger: capture(), now: () => FIXED_NOW + 60_000 });
  await publisher.start();
}

async function stopBrokerAndPublisher(): Promise<void> {
  await publisher?.stop();
  publisher = undefined;
  await stopHarness(h);
  h = undefined;
}

beforeEach(async () => {
  errors = [];
  dir = mkdtempSync(join(tmpdir(), 'bp-vehicle-plans-'));
  db = openDatabase(join(dir, 'binpulse.db'));
  registry = new SqliteFleetRegistry(db);
  registry.add(makeDevice('B001', { lat: 31.78, lon: 119.97 }));
  registry.add(makeDevice('B002', { lat: 31.79, lon: 119.98 }));
  registry.addStation({
    id: 'S001',
    name: 'Tianning transfer station',
    position: { lat: 31.775, lon: 119.965 },
    subdistrict: 'tianning',
    address: '1 Depot Road',
    operator: 'Tianning sanitation',
  });
  for (const [id, plate] of [['truck-A', '苏D·H0001'], ['truck-B', '苏D·H0002']] as const) {
    secrets.set(id, registry.addVehicle({ id, plate, capacityKg: 2000, depotId: 'S001' }).secret);
  }
  plans = planServiceOver(db);
  await startBrokerAndPublisher(plans);
});

afterEach(async () => {
  await stopBrokerAndPublisher();
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const vehicleOptions = (id: string, extra: Record<string, unknown> = {}) => ({
  clientId: id,
  username: id,
  password: secrets.get(id),
  reconnectPeriod: 0,
  connectTimeout: 20_000,
  ...extra,
});

interface Received {
  topic: string;
  retain: boolean;
  plan: VehiclePlan;
}

/** Connects as the vehicle, subscribes to its plan topic and collects what arrives. */
async function vehicleReading(id: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await connectDevice(h!, vehicleOptions(id));
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, retain: packet.retain, plan: VehiclePlan.parse(JSON.parse(payload.toString())) });
  });
  expect(await subackCodes(client, [vehiclePlanTopic(id)])).toEqual([1]);
  return { client, received };
}

const routeOf = (plan: Plan, vehicleId: string) => plan.routes.find((r) => r.vehicleId === vehicleId);

describe('plans to vehicles over MQTT', () => {
  it('gives every vehicle of a new plan exactly its route, retained, and the next plan replaces it', async () => {
    const plan = plans.create({ date: '2026-05-11', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 }, 'ops (operator)');
    expect(plan.totals.stops).toBe(2);
    await publisher!.idle();

    const a = await vehicleReading('truck-A');
    const b = await vehicleReading('truck-B');
    await waitFor(() => a.received.length === 1 && b.received.length === 1, 'both retained plans');
    for (const [reader, id] of [[a, 'truck-A'], [b, 'truck-B']] as const) {
      expect(reader.received[0]).toEqual({
        topic: `binpulse/v1/${id}/plan`,
        retain: true,
        plan: { planId: plan.id, publishedAt: new Date(FIXED_NOW + 60_000).toISOString(), shift: plan.shift, route: routeOf(plan, id) },
      });
    }
    // Both boxes are on the two routes together (one vehicle may have none: its route has no stops).
    const stops = [...a.received, ...b.received].flatMap((r) => r.plan.route.stops.map((s) => s.deviceId));
    expect(stops.sort()).toEqual(['B001', 'B002']);

    // A live subscriber gets the next plan too (not retained: it is a live delivery), and nothing between.
    const next = plans.create({ date: '2026-05-11', shift: { start: '14:00', end: '22:00' }, serviceMinutes: 4, skipBelow: 0.25, vehicles: ['truck-A'] }, 'ops');
    await waitFor(() => a.received.length === 2, "truck-A's next plan");
    expect(a.received[1]).toMatchObject({ topic: 'binpulse/v1/truck-A/plan', retain: false, plan: { planId: next.id, route: routeOf(next, 'truck-A') } });

    // A vehicle connecting now reads the newest retained route only.
    await a.client.endAsync();
    const again = await vehicleReading('truck-A');
    await waitFor(() => again.received.length === 1, 'the retained plan on reconnect');
    expect(again.received[0]!.plan.planId).toBe(next.id);
    expect(again.received[0]!.retain).toBe(true);
  });

  it("refuses a vehicle another vehicle's plan (SUBACK 128), and wildcards over the plans, keeping its connection", async () => {
    plans.create({ date: '2026-05-11', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 }, 'ops');
    await publisher!.idle();
    const b = await connectDevice(h!, vehicleOptions('truck-B'));
    const foreign: string[] = [];
    b.on('message', (topic) => foreign.push(topic));
    expect(await subackCodes(b, ['binpulse/v1/truck-A/plan', 'binpulse/v1/+/plan', 'binpulse/v1/truck-B/plan', '#'])).toEqual([128, 128, 1, 128]);
    expect(await refusals(h!, 'forbidden_subscription')).toBe(3);
    // Its own retained plan arrives on the same connection, and nothing of truck-A's came before it.
    await waitFor(() => foreign.length === 1, "truck-B's own plan");
    expect(foreign).toEqual(['binpulse/v1/truck-B/plan']);
    expect(b.connected).toBe(true);
  });

  it('refuses a bad secret, another client id, a last will, and closes a vehicle that publishes', async () => {
    expect(await refusedCode(h!, vehicleOptions('truck-A', { password: secrets.get('truck-B') }))).toBe(4);
    expect(await refusals(h!, 'bad_secret')).toBe(1);
    expect(await refusedCode(h!, vehicleOptions('truck-A', { clientId: 'truck-B' }))).toBe(2);
    expect(await refusedCode(h!, vehicleOptions('truck-A', { will: { topic: 'binpulse/v1/truck-A/plan', payload: Buffer.from('x'), qos: 0, retain: false } }))).toBe(5);
    expect(await refusedCode(h!, vehicleOptions('truck-Z', { password: 'whatever' }))).toBe(4);
    expect(await refusals(h!, 'unknown_device')).toBe(1);

    const a = await connectDevice(h!, vehicleOptions('truck-A'));
    const gone = closed(a);
    a.publish('binpulse/v1/truck-A/plan', '{}', { qos: 1, retain: true });
    await gone;
    expect(await refusals(h!, 'read_only')).toBe(2); // the will, then the publish
    // Vehicles are no devices: never counted as connected devices.
    expect(h!.broker.connectedDevices()).toBe(0);
  });

  it('after a restart (broker and publisher, store reopened) a newly connecting vehicle still gets its latest plan', async () => {
    const first = plans.create({ date: '2026-05-11', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 }, 'ops');
    const second = plans.create({ date: '2026-05-11', shift: { start: '14:00', end: '22:00' }, serviceMinutes: 4, skipBelow: 0.25, vehicles: ['truck-A'] }, 'ops');
    await stopBrokerAndPublisher();
    db.close();
    db = openDatabase(join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
    await startBrokerAndPublisher(planServiceOver(db));

    const a = await vehicleReading('truck-A');
    const b = await vehicleReading('truck-B');
    await waitFor(() => a.received.length === 1 && b.received.length === 1, 'the republished plans');
    expect(a.received[0]).toMatchObject({ retain: true, plan: { planId: second.id, route: routeOf(second, 'truck-A') } });
    // truck-B's newest plan is the first one: the second was made without it.
    expect(b.received[0]).toMatchObject({ retain: true, plan: { planId: first.id, route: routeOf(first, 'truck-B') } });
  });

  it('a failed publish or listener is logged, and the plan is still created and returned', async () => {
    await h!.broker.stop(); // every publish now rejects
    plans.onCreated(() => {
      throw new Error('a broken listener');
    });
    const plan = plans.create({ date: '2026-05-11', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 }, 'ops');
    expect(plans.get(plan.id)).toEqual(plan);
    await publisher!.idle();
    expect(errors.map((e) => [e.msg, e.topic ?? null, e.planId])).toEqual([
      ['plan listener failed (the plan is saved)', null, plan.id],
      ['retained vehicle plan publish failed', 'binpulse/v1/truck-A/plan', plan.id],
      ['retained vehicle plan publish failed', 'binpulse/v1/truck-B/plan', plan.id],
    ]);
  });

  it('a vehicle removed while connected gets nothing more and is disconnected; it cannot log in again', async () => {
    const a = await vehicleReading('truck-A');
    expect(registry.removeVehicle('truck-A')).toBe(true);
    // Its own plan topic is refused now too.
    expect(await subackCodes(a.client, [vehiclePlanTopic('truck-A')])).toEqual([128]);
    expect(await refusals(h!, 'unknown_device')).toBe(1);
    const gone = closed(a.client);
    await h!.broker.publish(vehiclePlanTopic('truck-A'), JSON.stringify({ stale: true }), { retain: true, qos: 1 });
    await gone;
    expect(a.received).toEqual([]);
    expect(await refusals(h!, 'unknown_device')).toBe(2);
    expect(await refusedCode(h!, vehicleOptions('truck-A'))).toBe(4);
  });
});

/**
 * Proof of service over real parts: the plan store, the collection log and the alert engine on
 * one temp SQLite file, the live forecasts, the ingest pipeline, all wired as the platform wires
 * them (wirePlanProgress), behind the API. A plan is made through POST /api/v1/plans; box messages
 * go through the pipeline as the journal's live consumer hands them over; the clock is a variable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, type Alert, type DeviceMessage, type Plan, type PlanProgress } from '../../../shared/contracts/index.ts';
import { AlertEngine } from '../../../services/alerts/alert-engine.ts';
import type { AlertRules } from '../../../services/alerts/core/ports.ts';
import { SqliteDeadLetterStore } from '../../../services/ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../../../services/ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../../../services/ingest/pipeline.ts';
import { SqlitePlanStore } from '../../../services/planning/adapters/sqlite-plan-store.ts';
import { ForecastService } from '../../../services/planning/forecast-service.ts';
import { PlanService } from '../../../services/planning/plan-service.ts';
import type { ProgressService } from '../../../services/planning/progress-service.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { wirePlanProgress } from '../../../services/platform/wiring/plan-progress.ts';
import type { Stack } from '../../../services/platform/wiring/stack.ts';
import { buildTestApi, FakeRegistry, FakeSites, FIXED_NOW, makeDevice } from '../../support/api-fakes.ts';
import { feedPaperFill, telemetry } from '../../support/forecast-feed.ts';

const MIN = 60_000;
const logger = pino({ level: 'silent' });
/** The platform's rules are not under test: only what the proof of service raises. */
const NO_RULES: AlertRules = { onMessage: () => [], onConnection: () => [], onSweep: () => [], silentDevices: () => [] };

let dir: string;
let db: SqliteDatabase;
let nowMs: number;
let stack: Stack;
let app: FastifyInstance;
let t: Awaited<ReturnType<typeof buildTestApi>>;
let pipeline: IngestPipeline;
let progress: ProgressService;
let engine: AlertEngine;

beforeEach(async () => {
  nowMs = FIXED_NOW; // 12:00 on 10 May, district time
  const now = () => nowMs;
  dir = mkdtempSync(join(tmpdir(), 'bp-progress-'));
  db = openDatabase(join(dir, 'binpulse.db'));
  stack = [];
  const registry = new FakeRegistry([
    makeDevice('B001', { lat: 31.78, lon: 119.97, name: 'Box one' }),
    makeDevice('B002', { lat: 31.79, lon: 119.98 }),
    makeDevice('B003', { lat: 31.77, lon: 119.99 }),
    makeDevice('B004', { lat: 31.785, lon: 119.975 }),
  ]);
  const forecasts = new ForecastService({ registry, fullLevelFor: () => 0.9, utcOffsetMinutes: 480, now, logger });
  // B001, B002 and B004 are due before the shift after tomorrow's morning one; B003 is not.
  feedPaperFill(forecasts, registry, { B001: 2, B002: 1.8, B003: 0.2, B004: 1.9 }, FIXED_NOW);
  const sites = new FakeSites();
  sites.stations.push({
    id: 'S001',
    kind: 'transfer_station',
    name: 'Tianning transfer station',
    position: { lat: 31.775, lon: 119.965 },
    subdistrict: 'tianning',
    address: '1 Depot Road',
    categories: ['paper', 'plastic'],
  });
  sites.vehicles.push({ id: 'V001', plate: '苏D·H0001', capacityKg: 2000, depotId: 'S001' });
  const plans = new PlanService({ boxes: registry, sites, forecasts, store: new SqlitePlanStore(db), utcOffsetMinutes: 480, now });
  engine = new AlertEngine({
    db,
    rules: NO_RULES,
    registry,
    deviceState: { get: () => undefined, all: () => new Map() },
    now,
    sweepSeconds: 15,
    logger,
    metrics: new Registry(),
  });
  engine.start();
  stack.push(() => engine.stop());
  pipeline = new IngestPipeline({
    registry,
    deadLetters: new SqliteDeadLetterStore(db, { metrics: new Registry() }),
    deviceState: new SqliteDeviceStateStore(db, { logger, now }),
    now,
    limits: { maxFutureSkewMs: 5 * MIN, maxAgeMs: 7 * 24 * 60 * MIN },
    logger,
    metrics: new Registry(),
  });
  pipeline.start();
  stack.push(() => pipeline.stop());
  pipeline.onAccepted((message, device) => forecasts.observe(message, device));
  progress = wirePlanProgress({ operationalDb: db, plans, registry, forecasts, alerts: engine, pipeline, utcOffsetMinutes: 480 }, { logger, now, stack });
  t = await buildTestApi({ registry, forecasts, plans, planProgress: progress, alerts: engine, now });
  app = t.app;
});

afterEach(async () => {
  await app.close();
  for (const step of stack.reverse()) await step();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let eventSeq = 0;
/** A box's collection event, through the pipeline as the live journal consumer hands it over (received now). */
function collect(deviceId: string, atMs: number, options: { vehicleId?: string; kg?: number; eventId?: string } = {}): void {
  const payload = {
    ts: new Date(atMs).toISOString(),
    eventId: options.eventId ?? `${deviceId}-c-${++eventSeq}`,
    collectorId: 'crew-1',
    vehicleId: options.vehicleId ?? 'V001',
    compartments: [
      { category: 'paper', weightKg: (options.kg ?? 90) - 5 },
      { category: 'plastic', weightKg: 5 },
    ],
  };
  pipeline.handle(deviceTopic(deviceId, 'event/collection'), Buffer.from(JSON.stringify(payload)), nowMs);
}

function reading(message: DeviceMessage): void {
  pipeline.handle(deviceTopic(message.deviceId, message.channel), Buffer.from(JSON.stringify(message.payload)), nowMs);
}

const get = async <T>(url: string, status = 200): Promise<T> => {
  const res = await app.inject({ url, headers: t.auth.manager });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
};

async function morningPlan(): Promise<Plan> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/plans', payload: { date: '2026-05-11' }, headers: t.auth.operator });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Plan;
}

const collectionMissed = (status: 'open' | 'resolved') => get<{ total: number; items: Alert[] }>(`/api/v1/alerts?type=collection_missed&status=${status}`);

describe('GET /api/v1/plans/:id/progress', () => {
  it('counts stops done, late and pending as the collection events arrive; a replayed event once; other boxes unplanned', async () => {
    const plan = await morningPlan();
    const stops = plan.routes.flatMap((r) => r.stops);
    expect(stops.map((s) => s.deviceId).sort()).toEqual(['B001', 'B002', 'B004']);
    const [first, second, third] = stops;
    const eta = (s: typeof first) => Date.parse(s!.eta);

    const before = await get<PlanProgress>(`/api/v1/plans/${plan.id}/progress`);
    expect(before.totals).toEqual({ done: 0, late: 0, missed: 0, pending: 3, stops: 3, unplanned: 0, collectedKg: 0, completion: 0 });

    // A collection the evening before (a fixed round) is not the plan's.
    nowMs = Date.parse(plan.shift.startAt) - 30 * MIN;
    collect(first!.deviceId, nowMs);
    nowMs = eta(first) + 5 * MIN;
    collect(first!.deviceId, nowMs, { kg: 80, eventId: 'first-1' });
    collect(first!.deviceId, nowMs, { kg: 80, eventId: 'first-1' }); // the journal's replay after a restart
    nowMs = eta(second) + 45 * MIN;
    collect(second!.deviceId, nowMs, { kg: 60 });
    collect('B003', nowMs, { vehicleId: 'V009', kg: 20 });

    const during = await get<PlanProgress>(`/api/v1/plans/${plan.id}/progress`);
    expect(during.ended).toBe(false);
    expect(during.routes[0]!.stops.map((s) => [s.deviceId, s.status])).toEqual([
      [first!.deviceId, 'done'],
      [second!.deviceId, 'late'],
      [third!.deviceId, 'pending'],
    ]);
    expect(during.routes[0]!.stops[0]).toMatchObject({ collectedKg: 80, collectedBy: 'V001', minutesFromEta: 5 });
    expect(during.unplanned).toEqual([{ deviceId: 'B003', collectedAt: new Date(nowMs).toISOString(), collectedKg: 20, collectedBy: 'V009' }]);
    expect(during.totals).toEqual({ done: 1, late: 1, missed: 0, pending: 1, stops: 3, unplanned: 1, collectedKg: 160, completion: 0.667 });
  });

  it('is 404 BP_PLAN_NOT_FOUND for an unknown plan', async () => {
    expect(await get(`/api/v1/plans/pln_nope/progress`, 404)).toMatchObject({ code: 'BP_PLAN_NOT_FOUND' });
  });
});

describe('collection_missed', () => {
  it('after the shift and its grace, an unserved box that is full now is alerted once; one not full is not; its next collection resolves it', async () => {
    const plan = await morningPlan();
    const [served, fullOne, notFull] = plan.routes[0]!.stops;
    nowMs = Date.parse(served!.eta);
    collect(served!.deviceId, nowMs);
    // The unserved box fills up; the other stays below its full level (0.9).
    nowMs = Date.parse(plan.shift.endAt) - 60 * MIN;
    reading(telemetry(fullOne!.deviceId, nowMs, [{ category: 'paper', fillingLevel: 0.97, weightKg: 116 }]));
    reading(telemetry(notFull!.deviceId, nowMs, [{ category: 'paper', fillingLevel: 0.5, weightKg: 60 }]));

    // Within the grace nothing is missed yet.
    nowMs = Date.parse(plan.shift.endAt) + 30 * MIN;
    expect(progress.checkMissed()).toEqual([]);
    expect((await collectionMissed('open')).total).toBe(0);

    nowMs += 1;
    const raised = progress.checkMissed();
    expect(raised).toHaveLength(1);
    const open = await collectionMissed('open');
    expect(open.items).toHaveLength(1);
    expect(open.items[0]).toMatchObject({
      key: `collection_missed:${fullOne!.deviceId}`,
      type: 'collection_missed',
      severity: 'warning',
      deviceId: fullOne!.deviceId,
      compartment: 'paper',
      message: { code: 'collection_missed.full', params: { place: `Device ${fullOne!.deviceId}, Qingfeng`, category: 'paper', percent: 97, plate: '苏D·H0001', planId: plan.id } },
    });
    expect(open.items[0]!.title).toBe(`Planned collection missed at Device ${fullOne!.deviceId}, Qingfeng. Paper compartment 97% full (vehicle 苏D·H0001, plan ${plan.id})`);
    const after = await get<PlanProgress>(`/api/v1/plans/${plan.id}/progress`);
    expect(after).toMatchObject({ ended: true, totals: { done: 1, missed: 2, pending: 0 } });

    // The plan was checked: a later check raises nothing more.
    nowMs += 5 * MIN;
    expect(progress.checkMissed()).toEqual([]);
    expect((await collectionMissed('open')).items[0]!.count).toBe(1);

    // A truck comes by after the window: the alert is resolved (the stop stays missed for the plan).
    nowMs += 60 * MIN;
    collect(fullOne!.deviceId, nowMs, { vehicleId: 'V002' });
    expect((await collectionMissed('open')).total).toBe(0);
    expect((await collectionMissed('resolved')).items[0]).toMatchObject({ deviceId: fullOne!.deviceId, resolvedBy: 'auto', resolution: 'the box reported a collection' });
    expect((await get<PlanProgress>(`/api/v1/plans/${plan.id}/progress`)).totals.missed).toBe(2);
  });

  it('a restart checks the plans of the last day again: the box still full and unserved is raised again on its open alert', async () => {
    const plan = await morningPlan();
    const [, fullOne] = plan.routes[0]!.stops;
    nowMs = Date.parse(plan.shift.startAt);
    reading(telemetry(fullOne!.deviceId, nowMs, [{ category: 'paper', fillingLevel: 0.95, weightKg: 114 }]));
    nowMs = Date.parse(plan.shift.endAt) + 2 * 60 * MIN;
    expect(progress.checkMissed().map((c) => c.key)).toEqual([`collection_missed:${fullOne!.deviceId}`]);
    // Another process on the same file after a restart: what was checked is forgotten.
    const restarted = wirePlanProgress(
      { operationalDb: db, plans: t.deps.plans, registry: t.registry, forecasts: t.forecasts, alerts: engine, pipeline, utcOffsetMinutes: 480 },
      { logger, now: () => nowMs, stack },
    );
    expect(restarted.checkMissed()).toHaveLength(1);
    expect((await collectionMissed('open')).items.map((a) => [a.deviceId, a.count])).toEqual([[fullOne!.deviceId, 2]]);
    // A day after the window closed, a restart no longer looks at the plan.
    nowMs += 24 * 60 * MIN;
    const later = wirePlanProgress(
      { operationalDb: db, plans: t.deps.plans, registry: t.registry, forecasts: t.forecasts, alerts: engine, pipeline, utcOffsetMinutes: 480 },
      { logger, now: () => nowMs, stack },
    );
    expect(later.checkMissed()).toEqual([]);
  });
});

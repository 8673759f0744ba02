/** POST/GET /api/v1/plans over the real plan service, the live forecasts fed by test messages and fake stations and vehicles. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan, PlanList } from '../../../shared/contracts/index.ts';
import { buildTestApi, FakeRegistry, FIXED_NOW, makeDevice, type TestApi } from '../../support/api-fakes.ts';
import { feedPaperFill } from '../../support/forecast-feed.ts';

const HOUR_MS = 3_600_000;
let app: FastifyInstance;
let t: TestApi;

beforeEach(async () => {
  const registry = new FakeRegistry([
    makeDevice('B001', { lat: 31.78, lon: 119.97 }),
    makeDevice('B002', { lat: 31.79, lon: 119.98, name: 'Box two' }),
    makeDevice('B003', { lat: 31.77, lon: 119.99 }),
    makeDevice('C001', { kind: 'camera' }),
  ]);
  const built = await buildTestApi({ registry });
  app = built.app;
  t = built;
  // paper 120 kg: B001 at 0.8 (full in ~6 h), B002 at 0.72 (~12 h): both due before the shift after tomorrow's morning one.
  feedPaperFill(t.forecasts, registry, { B001: 2, B002: 1.8, B003: 0.2 }, FIXED_NOW);
  t.sites.stations.push({
    id: 'S001',
    kind: 'transfer_station',
    name: 'Tianning transfer station',
    position: { lat: 31.775, lon: 119.965 },
    subdistrict: 'tianning',
    address: '1 Depot Road',
    categories: ['paper', 'plastic'],
  });
  t.sites.vehicles.push({ id: 'V001', plate: '苏D·H0001', capacityKg: 2000, depotId: 'S001' }, { id: 'V002', plate: '苏D·H0002', capacityKg: 100, depotId: 'S001' });
});
afterEach(async () => {
  await app.close();
});

// FIXED_NOW is 12:00 on 10 May in Changzhou: the 11th is tomorrow.
const post = (payload: unknown, headers = t.auth.operator) => app.inject({ method: 'POST', url: '/api/v1/plans', payload: payload as object, headers });

describe('POST /api/v1/plans', () => {
  it("plans tomorrow's morning shift by default: the due boxes in one route, within the vehicle's kg", async () => {
    const res = await post({ date: '2026-05-11' });
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as Plan;
    expect(plan.id).toMatch(/^pln_/);
    expect(plan.createdAt).toBe(new Date(FIXED_NOW).toISOString());
    expect(plan.createdBy).toBe('test operator (operator)');
    expect(plan.shift).toEqual({ date: '2026-05-11', startAt: '2026-05-10T22:00:00.000Z', endAt: '2026-05-11T06:00:00.000Z' });
    const stops = plan.routes.flatMap((r) => r.stops);
    expect(stops.map((s) => s.deviceId)).toEqual(expect.arrayContaining(['B001', 'B002']));
    const b2 = stops.find((s) => s.deviceId === 'B002')!;
    expect(b2).toMatchObject({ name: 'Box two', community: 'Qingfeng', position: { lat: 31.79, lon: 119.98 } });
    // Paper at the shift's start: 0.72 + 10 h × 1.8 kg/h of 120 kg ≈ 104 kg (plastic, never fed, is empty).
    expect(b2.kgByCategory.paper).toBeGreaterThan(95);
    expect(b2.kgByCategory.paper).toBeLessThanOrEqual(120);
    expect(Date.parse(b2.eta)).toBeGreaterThanOrEqual(Date.parse(plan.shift.startAt));
    expect(Date.parse(b2.dueAt!)).toBeLessThan(Date.parse(plan.shift.startAt) + 24 * HOUR_MS);
    for (const route of plan.routes) expect(route.loadKg).toBeLessThanOrEqual(route.capacityKg);
    expect(plan.totals.stops).toBe(stops.length);
    expect(plan.totals.vehiclesUsed).toBe(plan.routes.filter((r) => r.stops.length > 0).length);
    expect(plan.unassigned).toEqual([]);
  });

  it("does not take again the boxes an earlier shift's plan still has to empty before this shift", async () => {
    // Planned alone, tomorrow's morning takes both boxes (the test above).
    const afternoon = (await post({ date: '2026-05-10', shift: { start: '14:00', end: '22:00' } })).json() as Plan;
    const emptied = afternoon.routes.flatMap((r) => r.stops.map((s) => s.deviceId));
    expect(emptied).toEqual(expect.arrayContaining(['B001', 'B002']));
    const morning = (await post({ date: '2026-05-11' })).json() as Plan;
    // Emptied this afternoon, about 2 kg/h of 120 kg: below skipBelow by tomorrow 06:00, due in days.
    expect(morning.routes.flatMap((r) => r.stops.map((s) => s.deviceId))).toEqual([]);
    expect(morning.unassigned).toEqual([]);
  });

  it('plans with the vehicles asked for only, and lists due boxes none can take with the reason', async () => {
    const res = await post({ date: '2026-05-11', vehicles: ['V002'], shift: { start: '14:00', end: '22:00' }, serviceMinutes: 5 }, t.auth.admin);
    expect(res.statusCode, res.body).toBe(201);
    const plan = res.json() as Plan;
    expect(plan.routes.map((r) => r.vehicleId)).toEqual(['V002']);
    expect(plan.shift.startAt).toBe('2026-05-11T06:00:00.000Z');
    // Each due box holds more than the 100 kg vehicle takes.
    expect(plan.unassigned.map((u) => [u.deviceId, u.reason])).toEqual(expect.arrayContaining([['B001', 'capacity'], ['B002', 'capacity']]));
    expect(plan.routes[0]!.loadKg).toBeLessThanOrEqual(100);
  });

  it.each([
    ['an unknown vehicle', { date: '2026-05-11', vehicles: ['V404'] }, 'BP_BAD_PLAN_REQUEST', 'vehicles'],
    ['a shift ending before it starts', { date: '2026-05-11', shift: { start: '14:00', end: '06:00' } }, 'BP_BAD_PLAN_REQUEST', 'shift.end'],
    ['a date that is not a day', { date: '2026-02-30' }, undefined, 'date'],
    ['a missing date', {}, undefined, 'date'],
    ['a time that is not HH:MM', { date: '2026-05-11', shift: { start: '6:00', end: '14:00' } }, undefined, 'shift'],
    ['an unknown field', { date: '2026-05-11', depot: 'S001' }, undefined, 'depot'],
  ])('400 on %s, naming the field', async (_label, payload, code, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    if (code !== undefined) expect(res.json().code).toBe(code);
    expect(res.json().message).toContain(field);
    expect(t.deps.plans.listByDate('2026-05-11')).toEqual([]);
  });
});

describe('GET /api/v1/plans', () => {
  it('returns a plan by id and the plans of its day, oldest first', async () => {
    const first = (await post({ date: '2026-05-11' })).json() as Plan;
    const second = (await post({ date: '2026-05-11', shift: { start: '14:00', end: '22:00' } })).json() as Plan;
    await post({ date: '2026-05-12' });
    const byId = await app.inject({ url: `/api/v1/plans/${first.id}`, headers: t.auth.manager });
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual(first);
    const byDate = await app.inject({ url: '/api/v1/plans?date=2026-05-11', headers: t.auth.engineer });
    expect(byDate.statusCode).toBe(200);
    expect((byDate.json() as PlanList).items.map((p) => p.id)).toEqual([first.id, second.id]);
    const none = await app.inject({ url: '/api/v1/plans?date=2026-05-13', headers: t.auth.engineer });
    expect(none.json()).toEqual({ items: [] });
  });

  it('404 BP_PLAN_NOT_FOUND for an unknown id; 400 without a day', async () => {
    const res = await app.inject({ url: '/api/v1/plans/pln_nope', headers: t.auth.operator });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'BP_PLAN_NOT_FOUND', message: "no plan 'pln_nope'" });
    expect((await app.inject({ url: '/api/v1/plans', headers: t.auth.operator })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/plans?date=tomorrow', headers: t.auth.operator })).statusCode).toBe(400);
  });
});

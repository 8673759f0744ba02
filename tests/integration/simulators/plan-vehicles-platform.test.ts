/**
 * The closed loop end to end (issue 13): the platform as `npm start` runs it with
 * SIM_COLLECTION=plan. A plan made through the API reaches the demo vehicles over MQTT, their
 * crews serve the stops, the boxes report the collections naming the truck, and the plan's
 * progress counts those stops as served.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MassBalanceReport, Plan, PlanProgress } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay, localHourOfDay } from '../../../shared/units.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../../support/platform-process.ts';

let platform: RunningPlatform;

/**
 * A one-hour shift starting at the next whole district hour, planned two hours ahead: due for
 * automatic planning as soon as the platform is up, whatever the hour the test runs.
 */
const autoShiftStartMs = Math.ceil((Date.now() + 60_000) / HOUR_MS) * HOUR_MS;
const autoShiftHour = localHourOfDay(autoShiftStartMs, 480);
const hhmm = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const AUTO_SHIFT = `${hhmm(autoShiftHour)}-${autoShiftHour === 23 ? '23:59' : hhmm(autoShiftHour + 1)}`;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${platform.adminToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { method: 'POST', body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  // No stored history, a day a minute: the new fleet replays from yesterday 00:00 (district
  // time) over MQTT, so yesterday's afternoon shift lies ahead of the simulated clock whatever
  // the hour the test runs, and is driven through in ~20 s.
  // SIM_COLLECTION=plan turns automatic planning on by default (AUTO_PLAN).
  platform = await startPlatformProcess(
    { DEMO_HISTORY_DAYS: '0', SIM_SPEED: '1440', SIM_COLLECTION: 'plan', PLAN_SHIFTS: AUTO_SHIFT, AUTO_PLAN_LEAD_MIN: '120' },
    { readyTimeoutMs: 90_000 },
  );
}, 120_000);

afterAll(async () => {
  if (!platform) return;
  const code = await platform.stop();
  platform.cleanUp();
  expect(code, 'a clean exit on SIGTERM').toBe(0);
});

it("the demo vehicles serve a plan's stops: its progress counts them as the boxes' collections arrive, naming the route's truck", async () => {
  const yesterday = localDay(Date.now() - DAY_MS, 480);
  // The fleet's first readings feed the forecasts: plan once some box is worth a visit.
  const plan = await waitFor(async () => {
    const p = await api<Plan>('/api/v1/plans', { date: yesterday, shift: { start: '14:00', end: '22:00' } });
    return p.totals.stops > 0 ? p : undefined;
  }, 120_000, 'a plan with stops');
  const planned = new Map(plan.routes.flatMap((r) => r.stops.map((s) => [s.deviceId, r.vehicleId] as const)));

  const progress = await waitFor(async () => {
    const p = await api<PlanProgress>(`/api/v1/plans/${plan.id}/progress`);
    return p.totals.done + p.totals.late >= 3 ? p : undefined;
  }, 240_000, 'three planned stops served');
  const served = progress.routes.flatMap((r) => r.stops.filter((s) => s.status === 'done' || s.status === 'late').map((s) => ({ ...s, route: r.vehicleId })));
  for (const stop of served) {
    expect(planned.get(stop.deviceId)).toBe(stop.route);
    // The box's own collection event named the truck whose route it is on.
    expect(stop.collectedBy, stop.deviceId).toBe(stop.route);
    expect(stop.collectedKg, stop.deviceId).toBeGreaterThan(0);
  }
  // Nothing but the plan empties a box under SIM_COLLECTION=plan: no fixed round's collector.
  for (const u of progress.unplanned) expect(u.collectedBy, u.deviceId).toMatch(/^truck-/);
  expect(platform.output()).toMatch(/collection by plan: \d+\/\d+ vehicles connected/);

  // The chain after the box under plans: each truck weighs its load in at its depot under its
  // registry plate, an hour after its last stop, and the ledger matches it to the stops' collections.
  const plates = new Set(plan.routes.filter((r) => r.stops.length > 0).map((r) => r.plate));
  const balance = await waitFor(async () => {
    const report = await api<MassBalanceReport>(`/api/v1/reports/mass-balance?from=${yesterday}&to=${yesterday}`);
    return (report.tripCounts.within ?? 0) >= plates.size ? report : undefined;
  }, 240_000, `a weighed-in trip for each of the ${plates.size} trucks`);
  expect(balance.tripCounts.unknown_plate ?? 0).toBe(0);
  for (const trip of balance.trips) expect(plates.has(trip.plate), `${trip.plate}: ${trip.status}`).toBe(false);
  expect(balance.totals.weighedInKg).toBeGreaterThan(0);
}, 400_000);

it('plans the calendar\'s next shift by itself, once, as the auto-planner', async () => {
  const date = localDay(autoShiftStartMs, 480);
  const startAt = new Date(autoShiftStartMs).toISOString();
  const auto = await waitFor(async () => {
    const { items } = await api<{ items: Plan[] }>(`/api/v1/plans?date=${date}`);
    const mine = items.filter((p) => p.createdBy === 'auto-planner');
    return mine.length > 0 ? mine : undefined;
  }, 60_000, `an automatic plan for ${date} ${AUTO_SHIFT}`);
  expect(auto).toHaveLength(1);
  expect(auto[0]!.shift.startAt).toBe(startAt);
  expect(auto[0]!.routes.length).toBeGreaterThan(0);
  expect(platform.output()).toMatch(/shift planned/);
}, 120_000);

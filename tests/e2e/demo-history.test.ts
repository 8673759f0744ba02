/**
 * A first `npm start` on an empty DATA_DIR: the new demo fleet gets four weeks of history
 * through the time-series store (DEMO_HISTORY_DAYS=28, the default), then the simulated fleet
 * goes on live over MQTT from the state the history ended in. How long the history takes is a
 * benchmark figure (npm run bench -- cold-start), not asserted here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BoxForecast, DemoHistoryStatus, DeviceWithState, ForecastList, Plan, PlanList, SeriesPoint, Summary, TonnageReport } from '../../shared/contracts/index.ts';
import { DAY_MS } from '../../shared/units.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';

type DeviceList = { total: number; online: number; items: DeviceWithState[] };

let platform: RunningPlatform;
/** Every history state the summary showed, in order, without repeats. */
const states: DemoHistoryStatus['state'][] = [];
let history: DemoHistoryStatus;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${platform.adminToken}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { method: 'POST', body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

beforeAll(async () => {
  platform = await startPlatformProcess({}, { readyTimeoutMs: 90_000 });
  history = await waitFor(async () => {
    const { history: h } = await api<Summary>('/api/v1/summary');
    if (states.at(-1) !== h.state) states.push(h.state);
    return h.state === 'writing' ? undefined : h;
  }, 400_000, 'the demo history to be written');
}, 500_000);

afterAll(async () => {
  if (!platform) return;
  const code = await platform.stop();
  platform.cleanUp();
  expect(code, 'a clean exit on SIGTERM').toBe(0);
});

it('says it is writing, then done, with 28 complete days and today so far', () => {
  expect(states).toEqual(['writing', 'done']);
  expect(history).toMatchObject({ state: 'done', daysWritten: 28, daysTotal: 28 });
  expect((Date.parse(`${history.toDay}T00:00:00Z`) - Date.parse(`${history.fromDay}T00:00:00Z`)) / DAY_MS).toBe(27);
});

it('reports 60–80 t for each of the 28 days', async () => {
  const report = await api<TonnageReport>(`/api/v1/reports/tonnage?from=${history.fromDay}&to=${history.toDay}`);
  expect(report.byDay).toHaveLength(28);
  for (const day of report.byDay) {
    expect(day.kg, day.day).toBeGreaterThanOrEqual(60_000);
    expect(day.kg, day.day).toBeLessThanOrEqual(80_000);
  }
});

it("has four weeks of a box's fill readings", async () => {
  const box = await api<{ series: SeriesPoint[] }>('/api/v1/devices/box-0001?hours=672');
  const fill = box.series.filter((p) => p.metric === 'fillingLevel').map((p) => Date.parse(p.ts));
  expect(fill.length).toBeGreaterThan(27 * 24);
  expect((fill.at(-1)! - fill[0]!) / DAY_MS).toBeGreaterThanOrEqual(27);
});

it('goes on live from where the history ended: the fleet online, every box showing its fill level', async () => {
  const boxes = await waitFor(async () => {
    const list = await api<DeviceList>('/api/v1/devices?kind=box&limit=5000');
    const withFill = list.items.filter((d) => d.state.maxFillingLevel !== null).length;
    return list.online >= 0.95 * 605 && withFill >= 0.95 * 605 ? list : undefined;
  }, 90_000, '95% of the boxes online and showing their fill level');
  expect(boxes.total).toBe(605);
  const cameras = await api<DeviceList>('/api/v1/devices?kind=camera&limit=5000');
  expect(cameras.online).toBeGreaterThanOrEqual(0.9 * 54);
});

it("continues each box's compartments from the history: the first live reading is the last stored one plus the deposits since", async () => {
  const until = Date.parse(history.until!);
  let continued = 0;
  let compared = 0;
  for (let n = 1; n <= 20; n++) {
    const id = `box-${String(n).padStart(4, '0')}`;
    const { series } = await api<{ series: SeriesPoint[] }>(`/api/v1/devices/${id}?hours=3`);
    const weights = series.filter((p) => p.metric === 'weightKg');
    const lastStored = weights.filter((p) => Date.parse(p.ts) < until).at(-1);
    const firstLive = weights.find((p) => Date.parse(p.ts) >= until);
    if (!lastStored || !firstLive) continue;
    for (const category of new Set(weights.map((p) => p.category))) {
      const at = (ts: string) => weights.find((p) => p.ts === ts && p.category === category)?.value;
      const before = at(lastStored.ts);
      const after = at(firstLive.ts);
      if (before === undefined || after === undefined) continue;
      const deposited = series
        .filter((p) => p.metric === 'depositKg' && p.category === category && p.ts > lastStored.ts && p.ts <= firstLive.ts)
        .reduce((kg, p) => kg + p.value, 0);
      compared++;
      // A collection in between empties the compartment instead; those are the exceptions.
      if (Math.abs(before + deposited - after) < 0.05) continued++;
    }
  }
  expect(compared).toBeGreaterThanOrEqual(50);
  expect(continued / compared).toBeGreaterThanOrEqual(0.8);
});

it('forecasts from the history: compartments due within 24 h with their 80 % intervals, and box-0001 has its forecast', async () => {
  const list = await api<ForecastList>('/api/v1/forecasts?fullWithinH=24&limit=1000');
  expect(list.items.length).toBeGreaterThan(0);
  const due = list.items.flatMap((b) => b.compartments.filter((c) => c.fullAt !== null && Date.parse(c.fullAt) <= Date.parse(list.at) + 24 * 3_600_000));
  expect(due.length).toBeGreaterThanOrEqual(list.items.length);
  for (const c of due) {
    expect(c.fullAtEarliest).not.toBeNull();
    expect(c.fullAtLatest).not.toBeNull();
    expect(Date.parse(c.fullAtEarliest!)).toBeLessThanOrEqual(Date.parse(c.fullAt!));
    expect(Date.parse(c.fullAt!)).toBeLessThanOrEqual(Date.parse(c.fullAtLatest!));
  }
  // Four weeks of history: most of them are rated good or fair, not poor.
  const trusted = due.filter((c) => c.reliability.rating !== 'poor').length;
  expect(trusted / due.length).toBeGreaterThanOrEqual(0.5);
  const starts = list.items.map((b) => Math.min(...b.compartments.map((c) => (c.fullAt === null ? Infinity : Date.parse(c.fullAt)))));
  expect(starts).toEqual([...starts].sort((a, b) => a - b));

  const { forecast } = await api<{ forecast: BoxForecast | null }>('/api/v1/devices/box-0001');
  expect(forecast?.deviceId).toBe('box-0001');
  expect(forecast!.compartments.length).toBeGreaterThan(0);
  expect(forecast!.compartments.every((c) => c.reliability.reasons.every((r) => r !== 'no_history' && r !== 'short_history'))).toBe(true);
});

it("plans tomorrow's morning shift from the forecasts: loads within capacity, every compartment due before the next shift served or reported", async () => {
  // toDay is the last complete day of the history, so today is the day after and tomorrow the one after that.
  const tomorrow = new Date(Date.parse(`${history.toDay}T00:00:00Z`) + 2 * DAY_MS).toISOString().slice(0, 10);
  const forecasts = await api<ForecastList>('/api/v1/forecasts?fullWithinH=336&limit=1000');
  const plan = await api<Plan>('/api/v1/plans', { date: tomorrow });
  expect(plan.shift.date).toBe(tomorrow);
  expect(Date.parse(plan.shift.endAt) - Date.parse(plan.shift.startAt)).toBe(8 * 3_600_000);
  expect(plan.totals.stops).toBeGreaterThan(0);
  for (const route of plan.routes) expect(route.loadKg, route.vehicleId).toBeLessThanOrEqual(route.capacityKg);

  // Due: the 80 % interval's low bound before the following shift (PLAN_SHIFTS' default: the
  // afternoon one, 14:00). An hour's margin: the forecasts were read a moment before the plan was
  // made, and live deposits move them.
  const nextShiftMs = Date.parse(plan.shift.endAt);
  const due = forecasts.items.filter((b) => b.compartments.some((c) => c.fullAtEarliest !== null && Date.parse(c.fullAtEarliest) < nextShiftMs - 3_600_000));
  expect(due.length).toBeGreaterThan(0);
  const served = new Set(plan.routes.flatMap((r) => r.stops.map((s) => s.deviceId)));
  const reported = new Map(plan.unassigned.map((u) => [u.deviceId, u.reason]));
  for (const box of due) expect(served.has(box.deviceId) || ['capacity', 'time'].includes(reported.get(box.deviceId) ?? ''), box.deviceId).toBe(true);

  expect(await api<Plan>(`/api/v1/plans/${plan.id}`)).toEqual(plan);
  expect((await api<PlanList>(`/api/v1/plans?date=${tomorrow}`)).items.map((p) => p.id)).toContain(plan.id);
});

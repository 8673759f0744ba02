import { describe, expect, it } from 'vitest';
import type { Plan, PlanProgress, PlanRoute, PlanStop } from '../../../shared/contracts/index.ts';
import { clockTime, contrastRatio, hoursAndMinutes, plannerOf, routeInk, ROUTE_COLOURS, routeColour, routeDash, routeViews, shiftTimes } from '../../../services/console/core/plan-view.ts';
import { planCsv, planCsvFilename, planCsvHeader, planCsvRows } from '../../../services/console/core/plan-csv.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';
import { UTF8_BOM } from '../../../services/console/core/csv.ts';
import { FILL_BANDS } from '../../../services/console/core/fill-scale.ts';

/** CIE76 colour difference of two sRGB colours (D65). */
function deltaE(a: string, b: string): number {
  const lab = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c > 0.04045 ? ((c + 0.055) / 1.055) ** 2.4 : c / 12.92)) as [number, number, number];
    const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
    const x = f((r * 0.4124 + g * 0.3576 + bl * 0.1805) / 0.95047);
    const y = f(r * 0.2126 + g * 0.7152 + bl * 0.0722);
    const z = f((r * 0.0193 + g * 0.1192 + bl * 0.9505) / 1.08883);
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
  };
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
}

/** 2026-12-07 06:00 in the district (UTC+8) is 2026-12-06 22:00 UTC. */
const SHIFT_START = Date.parse('2026-12-06T22:00:00Z');
const minutes = (n: number) => new Date(SHIFT_START + n * 60_000).toISOString();

function stop(sequence: number, deviceId: string, etaMin: number, kgByCategory: Record<string, number>): PlanStop {
  const expectedKg = Object.values(kgByCategory).reduce((a, b) => a + b, 0);
  return { sequence, deviceId, name: `${deviceId} 回收箱`, community: '红梅新村', position: { lat: 31.78 + sequence / 1000, lon: 119.97 }, eta: minutes(etaMin), dueAt: null, expectedKg, kgByCategory };
}

function route(vehicleId: string, plate: string, stops: PlanStop[]): PlanRoute {
  return { vehicleId, plate, depotId: 'ST01', stops, km: 12.34, durationMinutes: 205, loadKg: stops.reduce((a, s) => a + s.expectedKg, 0), capacityKg: 1500 };
}

const plan: Plan = {
  id: 'pln_1',
  createdAt: minutes(-600),
  createdBy: 'operator 王芳',
  shift: { date: '2026-12-07', startAt: minutes(0), endAt: minutes(480) },
  routes: [
    // Stops listed out of order: the view and the CSV follow the sequence.
    route('V01', '苏D·A1234', [stop(2, 'B002', 40, { paper: 30.26 }), stop(1, 'B001', 12, { paper: 10, plastic: 2.55 })]),
    route('V02', '苏D·B5678', []),
    route('V03', '苏D·C9012', [stop(1, 'B003', 25, { metal: 5, glass: 7 })]),
  ],
  unassigned: [],
  totals: { stops: 3, km: 24.68, kg: 54.81, vehiclesUsed: 2 },
};

describe('route colours', () => {
  it('gives twelve vehicles twelve different colours, none of them the fill scale red/amber/green', () => {
    const colours = Array.from({ length: 12 }, (_, i) => routeColour(i));
    expect(new Set(colours).size).toBe(12);
    expect(colours).toEqual([...ROUTE_COLOURS]);
    for (const colour of colours) expect(colour).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('keeps every pair of the twelve, and each from the fill scale, visibly apart (CIE Lab ΔE > 25)', () => {
    const closest = (a: string[], b: string[]) => Math.min(...a.flatMap((p, i) => b.filter((q, j) => a !== b || j > i).map((q) => deltaE(p, q))));
    const colours = Array.from({ length: 12 }, (_, i) => routeColour(i));
    expect(closest(colours, colours)).toBeGreaterThan(25);
    const fillColours = FILL_BANDS.filter((b) => b.key !== 'unknown').map((b) => b.colour);
    expect(closest(colours, fillColours)).toBeGreaterThan(25);
    // The measure is not vacuous: two reds of the fill scale's kind are close.
    expect(deltaE('#e4572e', '#e0502a')).toBeLessThan(5);
  });

  it('numbers the stops in an ink readable on each colour (WCAG contrast ≥ 3 for the bold digits)', () => {
    for (const colour of ROUTE_COLOURS) expect(contrastRatio(colour, routeInk(colour)), colour).toBeGreaterThanOrEqual(3);
    expect(routeInk('#1a237e')).toBe('#ffffff');
    expect(routeInk('#f08ac0')).toBe('#1b2430');
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
  });

  it('draws the thirteenth route dashed in the first colour, so it still differs', () => {
    expect(routeColour(12)).toBe(routeColour(0));
    expect(routeDash(0)).toBeUndefined();
    expect(routeDash(12)).toBe('8 6');
  });
});

describe('times in district time', () => {
  it('shows an ETA as the district clock, whatever the instant zone', () => {
    expect(clockTime('2026-12-06T22:42:00Z', 480)).toBe('06:42');
    expect(clockTime('2026-12-06T22:42:00Z', 0)).toBe('22:42');
    expect(clockTime('not a time', 480)).toBe('–');
    expect(shiftTimes(plan, 480)).toEqual({ start: '06:00', end: '14:00' });
    expect(hoursAndMinutes(205.4)).toEqual({ hours: 3, minutes: 25 });
  });

  it("reads the planner's name and role code from createdBy, a plain name otherwise", () => {
    expect(plannerOf('王芳 (operator)')).toEqual({ name: '王芳', role: 'operator' });
    expect(plannerOf('night job (auto) (admin)')).toEqual({ name: 'night job (auto)', role: 'admin' });
    expect(plannerOf('auto-planner')).toEqual({ name: 'auto-planner', role: null });
  });
});

describe('routeViews', () => {
  it('lists routes with stops only, stops in driving order, colours by position, no status without progress', () => {
    const views = routeViews(plan, null);
    expect(views.map((v) => v.route.vehicleId)).toEqual(['V01', 'V03']);
    expect(views.map((v) => v.colour)).toEqual([routeColour(0), routeColour(1)]);
    expect(views[0]!.stops.map((s) => s.stop.deviceId)).toEqual(['B001', 'B002']);
    expect(views[0]!.stops.every((s) => s.status === null)).toBe(true);
    expect(views[0]!.completion).toBeNull();
    expect(views[0]!.loadShare).toBeCloseTo(42.81 / 1500, 6);
  });

  it("joins each stop with its progress status by sequence and box, and the route's completion", () => {
    const progress = {
      planId: 'pln_1',
      routes: [
        {
          vehicleId: 'V01',
          plate: '苏D·A1234',
          completion: 0.5,
          stops: [
            { sequence: 1, deviceId: 'B001', status: 'done', collectedAt: minutes(15) },
            // A row for another box at sequence 2 is not stop 2's.
            { sequence: 2, deviceId: 'B999', status: 'late', collectedAt: minutes(90) },
          ],
        },
      ],
    } as unknown as PlanProgress;
    const [v01, v03] = routeViews(plan, progress);
    expect(v01!.completion).toBe(0.5);
    expect(v01!.stops.map((s) => s.status)).toEqual(['done', null]);
    expect(v01!.stops[0]!.collectedAt).toBe(minutes(15));
    expect(v03!.completion).toBeNull();
    // Progress of another plan is ignored.
    expect(routeViews(plan, { ...progress, planId: 'pln_other' })[0]!.completion).toBeNull();
  });
});

describe('the stops CSV', () => {
  const places = new Map([
    ['B001', { subdistrict: 'hongmei' as const, address: '红梅新村 12 幢东侧' }],
    ['B002', { subdistrict: 'hongmei' as const, address: '=cmd, "quoted"' }],
  ]);
  const zh = createI18n('zh-CN', 480);
  const en = createI18n('en', 480);

  it('has one row per stop, route by route in driving order, ETAs in district time, kg per category and total', () => {
    const rows = planCsvRows(plan, (id) => places.get(id), en);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r[0], r[2], r[4]])).toEqual([
      ['V01', 1, 'B001'],
      ['V01', 2, 'B002'],
      ['V03', 1, 'B003'],
    ]);
    expect(rows[0]).toEqual(['V01', '苏D·A1234', 1, '06:12', 'B001', 'B001 回收箱', '红梅新村', 'Hongmei', '红梅新村 12 幢东侧', 10, 2.6, 0, 0, 0, 0, 12.6]);
    // A box no longer in the registry keeps its row, without a place.
    expect(rows[2]!.slice(7, 9)).toEqual(['', '']);
    expect(rows.every((r) => r.length === planCsvHeader(en).length)).toBe(true);
  });

  it('writes the header in the chosen language and defuses formulas in the data', () => {
    expect(planCsvHeader(zh).slice(0, 4)).toEqual(['车辆编号', '车牌', '站序', '预计到达']);
    expect(planCsvHeader(zh)).toContain('纸类（公斤）');
    expect(planCsvHeader(en).at(-1)).toBe('Total (kg)');
    const csv = planCsv(plan, (id) => places.get(id), zh);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines[2]).toContain(`"'=cmd, ""quoted"""`);
    expect(lines[1]).toContain('红梅街道');
  });

  it('names the file by the shift day and its local start', () => {
    expect(planCsvFilename(plan, 480)).toBe('binpulse-plan-2026-12-07-0600.csv');
  });
});

/** Automatic shift planning on a fake clock, against a plan desk that records what it is asked. */
import { describe, expect, it } from 'vitest';
import type { NewPlan, Plan } from '../../../shared/contracts/index.ts';
import { AUTO_PLANNER, AutoPlanner } from '../../../services/planning/auto-planner.ts';
import { districtInstant } from '../../../services/planning/core/plan-request.ts';
import { parseShiftCalendar } from '../../../services/planning/core/shift-calendar.ts';

const UTC8 = 480;
const at = (date: string, time: string) => districtInstant(date, time, UTC8);

function desk(failOn?: string) {
  const saved: Plan[] = [];
  const asked: { request: NewPlan; by: string }[] = [];
  return {
    saved,
    asked,
    create(request: NewPlan, by: string): Plan {
      asked.push({ request, by });
      if (request.shift.start === failOn) throw new Error('no vehicles');
      const startAt = new Date(districtInstant(request.date, request.shift.start, UTC8)).toISOString();
      const plan = { id: `pln_${saved.length}`, shift: { date: request.date, startAt }, totals: { stops: 3, km: 12 } } as unknown as Plan;
      saved.push(plan);
      return plan;
    },
    listByDate: (date: string) => saved.filter((p) => p.shift.date === date),
  };
}

const logs = () => {
  const lines: string[] = [];
  return { lines, info: (_: object, m: string) => void lines.push(m), error: (_: object, m: string) => void lines.push(`ERROR ${m}`) };
};

describe('AutoPlanner', () => {
  it('plans a shift once, from its lead time on, with the default request and as the auto-planner', () => {
    let now = at('2026-12-07', '04:00');
    const plans = desk();
    const planner = new AutoPlanner({ shifts: parseShiftCalendar('06:00-14:00,14:00-22:00'), leadMinutes: 60, plans, utcOffsetMinutes: UTC8, now: () => now, logger: logs() });
    expect(planner.check()).toEqual([]);
    now = at('2026-12-07', '05:01');
    expect(planner.check()).toHaveLength(1);
    expect(plans.asked[0]).toMatchObject({ by: AUTO_PLANNER, request: { date: '2026-12-07', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 } });
    now = at('2026-12-07', '05:30');
    expect(planner.check()).toEqual([]);
    now = at('2026-12-07', '13:00');
    expect(planner.check().map((p) => p.shift.startAt)).toEqual([new Date(at('2026-12-07', '14:00')).toISOString()]);
    expect(plans.asked).toHaveLength(2);
  });

  it('a shift someone planned already is left alone', () => {
    const plans = desk();
    plans.create({ date: '2026-12-07', shift: { start: '06:00', end: '14:00' }, serviceMinutes: 4, skipBelow: 0.25 }, 'operator');
    const planner = new AutoPlanner({ shifts: parseShiftCalendar('06:00-14:00'), leadMinutes: 60, plans, utcOffsetMinutes: UTC8, now: () => at('2026-12-07', '05:10'), logger: logs() });
    expect(planner.check()).toEqual([]);
  });

  it('a failing plan is logged and retried at the next check', () => {
    const plans = desk('06:00');
    const log = logs();
    const planner = new AutoPlanner({ shifts: parseShiftCalendar('06:00-14:00'), leadMinutes: 60, plans, utcOffsetMinutes: UTC8, now: () => at('2026-12-07', '05:10'), logger: log });
    expect(planner.check()).toEqual([]);
    expect(planner.check()).toEqual([]);
    expect(plans.asked).toHaveLength(2);
    expect(log.lines).toEqual(['ERROR automatic shift plan failed', 'ERROR automatic shift plan failed']);
  });
});

/**
 * The district's collection shifts as a daily calendar ("06:00-14:00,14:00-22:00"), for planning
 * each shift automatically a little before it starts (AUTO_PLAN_SHIFTS). Pure: now is passed in.
 */
import type { ShiftTemplate } from '../../../shared/shifts.ts';
import { districtInstant } from './plan-request.ts';

export { parseShiftCalendar, type ShiftTemplate } from '../../../shared/shifts.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface ScheduledShift {
  /** District day the shift starts on. */
  date: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  /** When it is planned: leadMinutes before it starts. */
  planAtMs: number;
}

function dayOf(epochMs: number, utcOffsetMinutes: number): string {
  return new Date(epochMs + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

function scheduled(template: ShiftTemplate, date: string, utcOffsetMinutes: number, leadMinutes: number): ScheduledShift {
  const startMs = districtInstant(date, template.start, utcOffsetMinutes);
  const endMs = districtInstant(date, template.end, utcOffsetMinutes);
  return { date, ...template, startMs, endMs, planAtMs: startMs - leadMinutes * MINUTE_MS };
}

/** The calendar's shifts starting after nowMs, over the next two district days, in start order. */
export function upcomingShifts(templates: readonly ShiftTemplate[], nowMs: number, utcOffsetMinutes: number, leadMinutes: number): ScheduledShift[] {
  const out: ScheduledShift[] = [];
  for (let d = -1; d <= 2; d++) {
    const date = dayOf(nowMs + d * DAY_MS, utcOffsetMinutes);
    for (const t of templates) out.push(scheduled(t, date, utcOffsetMinutes, leadMinutes));
  }
  return out.filter((s) => s.startMs > nowMs).sort((a, b) => a.startMs - b.startMs);
}

/**
 * Shifts due to be planned now: their planning time has come, they have not started, and no plan
 * exists for them yet (isPlanned, e.g. from the plan store). Idempotent across restarts.
 */
export function shiftsToPlan(
  templates: readonly ShiftTemplate[],
  nowMs: number,
  utcOffsetMinutes: number,
  leadMinutes: number,
  isPlanned: (shift: ScheduledShift) => boolean,
): ScheduledShift[] {
  return upcomingShifts(templates, nowMs, utcOffsetMinutes, leadMinutes).filter((s) => s.planAtMs <= nowMs && !isPlanned(s));
}

/**
 * A box's next possible visit after a shift: the start of the first calendar shift starting once
 * it has ended. A calendar shift starting inside it is no later chance: the shift being planned
 * covers that time (an ad hoc 14:00-22:00 plan with a 15:00-16:00 calendar would otherwise call
 * 15:00 the next visit, and nothing would be due). No calendar: a day after its start.
 */
export function nextShiftStartMs(templates: readonly ShiftTemplate[], shift: { startMs: number; endMs: number }, utcOffsetMinutes: number): number {
  const next = upcomingShifts(templates, shift.endMs - 1, utcOffsetMinutes, 0)[0];
  return next?.startMs ?? shift.startMs + DAY_MS;
}

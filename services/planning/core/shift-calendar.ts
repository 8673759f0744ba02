/**
 * The district's collection shifts as a daily calendar ("06:00-14:00,14:00-22:00"), for planning
 * each shift automatically a little before it starts (AUTO_PLAN_SHIFTS). Pure: now is passed in.
 */
import { districtInstant } from './plan-request.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** One daily shift in district wall-clock time, HH:MM, ending the same day (as POST /api/v1/plans takes it). */
export interface ShiftTemplate {
  start: string;
  end: string;
}

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

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "06:00-14:00,14:00-22:00" → templates; throws an Error saying what is wrong with which part. */
export function parseShiftCalendar(text: string): ShiftTemplate[] {
  if (text.trim() === '') return [];
  const shifts = text.split(',').map((part) => {
    const [start, end, extra] = part.trim().split('-');
    if (extra !== undefined || start === undefined || end === undefined || !CLOCK.test(start) || !CLOCK.test(end)) {
      throw new Error(`'${part.trim()}' is not a shift HH:MM-HH:MM`);
    }
    if (end <= start) throw new Error(`'${part.trim()}' does not end after it starts (a shift ends the day it starts)`);
    return { start, end };
  });
  const starts = shifts.map((s) => s.start);
  if (new Set(starts).size !== starts.length) throw new Error('two shifts start at the same time');
  return shifts.sort((a, b) => a.start.localeCompare(b.start));
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

/** The start of the first calendar shift after the one starting at shiftStartMs: a box's next possible visit. */
export function nextShiftStartMs(templates: readonly ShiftTemplate[], shiftStartMs: number, utcOffsetMinutes: number): number {
  const next = upcomingShifts(templates, shiftStartMs, utcOffsetMinutes, 0)[0];
  return next?.startMs ?? shiftStartMs + DAY_MS;
}

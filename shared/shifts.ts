/**
 * The district's daily collection shifts as configured (PLAN_SHIFTS, "06:00-14:00,14:00-22:00"):
 * read by the configuration, used by the planner (a box's next possible visit) and the automatic
 * planner (services/planning/core/shift-calendar.ts).
 */

/** One daily shift in district wall-clock time, HH:MM, ending the same day (as POST /api/v1/plans takes it). */
export interface ShiftTemplate {
  start: string;
  end: string;
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

/** The daily shift calendar behind automatic planning, on a fake clock in district time (UTC+8). */
import { describe, expect, it } from 'vitest';
import { districtInstant } from '../../../services/planning/core/plan-request.ts';
import { nextShiftStartMs, parseShiftCalendar, shiftsToPlan, upcomingShifts } from '../../../services/planning/core/shift-calendar.ts';

const UTC8 = 480;
const at = (date: string, time: string) => districtInstant(date, time, UTC8);
const TWO = parseShiftCalendar('14:00-22:00, 06:00-14:00');

describe('parseShiftCalendar', () => {
  it('reads shifts, sorted by start; empty means none', () => {
    expect(TWO).toEqual([{ start: '06:00', end: '14:00' }, { start: '14:00', end: '22:00' }]);
    expect(parseShiftCalendar('  ')).toEqual([]);
  });

  it.each([
    ['06:00', "'06:00' is not a shift"],
    ['6:00-14:00', "'6:00-14:00' is not a shift"],
    ['06:00-24:00', "'06:00-24:00' is not a shift"],
    ['06:00-14:00-15:00', 'is not a shift'],
    ['06:00-06:00', 'does not end after it starts'],
    ['22:00-04:00', 'does not end after it starts'],
    ['06:00-14:00,06:00-10:00', 'two shifts start at the same time'],
  ])('refuses %s', (text, message) => {
    expect(() => parseShiftCalendar(text)).toThrow(message);
  });
});

describe('upcomingShifts', () => {
  it('lists the shifts still to start, in order, across midnight in district time', () => {
    const shifts = upcomingShifts(TWO, at('2026-12-06', '15:00'), UTC8, 60);
    expect(shifts.slice(0, 3).map((s) => `${s.date} ${s.start}`)).toEqual(['2026-12-07 06:00', '2026-12-07 14:00', '2026-12-08 06:00']);
    expect(shifts[0]).toMatchObject({ startMs: at('2026-12-07', '06:00'), endMs: at('2026-12-07', '14:00'), planAtMs: at('2026-12-07', '05:00') });
  });
});

describe('shiftsToPlan', () => {
  const none = () => false;

  it('nothing before the lead time; the shift from then until it starts; nothing once planned', () => {
    expect(shiftsToPlan(TWO, at('2026-12-07', '04:59'), UTC8, 60, none)).toEqual([]);
    expect(shiftsToPlan(TWO, at('2026-12-07', '05:00'), UTC8, 60, none).map((s) => s.start)).toEqual(['06:00']);
    expect(shiftsToPlan(TWO, at('2026-12-07', '05:59'), UTC8, 60, none).map((s) => s.start)).toEqual(['06:00']);
    expect(shiftsToPlan(TWO, at('2026-12-07', '06:00'), UTC8, 60, none)).toEqual([]);
    expect(shiftsToPlan(TWO, at('2026-12-07', '05:30'), UTC8, 60, (s) => s.date === '2026-12-07' && s.start === '06:00')).toEqual([]);
  });
});

describe('nextShiftStartMs', () => {
  const shift = (date: string, start: string, end: string) => ({ startMs: at(date, start), endMs: at(date, end) });
  it("the next calendar shift, or the same time tomorrow with one shift a day", () => {
    expect(nextShiftStartMs(TWO, shift('2026-12-07', '06:00', '14:00'), UTC8)).toBe(at('2026-12-07', '14:00'));
    expect(nextShiftStartMs(TWO, shift('2026-12-07', '14:00', '22:00'), UTC8)).toBe(at('2026-12-08', '06:00'));
    expect(nextShiftStartMs(parseShiftCalendar('06:00-14:00'), shift('2026-12-07', '06:00', '14:00'), UTC8)).toBe(at('2026-12-08', '06:00'));
    expect(nextShiftStartMs([], shift('2026-12-07', '09:30', '12:00'), UTC8)).toBe(at('2026-12-08', '09:30'));
  });

  it('is never a calendar shift starting inside the one planned (an ad hoc shift over the calendar)', () => {
    const hourly = parseShiftCalendar('15:00-16:00');
    expect(nextShiftStartMs(hourly, shift('2026-12-07', '14:00', '22:00'), UTC8)).toBe(at('2026-12-08', '15:00'));
    expect(nextShiftStartMs(TWO, shift('2026-12-07', '10:00', '15:00'), UTC8)).toBe(at('2026-12-08', '06:00'));
  });
});

import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  dateFormats,
  FIRST_DAY_OF_WEEK,
  isDay,
  monthGrid,
  moveByKey,
  parseTypedDay,
  rangeEnds,
  weekdayColumns,
  weekdayOf,
} from '../../../services/console/core/date-picker.ts';

describe('calendar arithmetic on district days', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-27', -28)).toBe('2026-10-30');
  });

  it('adds months, keeping the day or falling back to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
  });

  it('knows a real day from a well-formed impostor', () => {
    expect(isDay('2026-11-24')).toBe(true);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(isDay('')).toBe(false);
  });
});

describe('month grid', () => {
  it('starts weeks on Monday in Chinese and on Sunday in English', () => {
    expect(FIRST_DAY_OF_WEEK['zh-CN']).toBe(1);
    expect(FIRST_DAY_OF_WEEK.en).toBe(0);
    expect(weekdayColumns(1)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(weekdayColumns(0)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('lays November 2026 (1st a Sunday, 30 days) out in whole weeks from Monday', () => {
    const weeks = monthGrid('2026-11-17', { firstDay: 1 });
    // Mon 26 Oct … Sun 6 Dec: the 1st is the last column of the first week.
    expect(weeks).toHaveLength(6);
    expect(weeks[0]!.map((c) => c.day)).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01']);
    expect(weeks[0]!.map((c) => c.inMonth)).toEqual([false, false, false, false, false, false, true]);
    expect(weeks.at(-1)!.at(-1)!.day).toBe('2026-12-06');
    for (const week of weeks) expect(week.map((c) => weekdayOf(c.day))).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(weeks.flat().filter((c) => c.inMonth)).toHaveLength(30);
  });

  it('lays the same month out from Sunday: the 1st opens the first week', () => {
    const weeks = monthGrid('2026-11-01', { firstDay: 0 });
    expect(weeks).toHaveLength(5);
    expect(weeks[0]![0]!.day).toBe('2026-11-01');
    expect(weeks.at(-1)!.map((c) => c.day)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05']);
  });

  it('fits February 2026 (Sunday the 1st … Saturday the 28th) in four Sunday weeks', () => {
    expect(monthGrid('2026-02-10', { firstDay: 0 })).toHaveLength(4);
    expect(monthGrid('2026-02-10', { firstDay: 1 })).toHaveLength(5);
  });

  it('marks the selected day and today, and disables days after max and before min', () => {
    const cells = monthGrid('2026-11-01', { firstDay: 1, selected: '2026-11-20', today: '2026-11-27', max: '2026-11-27', min: '2026-11-03' }).flat();
    const cell = (day: string) => cells.find((c) => c.day === day)!;
    expect(cells.filter((c) => c.selected).map((c) => c.day)).toEqual(['2026-11-20']);
    expect(cells.filter((c) => c.today).map((c) => c.day)).toEqual(['2026-11-27']);
    expect(cell('2026-11-27').disabled).toBe(false);
    expect(cell('2026-11-28').disabled).toBe(true);
    expect(cell('2026-11-03').disabled).toBe(false);
    expect(cell('2026-11-02').disabled).toBe(true);
  });
});

describe('keyboard', () => {
  it('moves by day, week and month, never past max', () => {
    expect(moveByKey('2026-11-20', 'ArrowLeft')).toBe('2026-11-19');
    expect(moveByKey('2026-11-20', 'ArrowRight')).toBe('2026-11-21');
    expect(moveByKey('2026-11-20', 'ArrowUp')).toBe('2026-11-13');
    expect(moveByKey('2026-11-20', 'ArrowDown')).toBe('2026-11-27');
    expect(moveByKey('2026-11-30', 'PageUp')).toBe('2026-10-30');
    expect(moveByKey('2026-10-31', 'PageDown')).toBe('2026-11-30');
    expect(moveByKey('2026-11-24', 'ArrowDown', { max: '2026-11-27' })).toBe('2026-11-27');
    expect(moveByKey('2026-11-24', 'PageDown', { max: '2026-11-27' })).toBe('2026-11-27');
    expect(moveByKey('2026-11-24', 'Enter')).toBeUndefined();
    expect(moveByKey('2026-11-24', 'a')).toBeUndefined();
  });
});

describe('typed days', () => {
  it('reads what the field shows in either language, and ISO', () => {
    expect(parseTypedDay('2026年11月24日')).toBe('2026-11-24');
    expect(parseTypedDay(' 2026年11月24日周二 ')).toBe('2026-11-24');
    expect(parseTypedDay('2026年11月24日星期二')).toBe('2026-11-24');
    expect(parseTypedDay('Nov 24, 2026')).toBe('2026-11-24');
    expect(parseTypedDay('Tue, November 24, 2026')).toBe('2026-11-24');
    expect(parseTypedDay('24 Nov 2026')).toBe('2026-11-24');
    expect(parseTypedDay('2026-11-24')).toBe('2026-11-24');
    expect(parseTypedDay('2026/11/4')).toBe('2026-11-04');
    expect(parseTypedDay('2026.1.2')).toBe('2026-01-02');
  });

  it('refuses what is not one day for every reader', () => {
    expect(parseTypedDay('03/04/2026')).toBeUndefined();
    expect(parseTypedDay('2026-02-30')).toBeUndefined();
    expect(parseTypedDay('Feb 30, 2026')).toBeUndefined();
    expect(parseTypedDay('yesterday')).toBeUndefined();
    expect(parseTypedDay('Nov 2026')).toBeUndefined();
    expect(parseTypedDay('')).toBeUndefined();
  });
});

describe('formats', () => {
  const zh = dateFormats('zh-CN');
  const en = dateFormats('en');

  it('writes the field, the page title and weekday names in the language, whatever the browser', () => {
    expect(zh.field('2026-11-24')).toBe('2026年11月24日');
    expect(en.field('2026-11-24')).toBe('Nov 24, 2026');
    expect(zh.month('2026-11-01')).toBe('2026年11月');
    expect(en.month('2026-11-01')).toBe('November 2026');
    expect(weekdayColumns(1).map((w) => zh.weekday(w, 'short'))).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日']);
    expect(weekdayColumns(0).map((w) => en.weekday(w, 'short'))).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);
    expect(en.weekday(2, 'long')).toBe('Tuesday');
    expect(zh.full('2026-11-24')).toBe('2026年11月24日星期二');
    expect(en.full('2026-11-24')).toBe('Tuesday, November 24, 2026');
  });

  it('reads back every day it writes, in both languages', () => {
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      expect(parseTypedDay(zh.field(day))).toBe(day);
      expect(parseTypedDay(en.field(day))).toBe(day);
    }
  });

  it('leaves the year out of a range within the current year', () => {
    expect(rangeEnds('2026-11-20', '2026-11-27', '2026-11-27', zh)).toEqual({ from: '11月20日', to: '11月27日' });
    expect(rangeEnds('2026-11-20', '2026-11-27', '2026-11-27', en)).toEqual({ from: 'Nov 20', to: 'Nov 27' });
    expect(rangeEnds('2025-12-28', '2026-01-04', '2026-01-04', en)).toEqual({ from: 'Dec 28, 2025', to: 'Jan 4, 2026' });
  });
});

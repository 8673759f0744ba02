/**
 * The console's own date picker, in the console's language. The native <input type="date"> shows
 * the *browser's* format (mm/dd/yyyy on an en-US browser while the console is in Chinese), so
 * the console formats days itself and draws its own calendar. This is the calendar's pure part:
 * day arithmetic on district days (YYYY-MM-DD, already district-local: no time zone involved),
 * the month grid, keyboard moves, parsing what a person types, and the Intl formats per locale.
 */
import type { Locale } from './i18n/locale.ts';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 0 = Sunday … 6 = Saturday, as Date.getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * The first column of the calendar, as CLDR has it (Intl.Locale#getWeekInfo, not yet in every
 * browser the district uses): Monday in China, Sunday for English (en = en-US in CLDR).
 */
export const FIRST_DAY_OF_WEEK: Record<Locale, Weekday> = { 'zh-CN': 1, en: 0 };

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const ms = dayMs(text);
  return !Number.isNaN(ms) && isoOf(ms) === text;
}

export function addDays(day: string, days: number): string {
  return isoOf(dayMs(day) + days * DAY_MS);
}

/** The same day of another month, or that month's last day (Jan 31 + 1 month = Feb 28). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(date, last));
  return isoOf(first.getTime());
}

/** The first day of the day's month: the key of a calendar page. */
export function monthOf(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function weekdayOf(day: string): Weekday {
  return new Date(dayMs(day)).getUTCDay() as Weekday;
}

export function clampDay(day: string, min: string | undefined, max: string | undefined): string {
  if (min !== undefined && day < min) return min;
  if (max !== undefined && day > max) return max;
  return day;
}

export interface CalendarCell {
  day: string;
  /** In the month shown (the others fill the first and last week, greyed). */
  inMonth: boolean;
  /** Outside [min, max]: shown, not choosable. */
  disabled: boolean;
  selected: boolean;
  today: boolean;
}

/**
 * One calendar page: whole weeks from the week holding the month's first day to the week
 * holding its last, starting on `firstDay`. Always 4 to 6 rows of 7.
 */
export function monthGrid(
  month: string,
  options: { firstDay: Weekday; selected?: string; today?: string; min?: string; max?: string },
): CalendarCell[][] {
  const first = monthOf(month);
  const last = addDays(addMonths(first, 1), -1);
  const lead = (weekdayOf(first) - options.firstDay + 7) % 7;
  const weeks: CalendarCell[][] = [];
  for (let start = addDays(first, -lead); start <= last; start = addDays(start, 7)) {
    weeks.push(
      Array.from({ length: 7 }, (_, i) => {
        const day = addDays(start, i);
        return {
          day,
          inMonth: day.slice(0, 7) === first.slice(0, 7),
          disabled: (options.min !== undefined && day < options.min) || (options.max !== undefined && day > options.max),
          selected: day === options.selected,
          today: day === options.today,
        };
      }),
    );
  }
  return weeks;
}

/** The weekdays in column order, starting on `firstDay`. */
export function weekdayColumns(firstDay: Weekday): Weekday[] {
  return Array.from({ length: 7 }, (_, i) => ((firstDay + i) % 7) as Weekday);
}

const MOVES: Readonly<Record<string, (day: string) => string>> = {
  ArrowLeft: (day) => addDays(day, -1),
  ArrowRight: (day) => addDays(day, 1),
  ArrowUp: (day) => addDays(day, -7),
  ArrowDown: (day) => addDays(day, 7),
  PageUp: (day) => addMonths(day, -1),
  PageDown: (day) => addMonths(day, 1),
};

/**
 * Where a key moves the focused day in the grid (the WAI-ARIA date picker dialog pattern:
 * arrows by day and week, Page Up/Down by month), kept within [min, max]; undefined for a key
 * that is not a move.
 */
export function moveByKey(day: string, key: string, bounds: { min?: string; max?: string } = {}): string | undefined {
  const move = MOVES[key];
  return move ? clampDay(move(day), bounds.min, bounds.max) : undefined;
}

/** The Intl formats the picker shows, for one locale. Days are formatted at UTC midnight: they are already district-local. */
export interface DateFormats {
  /** The text field: "Nov 24, 2026" / "2026年11月24日". */
  field(day: string): string;
  /** A calendar cell's accessible name: "Tuesday, November 24, 2026" / "2026年11月24日星期二". */
  full(day: string): string;
  /** The page title: "November 2026" / "2026年11月". */
  month(day: string): string;
  /** A column header, "Tue" / "周二", and its full name for assistive technology. */
  weekday(weekday: Weekday, style: 'short' | 'long'): string;
  /** "Nov 24" / "11月24日": a day of a range within the current year. */
  monthDay(day: string): string;
}

export function dateFormats(locale: Locale): DateFormats {
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
  const field = format({ year: 'numeric', month: 'short', day: 'numeric' });
  const full = format({ year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  const month = format({ year: 'numeric', month: 'long' });
  const monthDay = format({ month: 'short', day: 'numeric' });
  const weekdays = { short: format({ weekday: 'short' }), long: format({ weekday: 'long' }) };
  // 2026-11-01 is a Sunday: weekday w is that day plus w days.
  const sunday = dayMs('2026-11-01');
  return {
    field: (day) => field.format(dayMs(day)),
    full: (day) => full.format(dayMs(day)),
    month: (day) => month.format(dayMs(day)),
    weekday: (weekday, style) => weekdays[style].format(sunday + weekday * DAY_MS),
    monthDay: (day) => monthDay.format(dayMs(day)),
  };
}

/**
 * The two ends of a range as the locale writes days: without the year when both lie in the
 * current year (the common case, and it keeps a KPI line short), with it otherwise.
 */
export function rangeEnds(from: string, to: string, today: string, formats: DateFormats): { from: string; to: string } {
  const thisYear = from.slice(0, 4) === today.slice(0, 4) && to.slice(0, 4) === today.slice(0, 4);
  const write = thisYear ? formats.monthDay : formats.field;
  return { from: write(from), to: write(to) };
}

const ENGLISH_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function dayOf(year: number, month: number, date: number): string | undefined {
  const day = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  return isDay(day) ? day : undefined;
}

/**
 * A day a person typed into the field, in either language's way of writing it: what the field
 * shows ("Nov 24, 2026", "2026年11月24日", "2026年11月24日周二"), ISO or with slashes or dots
 * ("2026-11-24", "2026/11/24"), or "24 Nov 2026". Numeric day-first or month-first forms
 * (11/24/2026) are refused: 03/04/2026 means two different days to two readers.
 */
export function parseTypedDay(text: string): string | undefined {
  const clean = text.trim().toLowerCase().replace(/(星期|周)[一二三四五六日天]$/, '').trim();
  const ymd = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(clean);
  if (ymd) return dayOf(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const words = clean.replace(/^[a-z]+,\s*/, '').replace(/,/g, ' ').split(/\s+/);
  const monthIndex = (word: string | undefined) => (word && word.length >= 3 ? ENGLISH_MONTHS.indexOf(word.slice(0, 3)) : -1);
  const [a, b, c] = words;
  if (words.length !== 3 || !/^\d{4}$/.test(c ?? '')) return undefined;
  if (monthIndex(a) >= 0 && /^\d{1,2}$/.test(b!)) return dayOf(Number(c), monthIndex(a) + 1, Number(b));
  if (monthIndex(b) >= 0 && /^\d{1,2}$/.test(a!)) return dayOf(Number(c), monthIndex(b) + 1, Number(a));
  return undefined;
}

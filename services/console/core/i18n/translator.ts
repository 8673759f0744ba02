/**
 * The translator a view gets: messages from the catalogue of one locale, and numbers, units,
 * dates and relative times through Intl in that locale. Every time is district time (the
 * configured UTC offset), whatever the browser's own time zone, so a screenshot from a laptop
 * set to UTC shows the district's clock. Pure: `now` is passed in where it matters.
 */
import { DAY_MS, localDay } from '../../../../shared/units.ts';
import type { Catalogue, Message } from './catalogue.ts';
import type { Locale } from './locale.ts';
import { MESSAGES, type MessageKey } from './messages/index.ts';

export type Params = Readonly<Record<string, string | number>>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export interface I18n {
  readonly locale: Locale;
  readonly utcOffsetMinutes: number;
  /** The message in this locale with its placeholders filled; numbers are formatted for the locale. */
  t(key: MessageKey, params?: Params): string;
  /** A number in the locale's digits grouping ("20,406"), optionally with fixed decimals. */
  number(value: number, decimals?: number): string;
  /** A fillingLevel 0..1 as a whole percentage, floored (0.899 never reads 90 %); "–" without a value. */
  percent(level: number | null | undefined): string;
  /** "70.46 t" / "70.46 吨". */
  tonnes(kg: number): string;
  /** "3.5 kg" / "3.5 公斤", one decimal unless given. */
  kg(kg: number, decimals?: number): string;
  /** "2026-11-27 04:23" district time; "–" for null. */
  dateTime(instant: string | number | null): string;
  /** "04:23:05" district time. */
  time(instant: string | number | null): string;
  /** "04:23" today, "11-26 22:10" on another day (district days). */
  short(instant: string | number | null, now: number): string;
  /** "5 min ago" / "5分钟前"; "just now" under a minute or for a future instant (clock skew). */
  ago(instant: string | number | null, now: number): string;
  /** A district day (YYYY-MM-DD) as a chart label or heading: "Mon 11/24" / "11月24日 周一". */
  day(day: string, style?: 'short' | 'long' | 'weekday'): string;
  /** "UTC+8". */
  readonly offsetLabel: string;
  /** "a, b and c" / "a、b和c". */
  list(items: readonly string[]): string;
}

function toMs(instant: string | number): number {
  return typeof instant === 'number' ? instant : Date.parse(instant);
}

/** The wall-clock fields of an instant in the district, as YYYY-MM-DDTHH:MM:SS. */
function localIso(instant: string | number | null, utcOffsetMinutes: number): string | undefined {
  if (instant === null) return undefined;
  const ms = toMs(instant);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 19);
}

/** "UTC+8", "UTC+5:30", "UTC−3". */
export function offsetLabel(utcOffsetMinutes: number): string {
  if (utcOffsetMinutes === 0) return 'UTC';
  const sign = utcOffsetMinutes > 0 ? '+' : '−';
  const abs = Math.abs(utcOffsetMinutes);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

function lookup(locale: Locale, key: string): Message | undefined {
  return (MESSAGES[locale] as Catalogue)[key] ?? (MESSAGES.en as Catalogue)[key];
}

export function createI18n(locale: Locale, utcOffsetMinutes: number): I18n {
  const numbers = new Map<number | undefined, Intl.NumberFormat>();
  const numberFormat = (decimals?: number): Intl.NumberFormat => {
    let format = numbers.get(decimals);
    if (!format) {
      format = new Intl.NumberFormat(locale, decimals === undefined ? { maximumFractionDigits: 2 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      numbers.set(decimals, format);
    }
    return format;
  };
  const plurals = new Intl.PluralRules(locale);
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'short' });
  const listFormat = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  // Day labels are formatted at UTC midnight of the day itself: the day is already district-local.
  const dayFormats = {
    short: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'numeric', day: 'numeric' }),
    long: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
    weekday: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }),
  };

  const fillIn = (text: string, params: Params | undefined): string =>
    params === undefined
      ? text
      : text.replace(/\{(\w+)\}/g, (whole, name: string) => {
          const value = params[name];
          if (value === undefined) return whole;
          return typeof value === 'number' ? numberFormat().format(value) : value;
        });

  const i18n: I18n = {
    locale,
    utcOffsetMinutes,
    offsetLabel: offsetLabel(utcOffsetMinutes),
    t(key, params) {
      const message = lookup(locale, key);
      if (message === undefined) return key;
      if (typeof message === 'string') return fillIn(message, params);
      const count = params?.count;
      const form = typeof count === 'number' ? plurals.select(count) : 'other';
      return fillIn(message[form] ?? message.other, params);
    },
    number: (value, decimals) => numberFormat(decimals).format(value),
    percent(level) {
      if (level === null || level === undefined || Number.isNaN(level)) return '–';
      return percentFormat.format(Math.floor(level * 100) / 100);
    },
    tonnes: (kg) => i18n.t('unit.tonnes', { value: numberFormat(2).format(kg / 1000) }),
    kg: (kg, decimals = 1) => i18n.t('unit.kg', { value: numberFormat(decimals).format(kg) }),
    dateTime(instant) {
      const iso = localIso(instant, utcOffsetMinutes);
      return iso === undefined ? '–' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
    },
    time(instant) {
      const iso = localIso(instant, utcOffsetMinutes);
      return iso === undefined ? '–' : iso.slice(11, 19);
    },
    short(instant, now) {
      const iso = localIso(instant, utcOffsetMinutes);
      if (iso === undefined) return '–';
      const sameDay = iso.slice(0, 10) === localDay(now, utcOffsetMinutes);
      return sameDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    },
    ago(instant, now) {
      if (instant === null) return i18n.t('time.never');
      const ms = toMs(instant);
      if (Number.isNaN(ms)) return i18n.t('time.never');
      const elapsed = now - ms;
      if (elapsed < MINUTE_MS) return i18n.t('time.justNow');
      if (elapsed < HOUR_MS) return relative.format(-Math.floor(elapsed / MINUTE_MS), 'minute');
      if (elapsed < DAY_MS) return relative.format(-Math.floor(elapsed / HOUR_MS), 'hour');
      return relative.format(-Math.floor(elapsed / DAY_MS), 'day');
    },
    day(day, style = 'short') {
      const ms = Date.parse(`${day}T00:00:00Z`);
      if (Number.isNaN(ms)) return day;
      return dayFormats[style].format(ms);
    },
    list: (items) => listFormat.format(items),
  };
  return i18n;
}

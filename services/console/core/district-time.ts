/**
 * Times as the district reads them: local time (UTC+8 for Tianning), whatever the browser's own
 * time zone is, so a screenshot sent from Beijing or a laptop set to UTC shows the same clock.
 */
import { DAY_MS, localDay } from '../../../shared/units.ts';

const MINUTE_MS = 60_000;

function toMs(instant: string | number): number {
  return typeof instant === 'number' ? instant : Date.parse(instant);
}

/** The wall-clock fields of an instant in the district, as YYYY-MM-DDTHH:MM:SS. */
function localIso(instant: string | number, utcOffsetMinutes: number): string | undefined {
  const ms = toMs(instant);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 19);
}

/** "2026-11-27 04:23". */
export function formatDateTime(instant: string | number | null, utcOffsetMinutes: number): string {
  const iso = instant === null ? undefined : localIso(instant, utcOffsetMinutes);
  return iso === undefined ? '–' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** "04:23:05". */
export function formatTime(instant: string | number | null, utcOffsetMinutes: number): string {
  const iso = instant === null ? undefined : localIso(instant, utcOffsetMinutes);
  return iso === undefined ? '–' : iso.slice(11, 19);
}

/** "04:23" today, "11-26 22:10" another day: short, for lists. */
export function formatShort(instant: string | number | null, now: number, utcOffsetMinutes: number): string {
  const iso = instant === null ? undefined : localIso(instant, utcOffsetMinutes);
  if (iso === undefined) return '–';
  const sameDay = iso.slice(0, 10) === localDay(now, utcOffsetMinutes);
  return sameDay ? iso.slice(11, 16) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** "UTC+8", "UTC+5:30", "UTC−3". */
export function offsetLabel(utcOffsetMinutes: number): string {
  if (utcOffsetMinutes === 0) return 'UTC';
  const sign = utcOffsetMinutes > 0 ? '+' : '−';
  const abs = Math.abs(utcOffsetMinutes);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; a future instant (clock skew) reads "just now". */
export function formatAgo(instant: string | number | null, now: number): string {
  if (instant === null) return 'never';
  const ms = toMs(instant);
  if (Number.isNaN(ms)) return 'never';
  const elapsed = now - ms;
  if (elapsed < MINUTE_MS) return 'just now';
  if (elapsed < 60 * MINUTE_MS) return `${Math.floor(elapsed / MINUTE_MS)} min ago`;
  if (elapsed < DAY_MS) return `${Math.floor(elapsed / (60 * MINUTE_MS))} h ago`;
  return `${Math.floor(elapsed / DAY_MS)} d ago`;
}

/** The calendar day `days` after (or before) a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The managers' default range: the last 7 full days and today, district-local. */
export function defaultTonnageRange(now: number, utcOffsetMinutes: number): { from: string; to: string } {
  const today = localDay(now, utcOffsetMinutes);
  return { from: addDays(today, -7), to: today };
}

export { localDay };

/** Units and the district's calendar. Tianning keeps China Standard Time (UTC+8, no DST). */

export const KG_PER_TONNE = 1000;

export const kgToTonnes = (kg: number): number => kg / KG_PER_TONNE;

const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The district-local calendar day (YYYY-MM-DD) of an instant. */
export function localDay(epochMs: number, utcOffsetMinutes: number): string {
  return new Date(epochMs + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** The instant a district-local day (YYYY-MM-DD) begins. */
export function localDayStart(day: string, utcOffsetMinutes: number): number {
  return Date.parse(`${day}T00:00:00Z`) - utcOffsetMinutes * MINUTE_MS;
}

/** District-local hour of day, 0..23.99, for daily profiles. */
export function localHourOfDay(epochMs: number, utcOffsetMinutes: number): number {
  const local = epochMs + utcOffsetMinutes * MINUTE_MS;
  return (((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
}

/** An ISO 8601 instant with the district's offset, as devices in Tianning report time. */
export function toLocalIso(epochMs: number, utcOffsetMinutes: number): string {
  const local = new Date(epochMs + utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 23);
  const sign = utcOffsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(utcOffsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

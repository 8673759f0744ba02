/** The rules of a new silence's time window, pure so they are tested without HTTP. */

export const MAX_SILENCE_DAYS = 30;
const DAY_MS = 86_400_000;

export type SilenceWindow = { ok: true; startsAt: number; endsAt: number } | { ok: false; error: string };

/**
 * startsAt defaults to now. The end must come after the start, must not have passed already
 * (such a silence would never mute anything: almost certainly a typo in a date), and a
 * window is at most 30 days, so a forgotten silence cannot hide a device's alerts for good.
 */
export function checkSilenceWindow(input: { startsAt?: string | undefined; endsAt: string }, now: number): SilenceWindow {
  const startsAt = input.startsAt === undefined ? now : Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return { ok: false, error: 'startsAt and endsAt must be ISO 8601 instants' };
  if (endsAt <= startsAt) return { ok: false, error: 'endsAt must be after startsAt' };
  if (endsAt <= now) return { ok: false, error: 'endsAt has already passed' };
  if (endsAt - startsAt > MAX_SILENCE_DAYS * DAY_MS) {
    return { ok: false, error: `a silence lasts at most ${MAX_SILENCE_DAYS} days` };
  }
  return { ok: true, startsAt, endsAt };
}

import { describe, expect, it } from 'vitest';
import { checkSilenceWindow } from '../../../services/api/core/silence-window.ts';

const NOW = Date.parse('2026-05-10T04:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('checkSilenceWindow', () => {
  it('starts now when startsAt is absent', () => {
    expect(checkSilenceWindow({ endsAt: iso(NOW + DAY) }, NOW)).toEqual({ ok: true, startsAt: NOW, endsAt: NOW + DAY });
  });

  it('accepts a future window and a window that began in the past but has not ended', () => {
    expect(checkSilenceWindow({ startsAt: iso(NOW + DAY), endsAt: iso(NOW + 2 * DAY) }, NOW).ok).toBe(true);
    expect(checkSilenceWindow({ startsAt: iso(NOW - DAY), endsAt: iso(NOW + DAY) }, NOW).ok).toBe(true);
  });

  it('allows exactly 30 days and refuses a millisecond more', () => {
    expect(checkSilenceWindow({ endsAt: iso(NOW + 30 * DAY) }, NOW).ok).toBe(true);
    expect(checkSilenceWindow({ endsAt: iso(NOW + 30 * DAY + 1) }, NOW)).toEqual({ ok: false, error: 'a silence lasts at most 30 days' });
  });

  it('reads offsets: +08:00 noon is 04:00Z', () => {
    expect(checkSilenceWindow({ startsAt: '2026-05-10T12:00:00+08:00', endsAt: '2026-05-10T13:00:00+08:00' }, NOW)).toEqual({
      ok: true,
      startsAt: NOW,
      endsAt: NOW + 3_600_000,
    });
  });

  it.each([
    [{ startsAt: iso(NOW + 2 * DAY), endsAt: iso(NOW + DAY) }, 'endsAt must be after startsAt'],
    [{ endsAt: iso(NOW) }, 'endsAt must be after startsAt'],
    [{ startsAt: iso(NOW - 2 * DAY), endsAt: iso(NOW - DAY) }, 'endsAt has already passed'],
    [{ endsAt: 'soon' }, 'startsAt and endsAt must be ISO 8601 instants'],
  ])('refuses %j', (input, error) => {
    expect(checkSilenceWindow(input, NOW)).toEqual({ ok: false, error });
  });
});

/** The boxes-to-empty list's "full by 14:30 (±40 min)": the forecast of the row's compartment, in district time. */
import { describe, expect, it } from 'vitest';
import type { BoxForecast, CompartmentForecastOut } from '../../../shared/contracts/index.ts';
import { forecastsForRows, fullForecast, fullForecastText } from '../../../services/console/core/boxes-to-empty.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';

/** 2026-12-07 10:00 in the district (UTC+8). */
const NOW = Date.parse('2026-12-07T02:00:00Z');
const at = (minutesFromNow: number) => new Date(NOW + minutesFromNow * 60_000).toISOString();

function compartment(overrides: Partial<CompartmentForecastOut>): CompartmentForecastOut {
  return {
    category: 'paper',
    level: 0.72,
    fillRatePerHour: 0.04,
    fullLevel: 0.9,
    // Full at 14:30 district time, 80 % interval 13:52–15:12 (80 min wide: ±40).
    fullAt: at(270),
    fullAtEarliest: at(232),
    fullAtLatest: at(312),
    overflowAt: null,
    overflowAtEarliest: null,
    overflowAtLatest: null,
    reliability: { rating: 'good', reasons: [] },
    ...overrides,
  };
}

const zh = createI18n('zh-CN', 480);
const en = createI18n('en', 480);

describe('fullForecast', () => {
  it('gives the median instant and half the 80 % interval rounded to 5 minutes', () => {
    expect(fullForecast(compartment({}), NOW)).toEqual({ kind: 'at', at: Date.parse(at(270)), marginMinutes: 40 });
    // 2 × 37 min wide: ±37 rounds to ±35; a very narrow interval still says ±5.
    expect(fullForecast(compartment({ fullAtEarliest: at(233), fullAtLatest: at(307) }), NOW)).toMatchObject({ marginMinutes: 35 });
    expect(fullForecast(compartment({ fullAtEarliest: at(269), fullAtLatest: at(271) }), NOW)).toMatchObject({ marginMinutes: 5 });
    expect(fullForecast(compartment({ fullAtEarliest: null }), NOW)).toMatchObject({ kind: 'at', marginMinutes: null });
  });

  it('says full when the compartment is at its full level or the median has passed, unknown without a forecast', () => {
    expect(fullForecast(compartment({ level: 0.93 }), NOW)).toEqual({ kind: 'full' });
    expect(fullForecast(compartment({ fullAt: at(-5) }), NOW)).toEqual({ kind: 'full' });
    expect(fullForecast(compartment({ fullAt: null }), NOW)).toEqual({ kind: 'unknown' });
    expect(fullForecast(undefined, NOW)).toEqual({ kind: 'unknown' });
  });

  it("says full when the list's own reading is at the full level or overflowing, though the forecast's level lags", () => {
    expect(fullForecast(compartment({}), NOW, { fillingLevel: 1, overflow: true })).toEqual({ kind: 'full' });
    expect(fullForecast(compartment({}), NOW, { fillingLevel: 0.9, overflow: false })).toEqual({ kind: 'full' });
    expect(fullForecast(compartment({}), NOW, { fillingLevel: 0.75, overflow: false })).toMatchObject({ kind: 'at' });
  });
});

describe('fullForecastText', () => {
  const forecast = fullForecast(compartment({}), NOW);

  it('reads "full by 14:30 (±40 min)" in district time, in either language', () => {
    expect(fullForecastText(forecast, NOW, en)).toBe('full by 14:30 (±40 min)');
    expect(fullForecastText(forecast, NOW, zh)).toBe('预计 14:30 满（±40 分钟）');
    // The same instant for a UTC reader is 06:30: the offset, not the machine's zone, decides.
    expect(fullForecastText(forecast, NOW, createI18n('en', 0))).toBe('full by 06:30 (±40 min)');
  });

  it('adds the date for a later district day, and says full or no forecast', () => {
    // 23:50 today + 20 min is 00:10 tomorrow in the district.
    const late = Date.parse('2026-12-07T15:50:00Z');
    const tomorrow = fullForecast(compartment({ fullAt: new Date(late + 20 * 60_000).toISOString(), fullAtEarliest: null }), late);
    expect(fullForecastText(tomorrow, late, en)).toBe('full by 12-08 00:10');
    expect(fullForecastText({ kind: 'full' }, NOW, zh)).toBe('已满');
    expect(fullForecastText({ kind: 'unknown' }, NOW, en)).toBe('no forecast');
  });
});

describe('forecastsForRows', () => {
  it("joins by device id and the row's compartment; a box missing from the list is unknown", () => {
    const box = (deviceId: string, compartments: CompartmentForecastOut[]) => ({ deviceId, compartments }) as unknown as BoxForecast;
    const forecasts = [
      box('B001', [compartment({ category: 'plastic', fullAt: at(30), fullAtEarliest: at(20), fullAtLatest: at(40) }), compartment({})]),
      box('B002', [compartment({ category: 'paper', level: 0.95 })]),
    ];
    const joined = forecastsForRows(
      [
        { id: 'B001', category: 'paper', fillingLevel: 0.72, overflow: false },
        { id: 'B002', category: 'paper', fillingLevel: 0.72, overflow: false },
        { id: 'B003', category: 'paper', fillingLevel: 0.72, overflow: false },
        { id: 'B001x', category: 'metal', fillingLevel: 0.72, overflow: false },
      ],
      forecasts,
      NOW,
    );
    expect(joined.get('B001')).toEqual({ kind: 'at', at: Date.parse(at(270)), marginMinutes: 40 });
    expect(joined.get('B002')).toEqual({ kind: 'full' });
    expect(joined.get('B003')).toEqual({ kind: 'unknown' });
    expect(joined.get('B001x')).toEqual({ kind: 'unknown' });
  });
});

/**
 * The operators' work list: boxes with a compartment at or above the threshold, fullest first.
 * One row per box (a crew empties the box, not one compartment), naming its fullest
 * compartment and any others that are also due.
 */
import type { BoxForecast, CompartmentForecastOut, DeviceWithState, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { TO_EMPTY_THRESHOLD } from './fill-scale.ts';
import type { I18n } from './i18n/translator.ts';
import { clockTime } from './plan-view.ts';

export interface BoxToEmpty {
  id: string;
  name: string;
  community: string;
  /** The name already says the community ("红梅雅苑 3号回收箱" in 红梅雅苑): a list need not repeat it. */
  communityInName: boolean;
  subdistrict: Subdistrict;
  address: string;
  responsiblePerson: string;
  gridCell: string;
  /** The fullest compartment. */
  category: WasteCategory;
  fillingLevel: number;
  overflow: boolean;
  /** Further compartments at or above the threshold, fullest first. */
  alsoDue: { category: WasteCategory; fillingLevel: number }[];
  online: boolean;
  lastSeen: string | null;
}

export function boxesToEmpty(devices: readonly DeviceWithState[], threshold = TO_EMPTY_THRESHOLD): BoxToEmpty[] {
  const rows: BoxToEmpty[] = [];
  for (const device of devices) {
    if (device.kind !== 'box') continue;
    const due = device.state.compartments
      .filter((c) => c.fillingLevel >= threshold)
      // An overflowing compartment is fuller than any other at 1.0.
      .sort((a, b) => b.fillingLevel - a.fillingLevel || Number(b.overflow ?? false) - Number(a.overflow ?? false));
    const [fullest, ...rest] = due;
    if (fullest === undefined) continue;
    rows.push({
      id: device.id,
      name: device.name,
      community: device.community,
      communityInName: device.community !== '' && device.name.includes(device.community),
      subdistrict: device.subdistrict,
      address: device.address,
      responsiblePerson: device.responsiblePerson,
      gridCell: device.gridCell,
      category: fullest.category,
      fillingLevel: fullest.fillingLevel,
      overflow: fullest.overflow ?? false,
      alsoDue: rest.map((c) => ({ category: c.category, fillingLevel: c.fillingLevel })),
      online: device.state.online,
      lastSeen: device.state.lastSeen,
    });
  }
  // Fullest first; overflow before a plain 100 %; more due compartments first; then by id, so
  // the order is stable between refreshes.
  return rows.sort(
    (a, b) =>
      b.fillingLevel - a.fillingLevel ||
      Number(b.overflow) - Number(a.overflow) ||
      b.alsoDue.length - a.alsoDue.length ||
      a.id.localeCompare(b.id),
  );
}

/**
 * When a row's compartment is forecast to be full (issue 13: "full by 14:30 (±40 min)"):
 * `full` when it already is (at or past the forecast's full level, or its median instant has
 * passed), `at` with the median instant and ± half the 80 % interval rounded to 5 minutes
 * (at least 5: the forecast is never that sure), `unknown` without a forecast or beyond its
 * 14-day horizon.
 */
export type FullForecast = { kind: 'full' } | { kind: 'at'; at: number; marginMinutes: number | null } | { kind: 'unknown' };

const FIVE_MINUTES = 5;
/** From this margin on, the label counts hours (±2 h), not minutes. */
const MARGIN_IN_HOURS_FROM = 90;

export function fullForecast(compartment: CompartmentForecastOut | undefined, now: number, live?: { fillingLevel: number; overflow: boolean }): FullForecast {
  if (compartment === undefined) return { kind: 'unknown' };
  // The list's own reading may be newer than the forecast's (an overflow reported since): the fuller wins.
  if (live?.overflow || Math.max(compartment.level, live?.fillingLevel ?? 0) >= compartment.fullLevel) return { kind: 'full' };
  if (compartment.fullAt === null) return { kind: 'unknown' };
  const at = Date.parse(compartment.fullAt);
  if (Number.isNaN(at)) return { kind: 'unknown' };
  if (at <= now) return { kind: 'full' };
  const earliest = compartment.fullAtEarliest === null ? NaN : Date.parse(compartment.fullAtEarliest);
  const latest = compartment.fullAtLatest === null ? NaN : Date.parse(compartment.fullAtLatest);
  const halfMinutes = (latest - earliest) / 2 / 60_000;
  const marginMinutes = Number.isFinite(halfMinutes) ? Math.max(FIVE_MINUTES, Math.round(halfMinutes / FIVE_MINUTES) * FIVE_MINUTES) : null;
  return { kind: 'at', at, marginMinutes };
}

/** Each row's forecast, joined by device id and the row's (fullest) compartment; boxes the list lacks are `unknown`. */
export function forecastsForRows(rows: readonly Pick<BoxToEmpty, 'id' | 'category' | 'fillingLevel' | 'overflow'>[], forecasts: readonly BoxForecast[], now: number): Map<string, FullForecast> {
  const byDevice = new Map(forecasts.map((f) => [f.deviceId, f]));
  return new Map(rows.map((row) => [row.id, fullForecast(byDevice.get(row.id)?.compartments.find((c) => c.category === row.category), now, row)]));
}

/**
 * "full by 14:30 (±40 min)" / "预计 14:30 满（±40 分钟）" in district time; a later day than
 * today's adds the date ("full by 12-08 09:15 …"), so a time tomorrow never reads as today.
 */
export function fullForecastText(forecast: FullForecast, now: number, i18n: Pick<I18n, 't' | 'utcOffsetMinutes'>): string {
  if (forecast.kind === 'full') return i18n.t('ops.toEmpty.fullNow');
  if (forecast.kind === 'unknown') return i18n.t('ops.toEmpty.fullUnknown');
  const offset = i18n.utcOffsetMinutes;
  const sameDay = new Date(forecast.at + offset * 60_000).toISOString().slice(0, 10) === new Date(now + offset * 60_000).toISOString().slice(0, 10);
  const time = sameDay ? clockTime(forecast.at, offset) : `${new Date(forecast.at + offset * 60_000).toISOString().slice(5, 10)} ${clockTime(forecast.at, offset)}`;
  if (forecast.marginMinutes === null) return i18n.t('ops.toEmpty.fullBy', { time });
  // "±4,140 min" says nothing to a reader: a wide interval is given in whole hours.
  if (forecast.marginMinutes >= MARGIN_IN_HOURS_FROM) return i18n.t('ops.toEmpty.fullByMarginHours', { time, margin: Math.round(forecast.marginMinutes / 60) });
  return i18n.t('ops.toEmpty.fullByMargin', { time, margin: forecast.marginMinutes });
}

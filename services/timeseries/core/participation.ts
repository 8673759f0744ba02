/**
 * The participation report (issue 14, item 4): per community and subdistrict, active residents
 * over the last 7 and 30 days, the participation rate against registered households, kg per
 * active resident, points issued and the week-on-week trend. Pure: the store's rows and the
 * registry's communities come in, the report goes out.
 *
 * A resident is a card (the deposit's residentHash), and a household has one card: the rate is
 * active cards over households. A card that deposits in two communities counts in each, and a
 * subdistrict's figures are its communities' sums (in the demo every card belongs to one box).
 */
import {
  type Community,
  type CommunityParticipation,
  type ParticipationFigures,
  type ParticipationReport,
  type ParticipationWindows,
  POINTS_PILOT_COMMUNITY,
  SUBDISTRICTS,
  type Subdistrict,
  type SubdistrictParticipation,
} from '../../../shared/contracts/index.ts';
import { DAY_MS, localDayStart } from '../../../shared/units.ts';
import type { ParticipationRow, TimeRange } from './store.ts';
import { kgToMilligrams, milligramsToKg } from './tonnage.ts';

/** Days back from `to` (inclusive): the last 7, the last 30, and the 7 before the last 7 (the trend's base). */
export function participationWindows(toDay: string, utcOffsetMinutes: number): { windows: ParticipationWindows; ranges: Record<keyof ParticipationWindows, TimeRange> } {
  const dayStart = (daysBack: number) => localDayStart(toDay, utcOffsetMinutes) - daysBack * DAY_MS;
  const range = (firstBack: number, lastBack: number): TimeRange => ({ from: dayStart(firstBack), to: dayStart(lastBack) + DAY_MS });
  const ranges = { last7: range(6, 0), last30: range(29, 0), previous7: range(13, 7) };
  const day = (ms: number) => new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
  const days = (r: TimeRange) => ({ from: day(r.from), to: day(r.to - DAY_MS) });
  return { windows: { last7: days(ranges.last7), last30: days(ranges.last30), previous7: days(ranges.previous7) }, ranges };
}

export interface ParticipationInput {
  toDay: string;
  utcOffsetMinutes: number;
  /** The registry's communities; those of other subdistricts are left out when `subdistrict` is set. */
  communities: readonly Community[];
  /** The store's rows for each window (participationWindows().ranges). */
  last7: readonly ParticipationRow[];
  last30: readonly ParticipationRow[];
  previous7: readonly ParticipationRow[];
  subdistrict?: Subdistrict;
}

interface Sums {
  households: number | null;
  /** Active cards of the communities with households: the rate's numerator. */
  activeRegistered30d: number;
  active7d: number;
  active30d: number;
  activePrevious7d: number;
  deposits30d: number;
  mg30d: number;
  points30d: number;
}

const emptySums = (): Sums => ({
  households: null,
  activeRegistered30d: 0,
  active7d: 0,
  active30d: 0,
  activePrevious7d: 0,
  deposits30d: 0,
  mg30d: 0,
  points30d: 0,
});

function add(into: Sums, from: Sums): void {
  if (from.households !== null) into.households = (into.households ?? 0) + from.households;
  into.activeRegistered30d += from.activeRegistered30d;
  into.active7d += from.active7d;
  into.active30d += from.active30d;
  into.activePrevious7d += from.activePrevious7d;
  into.deposits30d += from.deposits30d;
  into.mg30d += from.mg30d;
  into.points30d += from.points30d;
}

function figures(s: Sums): ParticipationFigures {
  const kg30d = milligramsToKg(s.mg30d);
  return {
    households: s.households,
    active7d: s.active7d,
    active30d: s.active30d,
    activePrevious7d: s.activePrevious7d,
    rate: s.households === null || s.households === 0 ? null : s.activeRegistered30d / s.households,
    deposits30d: s.deposits30d,
    kg30d,
    kgPerActive: s.active30d === 0 ? null : Math.round((kg30d / s.active30d) * 1000) / 1000,
    points30d: s.points30d,
    trend: s.activePrevious7d === 0 ? null : (s.active7d - s.activePrevious7d) / s.activePrevious7d,
  };
}

const keyOf = (subdistrict: string, community: string) => `${subdistrict}\u0000${community}`;

export function buildParticipationReport(input: ParticipationInput): ParticipationReport {
  const wanted = (subdistrict: Subdistrict) => input.subdistrict === undefined || input.subdistrict === subdistrict;
  const byCommunity = new Map<string, { subdistrict: Subdistrict; community: string; sums: Sums }>();
  const entry = (subdistrict: Subdistrict, community: string) => {
    const key = keyOf(subdistrict, community);
    let found = byCommunity.get(key);
    if (!found) byCommunity.set(key, (found = { subdistrict, community, sums: emptySums() }));
    return found;
  };
  for (const c of input.communities) if (wanted(c.subdistrict)) entry(c.subdistrict, c.name).sums.households = c.households;
  for (const row of input.last30) {
    if (!wanted(row.subdistrict)) continue;
    const { sums } = entry(row.subdistrict, row.community);
    sums.active30d = row.residents;
    sums.deposits30d = row.deposits;
    sums.mg30d = kgToMilligrams(row.kg);
    sums.points30d = row.points;
  }
  for (const row of input.last7) if (wanted(row.subdistrict)) entry(row.subdistrict, row.community).sums.active7d = row.residents;
  for (const row of input.previous7) if (wanted(row.subdistrict)) entry(row.subdistrict, row.community).sums.activePrevious7d = row.residents;
  for (const { sums } of byCommunity.values()) if (sums.households !== null) sums.activeRegistered30d = sums.active30d;

  const order = (s: Subdistrict) => SUBDISTRICTS.indexOf(s);
  const rows = [...byCommunity.values()].sort(
    (a, b) => order(a.subdistrict) - order(b.subdistrict) || (a.community < b.community ? -1 : a.community > b.community ? 1 : 0),
  );
  const perSubdistrict = new Map<Subdistrict, Sums>();
  const total = emptySums();
  for (const row of rows) {
    let sums = perSubdistrict.get(row.subdistrict);
    if (!sums) perSubdistrict.set(row.subdistrict, (sums = emptySums()));
    add(sums, row.sums);
    add(total, row.sums);
  }
  const communities: CommunityParticipation[] = rows.map((row) => ({
    community: row.community,
    subdistrict: row.subdistrict,
    pilot: row.community === POINTS_PILOT_COMMUNITY,
    ...figures(row.sums),
  }));
  const subdistricts: SubdistrictParticipation[] = [...perSubdistrict].map(([subdistrict, sums]) => ({ subdistrict, ...figures(sums) }));
  return {
    to: input.toDay,
    utcOffsetMinutes: input.utcOffsetMinutes,
    windows: participationWindows(input.toDay, input.utcOffsetMinutes).windows,
    communities,
    subdistricts,
    total: figures(total),
  };
}

/**
 * InfluxQL for the mass balance's reads (issue 14) and the parsing of their answers. Pure.
 * Rows come back in the store port's order: ts, then eventId (then device) ascending.
 */
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/contracts/common.ts';
import type { Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';
import { from, msLiteral, quoteIdent, type QueryTarget } from './influx-query.ts';
import type { ResultSeries } from './influx-results.ts';
import { MEASUREMENTS, recoveredField } from './influx-schema.ts';
import type { CollectionRecord, KgByCategory, SortingReportRecord, TimeRange, WeighTicketRecord } from './store.ts';

const within = (range: TimeRange) => `WHERE time >= ${msLiteral(range.from)} AND time < ${msLiteral(range.to)}`;

/** GROUP BY the tags, so each series carries them in `tags` (SELECT * would mix tags and fields). */
export const weighTicketsQuery = (target: QueryTarget, range: TimeRange): string =>
  `SELECT ${['netKg', 'grossKg', 'tareKg', 'plateKnown', 'eventId', 'ticketId', 'plate', 'reference'].map(quoteIdent).join(', ')}` +
  ` FROM ${from(target, MEASUREMENTS.weighTicket)} ${within(range)} GROUP BY "deviceId", "siteId", "direction", "category"`;

export const sortingReportsQuery = (target: QueryTarget, range: TimeRange): string =>
  `SELECT * FROM ${from(target, MEASUREMENTS.sortingReport)} ${within(range)} GROUP BY "deviceId", "siteId"`;

export const collectionsQuery = (target: QueryTarget, range: TimeRange): string =>
  `SELECT "weightKg", "eventId", "collectorId", "vehicleId" FROM ${from(target, MEASUREMENTS.collection)} ${within(range)}` +
  ` GROUP BY "deviceId", "subdistrict", "community", "category"`;

function rows(series: ResultSeries): Record<string, unknown>[] {
  return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const asCategory = (v: string | undefined): WasteCategory | null =>
  (WASTE_CATEGORIES as readonly string[]).includes(v ?? '') ? (v as WasteCategory) : null;
const byTsThenEvent = <T extends { ts: number; eventId: string; deviceId: string }>(a: T, b: T): number =>
  a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);

export function weighTicketsFromResults(results: ResultSeries[][]): WeighTicketRecord[] {
  const out: WeighTicketRecord[] = [];
  for (const series of results[0] ?? []) {
    const direction = series.tags.direction;
    if (direction !== 'in' && direction !== 'out') continue; // not BinPulse's data
    for (const row of rows(series)) {
      out.push({
        deviceId: series.tags.deviceId ?? '',
        siteId: series.tags.siteId ?? '',
        ts: num(row.time),
        eventId: str(row.eventId),
        ticketId: str(row.ticketId),
        plate: str(row.plate),
        direction,
        grossKg: num(row.grossKg),
        tareKg: num(row.tareKg),
        netKg: num(row.netKg),
        category: asCategory(series.tags.category),
        reference: typeof row.reference === 'string' ? row.reference : null,
        plateKnown: row.plateKnown === true,
      });
    }
  }
  return out.sort(byTsThenEvent);
}

export function sortingReportsFromResults(results: ResultSeries[][]): SortingReportRecord[] {
  const out: SortingReportRecord[] = [];
  for (const series of results[0] ?? []) {
    for (const row of rows(series)) {
      const recoveredKg: KgByCategory = {};
      for (const category of WASTE_CATEGORIES) {
        const kg = row[recoveredField(category)];
        if (typeof kg === 'number') recoveredKg[category] = kg;
      }
      out.push({
        deviceId: series.tags.deviceId ?? str(row.deviceId),
        siteId: series.tags.siteId ?? str(row.siteId),
        ts: num(row.time),
        periodStart: num(row.periodStart),
        eventId: str(row.eventId),
        recoveredKg,
        residueKg: num(row.residueKg),
      });
    }
  }
  return out.sort(byTsThenEvent);
}

/** One record per emptying: the per-category points of one event folded back together. */
export function collectionsFromResults(results: ResultSeries[][]): CollectionRecord[] {
  const byEvent = new Map<string, CollectionRecord>();
  for (const series of results[0] ?? []) {
    const category = asCategory(series.tags.category);
    const subdistrict = series.tags.subdistrict as Subdistrict;
    if (category === null || !(SUBDISTRICTS as readonly string[]).includes(subdistrict)) continue;
    for (const row of rows(series)) {
      const deviceId = series.tags.deviceId ?? '';
      const eventId = str(row.eventId);
      const key = `${deviceId}\u0000${eventId}`;
      let record = byEvent.get(key);
      if (record === undefined) {
        record = {
          deviceId,
          subdistrict,
          community: series.tags.community ?? '',
          ts: num(row.time),
          eventId,
          collectorId: str(row.collectorId),
          vehicleId: str(row.vehicleId),
          kgByCategory: {},
        };
        byEvent.set(key, record);
      }
      record.kgByCategory[category] = num(row.weightKg);
    }
  }
  return [...byEvent.values()].sort(byTsThenEvent);
}

/**
 * What the mass balance screen draws (issue 14), worked out without the DOM: the flow stage by
 * stage with the change from one stage to the next, and the recovered kg per day as a tonnage
 * report, so the tonnage screen's daily chart (with the district's 60–80 t band) draws it.
 */
import type { LedgerStage, MassBalanceReport, TonnageReport, TripStatus } from '../../../shared/contracts/index.ts';

export interface FlowStage {
  stage: LedgerStage;
  kg: number;
  /** kg − the previous stage's kg (null for the first stage and for residue, which splits off the received). */
  changeKg: number | null;
  /** changeKg ÷ the previous stage's kg; null when there is nothing to compare. */
  changeShare: number | null;
}

const KG_OF: Record<LedgerStage, keyof MassBalanceReport['totals']> = {
  deposited: 'depositedKg',
  collected: 'collectedKg',
  weighedIn: 'weighedInKg',
  shipped: 'shippedKg',
  received: 'receivedKg',
  recovered: 'recoveredKg',
  residue: 'residueKg',
};

const FLOW: readonly LedgerStage[] = ['deposited', 'collected', 'weighedIn', 'shipped', 'received', 'recovered', 'residue'];

export function flowStages(totals: MassBalanceReport['totals']): FlowStage[] {
  return FLOW.map((stage, i) => {
    const kg = totals[KG_OF[stage]];
    const previous = i === 0 || stage === 'residue' ? null : totals[KG_OF[FLOW[i - 1]!]];
    const changeKg = previous === null ? null : kg - previous;
    return { stage, kg, changeKg, changeShare: changeKg === null || previous === null || previous === 0 ? null : changeKg / previous };
  });
}

/** The recovered kg per day × category × subdistrict as a tonnage report (deposits 0): the daily chart's input. */
export function recoveredAsTonnage(report: MassBalanceReport): TonnageReport {
  const rows = report.rows.filter((r) => r.recoveredKg > 0).map((r) => ({ day: r.day, category: r.category, subdistrict: r.subdistrict, kg: r.recoveredKg, deposits: 0 }));
  return {
    from: report.from,
    to: report.to,
    utcOffsetMinutes: report.utcOffsetMinutes,
    rows,
    totalKg: report.totals.recoveredKg,
    totalDeposits: 0,
    // The district's days carry what no row could be allocated: the chart's bars are the rows' sums.
    byDay: report.days.map((d) => ({ day: d.day, kg: rows.filter((r) => r.day === d.day).reduce((sum, r) => sum + r.kg, 0), deposits: 0 })),
  };
}

/** Trips that need someone to look: the API lists only these; within and open trips are counted. */
export const ATTENTION_STATUSES: readonly TripStatus[] = ['mismatch', 'missing_weigh_in', 'unknown_plate'];

export function attentionCount(report: Pick<MassBalanceReport, 'tripCounts'>): number {
  return ATTENTION_STATUSES.reduce((sum, status) => sum + report.tripCounts[status], 0);
}

import { describe, expect, it } from 'vitest';
import type { MassBalanceReport } from '../../../shared/contracts/index.ts';
import { attentionCount, flowStages, recoveredAsTonnage } from '../../../services/console/core/mass-balance-view.ts';

const totals = { depositedKg: 3100, collectedKg: 3000, weighedInKg: 2960, shippedKg: 2800, receivedKg: 2780, recoveredKg: 2680, residueKg: 50, unallocatedKg: 0 };

describe('mass balance view', () => {
  it('the flow: each stage with its change from the stage before; residue splits off, not a step', () => {
    const stages = flowStages(totals);
    expect(stages.map((s) => [s.stage, s.kg, s.changeKg])).toEqual([
      ['deposited', 3100, null],
      ['collected', 3000, -100],
      ['weighedIn', 2960, -40],
      ['shipped', 2800, -160],
      ['received', 2780, -20],
      ['recovered', 2680, -100],
      ['residue', 50, null],
    ]);
    expect(stages[2]!.changeShare).toBeCloseTo(-40 / 3000, 12);
    expect(flowStages({ ...totals, depositedKg: 0 })[1]!.changeShare).toBeNull();
  });

  it('recovered kg per day as a tonnage report, zero days kept, for the daily chart with the band', () => {
    const report = {
      from: '2026-12-01',
      to: '2026-12-02',
      utcOffsetMinutes: 480,
      totals,
      days: [{ day: '2026-12-01' }, { day: '2026-12-02' }],
      rows: [
        { day: '2026-12-01', category: 'paper', subdistrict: 'hongmei', recoveredKg: 2000 },
        { day: '2026-12-01', category: 'plastic', subdistrict: 'hongmei', recoveredKg: 680 },
        { day: '2026-12-02', category: 'paper', subdistrict: 'hongmei', recoveredKg: 0 },
      ],
    } as unknown as MassBalanceReport;
    const tonnage = recoveredAsTonnage(report);
    expect(tonnage.byDay).toEqual([
      { day: '2026-12-01', kg: 2680, deposits: 0 },
      { day: '2026-12-02', kg: 0, deposits: 0 },
    ]);
    expect(tonnage.rows).toHaveLength(2);
  });

  it('counts the trips to look at', () => {
    expect(attentionCount({ tripCounts: { within: 40, open: 3, mismatch: 2, missing_weigh_in: 1, unknown_plate: 1 } })).toBe(4);
  });
});

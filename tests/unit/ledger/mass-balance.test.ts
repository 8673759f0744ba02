import { describe, expect, it } from 'vitest';
import { buildMassBalance } from '../../../services/ledger/core/mass-balance.ts';
import { at, collection, DAY, inputs, OFFSET, ticket } from './fixtures.ts';

/**
 * A day without anomalies: two trips (1000 and 2000 kg collected), a paper and a plastic shipment,
 * a sorting report. Figures chosen so every allocation comes out exact.
 */
function quietDay() {
  return inputs({
    deposits: [
      { day: DAY, category: 'paper', subdistrict: 'hongmei', kg: 1600, deposits: 40 },
      { day: DAY, category: 'plastic', subdistrict: 'hongmei', kg: 500, deposits: 20 },
      { day: DAY, category: 'paper', subdistrict: 'tianning', kg: 1000, deposits: 30 },
    ],
    collections: [
      collection('truck-01', '08:00', 'hongmei', { paper: 600, plastic: 400 }),
      collection('truck-02', '08:30', 'hongmei', { paper: 1000 }),
      collection('truck-02', '09:00', 'tianning', { paper: 1000 }),
    ],
    tickets: [
      ticket({ plate: '苏D·H0001', netKg: 1000, hhmm: '10:00' }),
      ticket({ plate: '苏D·H0002', netKg: 1960, hhmm: '10:30' }), // 40 kg light: within max(2 %, 50 kg)
      ticket({ plate: '苏D·S0001', netKg: 2400, hhmm: '16:00', direction: 'out', category: 'paper', reference: 'N1' }),
      ticket({ plate: '苏D·S0001', netKg: 2380, hhmm: '17:00', siteKind: 'sorting_centre', scaleId: 'scale-sc-01', reference: 'N1' }),
      ticket({ plate: '苏D·S0002', netKg: 400, hhmm: '16:30', direction: 'out', category: 'plastic', reference: 'N2' }),
      ticket({ plate: '苏D·S0002', netKg: 400, hhmm: '17:30', siteKind: 'sorting_centre', scaleId: 'scale-sc-01', reference: 'N2' }),
    ],
    sortingReports: [{ scaleId: 'scale-sc-01', periodStartMs: at('00:00'), atMs: at('23:59'), recoveredKg: { paper: 2300, plastic: 380 }, residueKg: 50 }],
  });
}
const options = { fromDay: DAY, toDay: DAY, utcOffsetMinutes: OFFSET, nowMs: at('23:59') };

describe('buildMassBalance', () => {
  it('a quiet day: every stage, every leg within its tolerance, nothing to attend to', () => {
    const report = buildMassBalance(quietDay(), options);
    expect(report.totals).toEqual({
      depositedKg: 3100,
      collectedKg: 3000,
      weighedInKg: 2960,
      shippedKg: 2800,
      receivedKg: 2780,
      recoveredKg: 2680,
      residueKg: 50,
      unallocatedKg: 0,
    });
    expect(report.recoveryRate).toBeCloseTo(2680 / 2780, 10);
    const legs = Object.fromEntries(report.days[0]!.legs.map((l) => [l.leg, l]));
    expect(legs.deposited_collected).toMatchObject({ lossKg: 100, toleranceKg: null, within: null });
    expect(legs.collected_weighed_in).toMatchObject({ fromKg: 3000, toKg: 2960, lossKg: 40, toleranceKg: 60, within: true });
    expect(legs.shipped_received).toMatchObject({ fromKg: 2800, toKg: 2780, lossKg: 20, toleranceKg: 100, within: true });
    expect(legs.received_sorted).toMatchObject({ fromKg: 2780, toKg: 2730, lossKg: 50, within: true });
    expect(report.trips).toEqual([]);
    expect(report.tripCounts).toMatchObject({ within: 2, mismatch: 0, missing_weigh_in: 0 });
  });

  it("allocates weighed-in kg by each trip's collected shares, shipments by the day's weighed-in shares within their category", () => {
    const rows = buildMassBalance(quietDay(), options).rows;
    const row = (category: string, subdistrict: string) => rows.find((r) => r.category === category && r.subdistrict === subdistrict)!;
    // truck-02: 1960 kg over hongmei paper 1000 and tianning paper 1000.
    expect(row('paper', 'tianning')).toMatchObject({ depositedKg: 1000, collectedKg: 1000, weighedInKg: 980 });
    // Paper weighed in: hongmei 600 (truck-01) + 980, tianning 980 → shipped 2400 split 1580:980.
    expect(row('paper', 'hongmei').weighedInKg).toBe(1580);
    expect(row('paper', 'hongmei').shippedKg).toBeCloseTo((2400 * 1580) / 2560, 9);
    expect(row('paper', 'tianning').receivedKg).toBeCloseTo((2380 * 980) / 2560, 9);
    expect(row('plastic', 'hongmei')).toMatchObject({ collectedKg: 400, weighedInKg: 400, shippedKg: 400, receivedKg: 400, recoveredKg: 380 });
    // Residue by the day's received shares: plastic received 400 of 2780.
    expect(row('plastic', 'hongmei').residueKg).toBeCloseTo((50 * 400) / 2780, 9);
    const sum = (k: 'shippedKg' | 'recoveredKg' | 'residueKg') => rows.reduce((s, r) => s + r[k], 0);
    expect(sum('shippedKg')).toBeCloseTo(2800, 9);
    expect(sum('recoveredKg')).toBeCloseTo(2680, 9);
    expect(sum('residueKg')).toBeCloseTo(50, 9);
  });

  it("a subdistrict's report is its rows, its legs its allocated part", () => {
    const report = buildMassBalance(quietDay(), { ...options, subdistrict: 'tianning' });
    expect(report.rows.map((r) => r.subdistrict)).toEqual(['tianning']);
    expect(report.totals).toMatchObject({ depositedKg: 1000, collectedKg: 1000, weighedInKg: 980 });
    expect(report.days[0]!.legs.find((l) => l.leg === 'collected_weighed_in')).toMatchObject({ fromKg: 1000, toKg: 980, within: true });
  });

  it('a light load, a missing weigh-in and an unknown plate each show as a trip to attend to', () => {
    const day = quietDay();
    const report = buildMassBalance(
      {
        ...day,
        collections: [...day.collections, collection('苏D·R0003', '11:00', 'chashan', { glass: 800 }), collection('苏D·R0004', '12:00', 'qinglong', { metal: 200 })],
        tickets: [...day.tickets, ticket({ plate: '苏D·R0003', netKg: 680, hhmm: '12:00' }), ticket({ plate: '苏D·Z9999', netKg: 300, hhmm: '13:00' })],
      },
      options,
    );
    expect(report.trips.map((t) => [t.plate, t.status, t.collectedKg, t.weighedInKg, t.lossKg])).toEqual([
      ['苏D·R0003', 'mismatch', 800, 680, 120],
      ['苏D·R0004', 'missing_weigh_in', 200, null, null], // a trip ends at its last collection when it has no weigh-in
      ['苏D·Z9999', 'unknown_plate', 0, 300, -300],
    ]);
    expect(report.totals.unallocatedKg).toBe(300);
    expect(report.days[0]!.legs.find((l) => l.leg === 'collected_weighed_in')).toMatchObject({ fromKg: 4000, toKg: 3640, within: false });
  });

  it('a shipment received short beyond max(1.5 %, 100 kg) puts the day out; one in transit is in neither side until its deadline', () => {
    const day = quietDay();
    const short = { ...day, tickets: day.tickets.map((t) => (t.reference === 'N1' && t.siteKind === 'sorting_centre' ? { ...t, netKg: 2263 } : t)) };
    expect(buildMassBalance(short, options).days[0]!.legs.find((l) => l.leg === 'shipped_received')).toMatchObject({ lossKg: 137, toleranceKg: 100, within: false });
    const ok = { ...day, tickets: day.tickets.map((t) => (t.reference === 'N1' && t.siteKind === 'sorting_centre' ? { ...t, netKg: 2300 } : t)) };
    expect(buildMassBalance(ok, options).days[0]!.legs.find((l) => l.leg === 'shipped_received')!.within).toBe(true); // exactly 100
    const noReceipt = { ...day, tickets: day.tickets.filter((t) => !(t.reference === 'N2' && t.siteKind === 'sorting_centre')) };
    expect(buildMassBalance(noReceipt, options).days[0]!.legs.find((l) => l.leg === 'shipped_received')).toMatchObject({ fromKg: 2400, within: true });
    const late = buildMassBalance(noReceipt, { ...options, nowMs: at('05:00', '2026-12-02') });
    expect(late.days[0]!.legs.find((l) => l.leg === 'shipped_received')).toMatchObject({ fromKg: 2800, toKg: 2380, within: false });
  });

  it('sorting that loses more than 8 % of what was received is out', () => {
    const day = quietDay();
    const report = buildMassBalance({ ...day, sortingReports: [{ ...day.sortingReports[0]!, recoveredKg: { paper: 2000, plastic: 380 } }] }, options);
    expect(report.days[0]!.legs.find((l) => l.leg === 'received_sorted')).toMatchObject({ lossKg: 350, within: false });
  });

  it('zero-fills the days of the range and refuses a bad one', () => {
    const report = buildMassBalance(inputs({}), { ...options, fromDay: '2026-11-30', toDay: DAY });
    expect(report.days.map((d) => [d.day, d.collectedKg])).toEqual([
      ['2026-11-30', 0],
      [DAY, 0],
    ]);
    expect(report.recoveryRate).toBeNull();
    expect(() => buildMassBalance(inputs({}), { ...options, fromDay: DAY, toDay: '2026-11-30' })).toThrow(RangeError);
  });
});

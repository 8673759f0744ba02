import { describe, expect, it } from 'vitest';
import { dueAt, selectStops, type CandidateBox } from '../../../services/planning/core/stops.ts';
import { at, box, HOUR, SHIFT_START } from './plan-district.ts';

const nextVisitAtMs = SHIFT_START + 12 * HOUR;

describe('stop selection', () => {
  it('a box is due when the early bound of a compartment forecast falls before the next possible visit', () => {
    // full expected at +12.5 h, but its interval starts at +11.5 h: before the next visit at +12 h.
    const boxes = [box('b-1', at(0, 0), 40, 12.5), box('b-2', at(1, 0), 40, 13.5)];
    const s = selectStops(boxes, { nextVisitAtMs });
    expect(s.mustVisit.map((d) => d.boxId)).toEqual(['b-1']);
    expect(s.mustVisit[0]!.dueAtMs).toBe(SHIFT_START + 11.5 * HOUR);
    expect(s.mustVisit[0]!.reason).toBe('due');
    expect(s.optional.map((d) => d.boxId)).toEqual(['b-2']);
  });

  it('without an interval the point forecast decides; no forecast is never due', () => {
    const noInterval: CandidateBox = { ...box('b-1', at(0, 0), 40, 11), boxId: 'b-1' };
    noInterval.compartments = [{ ...noInterval.compartments[0]!, fullAtEarliestMs: null, fullAtLatestMs: null }];
    expect(dueAt(noInterval.compartments[0]!)).toBe(SHIFT_START + 11 * HOUR);
    const s = selectStops([noInterval, box('b-2', at(1, 0), 10, null, 0.1)], { nextVisitAtMs });
    expect(s.mustVisit.map((d) => d.boxId)).toEqual(['b-1']);
    expect(s.skipped).toEqual([{ boxId: 'b-2', reason: 'far_from_full', fillingLevel: 0.1 }]);
  });

  it('skips boxes far from full, keeps those between the skip level and the top-up level as not due', () => {
    const boxes = [box('b-1', at(0, 0), 20, 40, 0.2), box('b-2', at(0, 1), 50, 40, 0.4), box('b-3', at(0, 2), 90, 40, 0.6)];
    const s = selectStops(boxes, { nextVisitAtMs, skipBelow: 0.25, topUpFrom: 0.5 });
    expect(s.mustVisit).toEqual([]);
    expect(s.optional.map((d) => d.boxId)).toEqual(['b-3']);
    expect(s.skipped.map((k) => [k.boxId, k.reason])).toEqual([
      ['b-1', 'far_from_full'],
      ['b-2', 'not_due'],
    ]);
  });

  // Changed with the planning evaluation (docs/planning.md): the crew empties the whole box, so
  // its load counts every compartment holding anything, not only the due and well-filled ones.
  it('a stop empties every compartment holding anything, and sums their kg by category', () => {
    const b = box('b-1', at(0, 0), 100, 3);
    const due = b.compartments[0]!;
    b.compartments = [
      due,
      { ...due, category: 'plastic', fillingLevel: 0.5, fullAtMs: null, fullAtEarliestMs: null, fullAtLatestMs: null, expectedKgAtService: 30 },
      { ...due, category: 'glass', fillingLevel: 0.1, fullAtMs: null, fullAtEarliestMs: null, fullAtLatestMs: null, expectedKgAtService: 12 },
      { ...due, category: 'metal', fillingLevel: 0, fullAtMs: null, fullAtEarliestMs: null, fullAtLatestMs: null, expectedKgAtService: 0 },
    ];
    const [stop] = selectStops([b], { nextVisitAtMs }).mustVisit;
    expect(stop!.kgByCategory).toEqual({ paper: 100, plastic: 30, glass: 12 });
    expect(stop!.kg).toBe(142);
  });
});

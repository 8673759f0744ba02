import { describe, expect, it } from 'vitest';
import { matchTrips } from '../../../services/ledger/core/trips.ts';
import { at, collection, ticket, VEHICLES } from './fixtures.ts';

describe('matchTrips', () => {
  it("matches a plan vehicle's collections (registry id) to its weigh-in by plate, whatever the plate's spelling", () => {
    const trips = matchTrips(
      [collection('truck-01', '08:10', 'hongmei', { paper: 300, plastic: 100 }), collection('truck-01', '08:40', 'tianning', { paper: 600 })],
      [ticket({ plate: '苏dh0001', netKg: 990, hhmm: '10:00' })],
      VEHICLES,
      at('23:00'),
    );
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ plate: '苏dh0001', collectedKg: 1000, lossKg: 10, toleranceKg: 50, status: 'within' });
    expect(trips[0]!.collections).toHaveLength(2);
  });

  it('a fixed-round vehicle (collections name its plate) matches without the registry', () => {
    const trips = matchTrips([collection('苏D·R0007', '08:10', 'lanling', { metal: 80 })], [ticket({ plate: '苏D·R0007', netKg: 80, hhmm: '09:00' })], [], at('23:00'));
    expect(trips.map((t) => t.status)).toEqual(['within']);
  });

  it.each([
    [1000, 950, 'within'], // 50 kg: the floor
    [1000, 949, 'mismatch'],
    [1000, 1050, 'within'], // a gain is judged like a loss
    [1000, 1051, 'mismatch'],
    [5000, 4900, 'within'], // 2 % of 5 t = 100 kg
    [5000, 4899, 'mismatch'],
  ] as const)('collected %d kg, weighed in %d kg: %s', (collected, weighed, status) => {
    const trips = matchTrips([collection('truck-02', '08:00', 'chashan', { paper: collected })], [ticket({ plate: '苏D·H0002', netKg: weighed, hhmm: '09:00' })], VEHICLES, at('23:00'));
    expect(trips[0]!.status).toBe(status);
    expect(trips[0]!.lossKg).toBe(collected - weighed);
  });

  it('collections with no weigh-in within 6 h are a missing weigh-in (open until then)', () => {
    const morning = collection('truck-01', '08:00', 'hongmei', { paper: 700 });
    expect(matchTrips([morning], [], VEHICLES, at('13:59')).map((t) => t.status)).toEqual(['open']);
    expect(matchTrips([morning], [], VEHICLES, at('14:01')).map((t) => t.status)).toEqual(['missing_weigh_in']);
    // A fixed round's load weighed in after its window closed, 4.5 h after an early stop: matched.
    expect(matchTrips([morning], [ticket({ plate: '苏D·H0001', netKg: 700, hhmm: '12:30' })], VEHICLES, at('23:00')).map((t) => t.status)).toEqual(['within']);
  });

  it("a round never weighed in is told from the next round by the weigh-in agreeing with the latter: the next trip is not light", () => {
    const morning = [collection('truck-01', '10:00', 'hongmei', { paper: 300 }), collection('truck-01', '10:55', 'hongmei', { paper: 400 })];
    const afternoon = collection('truck-01', '14:00', 'hongmei', { paper: 400 });
    const trips = matchTrips([...morning, afternoon], [ticket({ plate: '苏D·H0001', netKg: 400, hhmm: '17:30' })], VEHICLES, at('23:00'));
    expect(trips.map((t) => [t.status, t.collectedKg])).toEqual([
      ['missing_weigh_in', 700],
      ['within', 400],
    ]);
  });

  it("a sparse route's stops hours apart are one trip when its weigh-in agrees with them all", () => {
    const stops = [collection('truck-01', '14:05', 'hongmei', { paper: 131 }), collection('truck-01', '16:40', 'hongmei', { paper: 46 })];
    const trips = matchTrips(stops, [ticket({ plate: '苏D·H0001', netKg: 180, hhmm: '17:50' })], VEHICLES, at('23:00'));
    expect(trips.map((t) => [t.status, t.collectedKg])).toEqual([['within', 177]]);
  });

  it('a light load after a pause stays one light trip when no later part of it agrees either', () => {
    const stops = [collection('truck-01', '08:05', 'hongmei', { paper: 900 }), collection('truck-01', '10:40', 'hongmei', { paper: 800 })];
    const trips = matchTrips(stops, [ticket({ plate: '苏D·H0001', netKg: 1400, hhmm: '11:50' })], VEHICLES, at('23:00'));
    expect(trips.map((t) => [t.status, t.collectedKg, t.lossKg])).toEqual([['mismatch', 1700, 300]]);
  });

  it('a weigh-in more than 6 h after the last collection closes nothing: that trip is missing, the weigh-in stands alone', () => {
    const trips = matchTrips([collection('truck-01', '08:00', 'hongmei', { paper: 700 })], [ticket({ plate: '苏D·H0001', netKg: 690, hhmm: '14:30' })], VEHICLES, at('23:00'));
    expect(trips.map((t) => [t.status, t.collectedKg, t.weighIn?.netKg ?? null])).toEqual([
      ['missing_weigh_in', 700, null],
      ['mismatch', 0, 690],
    ]);
  });

  it('a weigh-in with a plate no vehicle carries is kept and flagged', () => {
    const trips = matchTrips([], [ticket({ plate: '苏D·Z9999', netKg: 300, hhmm: '09:00' })], VEHICLES, at('23:00'));
    expect(trips).toMatchObject([{ plate: '苏D·Z9999', status: 'unknown_plate', collectedKg: 0 }]);
  });

  it('shipments (weigh-outs, receipts at the sorting centre) are no trips', () => {
    const trips = matchTrips(
      [],
      [
        ticket({ plate: '苏D·S0001', netKg: 9000, hhmm: '16:00', direction: 'out', reference: 'N1' }),
        ticket({ plate: '苏D·S0001', netKg: 8990, hhmm: '17:00', siteKind: 'sorting_centre', reference: 'N1' }),
      ],
      VEHICLES,
      at('23:00'),
    );
    expect(trips).toEqual([]);
  });
});

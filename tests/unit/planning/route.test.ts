import { describe, expect, it } from 'vitest';
import { DistanceMatrix, type LatLon } from '../../../services/planning/core/distance.ts';
import { orOptBetweenRoutes, twoOpt } from '../../../services/planning/core/route-improve.ts';
import { savingsRoutes } from '../../../services/planning/core/route-savings.ts';
import { durationMinutes, newRoute, routeKm, setStops, type RoutingLimits } from '../../../services/planning/core/routes.ts';
import { at, plane } from './plan-district.ts';

/** Node 0 (and 1 when given) are depots; the rest are stops of kg each. */
function limitsFor(points: LatLon[], kg: number, depots = 1, shiftMinutes = 480): RoutingLimits {
  return {
    matrix: new DistanceMatrix(points, plane),
    demandKg: points.map((_, i) => (i < depots ? 0 : kg)),
    serviceMinutes: 5,
    shiftMinutes,
  };
}

describe('route search', () => {
  it('2-opt removes a crossing: depot and three corners of a unit square, visited diagonally, become the square (4 km)', () => {
    const limits = limitsFor([at(0, 0), at(0, 1), at(1, 1), at(1, 0)], 10);
    const route = newRoute(0, 0, 1000);
    setStops(limits, route, [2, 1, 3]); // (1,1) → (0,1) → (1,0): the legs depot→(1,1) and (0,1)→(1,0) cross
    expect(routeKm(limits.matrix, route)).toBeCloseTo(2 + 2 * Math.SQRT2, 9);
    const saved = twoOpt(limits, route);
    expect(routeKm(limits.matrix, route)).toBeCloseTo(4, 9);
    expect(saved).toBeCloseTo(2 * Math.SQRT2 - 2, 9);
    expect(route.stops.join()).toMatch(/^(1,2,3|3,2,1)$/);
    expect(route.travelMinutes).toBeCloseTo(4, 9);
  });

  it('2-opt leaves a route without crossings as it is', () => {
    const limits = limitsFor([at(0, 0), at(0, 1), at(1, 1), at(1, 0)], 10);
    const route = newRoute(0, 0, 1000);
    setStops(limits, route, [1, 2, 3]);
    expect(twoOpt(limits, route)).toBe(0);
    expect(route.stops).toEqual([1, 2, 3]);
  });

  it('or-opt moves a stop to the route it lies on', () => {
    // two depots 10 km apart on the x axis; stop 4 lies on depot 1's route but was given to depot 0
    const limits = limitsFor([at(0, 0), at(10, 0), at(0, 2), at(10, 2), at(10, 1)], 10, 2);
    const west = newRoute(0, 0, 1000);
    const east = newRoute(1, 1, 1000);
    setStops(limits, west, [2, 4]);
    setStops(limits, east, [3]);
    const before = routeKm(limits.matrix, west) + routeKm(limits.matrix, east);
    const saved = orOptBetweenRoutes(limits, [west, east]);
    expect(west.stops).toEqual([2]);
    expect([...east.stops].sort()).toEqual([3, 4]);
    expect(routeKm(limits.matrix, west) + routeKm(limits.matrix, east)).toBeCloseTo(before - saved, 9);
    expect(routeKm(limits.matrix, east)).toBeCloseTo(4, 9);
  });

  it('or-opt does not move a stop into a route without room for its kg', () => {
    const limits = limitsFor([at(0, 0), at(10, 0), at(0, 2), at(10, 2), at(10, 1)], 10, 2);
    const west = newRoute(0, 0, 20);
    const east = newRoute(1, 1, 10);
    setStops(limits, west, [2, 4]);
    setStops(limits, east, [3]);
    expect(orOptBetweenRoutes(limits, [west, east])).toBe(0);
    expect(west.stops).toEqual([2, 4]);
  });

  it('savings join stops on one side of the depot into one trip and keep opposite sides apart when kg forbids', () => {
    const points = [at(0, 0), at(1, 1), at(2, 1), at(-1, 1), at(-2, 1)];
    const roomy = savingsRoutes(limitsFor(points, 10), 0, [1, 2, 3, 4], 1000);
    expect(roomy).toHaveLength(1);
    const tight = savingsRoutes(limitsFor(points, 10), 0, [1, 2, 3, 4], 20);
    expect(tight.map((t) => [...t].sort())).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('savings never make a trip longer than the shift', () => {
    // each stop is a 2 × 10 km + 5 min trip alone (25 min); two together 10 + 2 + 10 + 10 min = 32 min
    const points = [at(0, 0), at(10, 0), at(10, 2)];
    const limits = limitsFor(points, 10, 1, 30);
    const trips = savingsRoutes(limits, 0, [1, 2], 1000);
    expect(trips).toHaveLength(2);
    const route = newRoute(0, 0, 1000);
    setStops(limits, route, trips[0]!);
    expect(durationMinutes(limits, route)).toBeLessThanOrEqual(30);
  });
});

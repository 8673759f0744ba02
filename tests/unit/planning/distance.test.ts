import { describe, expect, it } from 'vitest';
import { DistanceMatrix, haversineDistance, haversineKm } from '../../../services/planning/core/distance.ts';

describe('distance port', () => {
  it('haversine: a degree of latitude is about 111.2 km, a degree of longitude shrinks with cos(lat)', () => {
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111.195, 2);
    expect(haversineKm({ lat: 60, lon: 0 }, { lat: 60, lon: 0.001 })).toBeCloseTo(0.111195 * 0.5, 4);
    expect(haversineKm({ lat: 31.78, lon: 119.97 }, { lat: 31.78, lon: 119.97 })).toBe(0);
  });

  it('road km are the great-circle km times the road factor (1.3 by default), minutes at the average speed', () => {
    const a = { lat: 31.78, lon: 119.97 };
    const b = { lat: 31.8, lon: 120.0 };
    const straight = haversineKm(a, b);
    const model = haversineDistance();
    expect(model.km(a, b)).toBeCloseTo(straight * 1.3, 9);
    expect(model.minutes(a, b)).toBeCloseTo(((straight * 1.3) / 25) * 60, 9);
    const custom = haversineDistance({ roadFactor: 1.5, speedKmh: 30 });
    expect(custom.km(a, b)).toBeCloseTo(straight * 1.5, 9);
    expect(custom.minutes(a, b)).toBeCloseTo(straight * 1.5 * 2, 9);
  });

  it('refuses a road factor below 1 and a speed that is not positive', () => {
    expect(() => haversineDistance({ roadFactor: 0.9 })).toThrow(/roadFactor/);
    expect(() => haversineDistance({ speedKmh: 0 })).toThrow(/speedKmh/);
  });

  it('the matrix asks the port once per ordered pair and keeps its answers', () => {
    let asked = 0;
    const model = {
      km: (a: { lon: number }, b: { lon: number }) => (asked++, Math.abs(a.lon - b.lon)),
      minutes: (a: { lon: number }, b: { lon: number }) => 2 * Math.abs(a.lon - b.lon),
    };
    const m = new DistanceMatrix([{ lat: 0, lon: 0 }, { lat: 0, lon: 3 }, { lat: 0, lon: 7 }], model);
    expect(asked).toBe(6);
    expect(m.km(0, 2)).toBe(7);
    expect(m.minutes(2, 1)).toBe(8);
    expect(m.km(1, 1)).toBe(0);
  });
});

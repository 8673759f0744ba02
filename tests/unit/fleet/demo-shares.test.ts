import { describe, expect, it } from 'vitest';
import { apportion, cameraPointCounts } from '../../../services/fleet/core/demo-shares.ts';

describe('apportion', () => {
  it('always hands out exactly the total', () => {
    for (const total of [0, 1, 7, 54, 605, 10_001]) {
      expect(apportion(total, [11, 21, 19, 15, 15, 10, 9]).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it('gives leftover units to the largest remainders', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(5, [3, 1])).toEqual([4, 1]);
  });

  it('rejects a count that is not a whole number', () => {
    expect(() => apportion(2.5, [1])).toThrow(RangeError);
    expect(() => apportion(-1, [1])).toThrow(RangeError);
  });
});

describe('cameraPointCounts', () => {
  it('is the plan itself for 54 cameras', () => {
    expect(cameraPointCounts(54)).toEqual({ existing: 36, road: 16, market: 2 });
  });

  it('keeps the proportion for other counts', () => {
    expect(cameraPointCounts(4)).toEqual({ existing: 3, road: 1, market: 0 });
    expect(cameraPointCounts(108)).toEqual({ existing: 72, road: 32, market: 4 });
  });
});

import { describe, expect, it } from 'vitest';
import { rateTone, rateWidth, trendDirection } from '../../../services/console/core/participation-view.ts';

describe('participation view logic', () => {
  it('trend: up, down, flat within ±2 %, none without a previous week', () => {
    expect(trendDirection(0.05)).toBe('up');
    expect(trendDirection(-0.25)).toBe('down');
    expect(trendDirection(0.02)).toBe('flat');
    expect(trendDirection(-0.019)).toBe('flat');
    expect(trendDirection(null)).toBe('none');
  });

  it('rate: good from 60 % (the pilot), low under a third, neutral without households; bars capped at 100 %', () => {
    expect(rateTone(0.72)).toBe('good');
    expect(rateTone(0.45)).toBe('warn');
    expect(rateTone(0.2)).toBe('bad');
    expect(rateTone(null)).toBe('neutral');
    expect(rateWidth(0.7)).toBeCloseTo(70, 9);
    expect(rateWidth(1.3)).toBe(100);
    expect(rateWidth(null)).toBe(0);
  });
});

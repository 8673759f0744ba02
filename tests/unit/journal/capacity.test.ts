import { describe, expect, it } from 'vitest';
import { CapacityWatch, entryBytes, fits } from '../../../services/journal/core/capacity.ts';

describe('entryBytes', () => {
  it('counts topic bytes (UTF-8, not characters) and payload bytes', () => {
    expect(entryBytes('a/b', Buffer.from('12345'))).toBe(8);
    expect(entryBytes('天宁', Buffer.alloc(0))).toBe(6);
  });
});

describe('fits', () => {
  it('allows reaching the cap exactly, not passing it', () => {
    expect(fits(90, 10, 100)).toBe(true);
    expect(fits(90, 11, 100)).toBe(false);
    expect(fits(0, 101, 100)).toBe(false);
  });
});

describe('CapacityWatch', () => {
  it('warns once when the backlog passes 80%, not again while it stays high', () => {
    const watch = new CapacityWatch(1_000);
    expect(watch.observe(800)).toBeNull();
    expect(watch.observe(801)).toBe('near_full');
    expect(watch.observe(950)).toBeNull();
    expect(watch.observe(780)).toBeNull();
    expect(watch.observe(850)).toBeNull();
  });

  it('warns again after the backlog dropped below the rearm ratio and rose again', () => {
    const watch = new CapacityWatch(1_000);
    watch.observe(900);
    expect(watch.observe(699)).toBe('recovered');
    expect(watch.observe(500)).toBeNull();
    expect(watch.observe(801)).toBe('near_full');
  });

  it('reports the first refusal of an episode only, until the backlog recovers', () => {
    const watch = new CapacityWatch(1_000);
    watch.observe(990);
    expect(watch.refused()).toBe(true);
    expect(watch.refused()).toBe(false);
    watch.observe(750); // still high: same episode
    expect(watch.refused()).toBe(false);
    watch.observe(100);
    expect(watch.refused()).toBe(true);
  });

  it('refuses nonsensical settings', () => {
    expect(() => new CapacityWatch(0)).toThrow(RangeError);
    expect(() => new CapacityWatch(100, 0.5, 0.8)).toThrow(RangeError);
  });
});

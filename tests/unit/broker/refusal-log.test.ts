import { describe, expect, it } from 'vitest';
import { RefusalLog } from '../../../services/broker/core/refusal-log.ts';

describe('RefusalLog', () => {
  it('logs the first refusal per reason and subject, then only counts', () => {
    const log = new RefusalLog();
    expect(log.record('bad_secret', 'box-0001')).toEqual({ log: true, occurrences: 1 });
    expect(log.record('bad_secret', 'box-0001')).toEqual({ log: false, occurrences: 2 });
    expect(log.record('bad_secret', 'box-0001')).toEqual({ log: false, occurrences: 3 });
  });

  it('keeps reasons and subjects apart', () => {
    const log = new RefusalLog();
    expect(log.record('bad_secret', 'box-0001').log).toBe(true);
    expect(log.record('foreign_topic', 'box-0001').log).toBe(true);
    expect(log.record('bad_secret', 'box-0002').log).toBe(true);
    expect(log.size).toBe(3);
  });

  it('does not confuse subjects that only differ in where the separator would be', () => {
    const log = new RefusalLog();
    log.record('bad_secret', 'a');
    expect(log.record('bad_secret', 'a\u0000').log).toBe(true);
  });

  it('stays within its capacity, forgetting the least recently seen key', () => {
    const log = new RefusalLog(3);
    log.record('bad_secret', 'a');
    log.record('bad_secret', 'b');
    log.record('bad_secret', 'c');
    log.record('bad_secret', 'a'); // a is now the most recent; b the oldest
    log.record('bad_secret', 'd'); // evicts b
    expect(log.size).toBe(3);
    expect(log.record('bad_secret', 'a').log).toBe(false);
    expect(log.record('bad_secret', 'b').log).toBe(true); // forgotten, logged again (evicts c)
    expect(log.size).toBe(3);
  });

  it('holds a flood of invented subjects to its capacity', () => {
    const log = new RefusalLog(100);
    for (let i = 0; i < 10_000; i++) log.record('unknown_device', `guess-${i}`);
    expect(log.size).toBe(100);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RefusalLog(0)).toThrow(RangeError);
    expect(() => new RefusalLog(1.5)).toThrow(RangeError);
  });
});

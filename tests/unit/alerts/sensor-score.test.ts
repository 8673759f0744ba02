/** Scoring the fill-sensor cross-check (evaluate/sensors/score.ts) on a tiny hand-made case. */
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../../shared/units.ts';
import { scoreSensorCheck, type Raised } from '../../../evaluate/sensors/score.ts';
import type { InjectedSensorFault } from '../../../simulators/core/sensor-faults.ts';

const T0 = Date.parse('2026-11-02T00:00:00+08:00');
const at = (days: number, hours = 0) => T0 + days * DAY_MS + hours * HOUR_MS;
const fault = (boxId: string, kind: InjectedSensorFault['kind'], start: number, end: number): InjectedSensorFault => ({ boxId, category: 'paper', kind, startMs: start, endMs: end });
const raise = (boxId: string, when: number, suspicion: string): Raised => ({ boxId, category: 'paper', at: when, suspicion });

describe('sensor check scoring', () => {
  const faults = [
    fault('b1', 'stuck', at(3), at(5)), // found after 6 h
    fault('b2', 'stuck', at(3), at(6)), // found after 30 h
    fault('b3', 'stuck', at(4), at(5)), // never found
    fault('b4', 'jump', at(3), at(3, 5)), // found after 1 h, called a stuck
    fault('b5', 'drift', at(1), at(4)), // in the warm-up: not scored
    fault('b6', 'drift', at(9, 12), at(12)), // within a day of the end: not scored
  ];
  const raised = [
    raise('b1', at(3, 6), 'stuck'),
    raise('b1', at(5, 20), 'jump'), // the healed sensor coming back: same episode
    raise('b2', at(4, 6), 'stuck'),
    raise('b4', at(3, 1), 'stuck'),
    raise('b7', at(6), 'drift'), // healthy: a false positive
    raise('b7', at(1), 'drift'), // in the warm-up: not counted
    raise('b1', at(7), 'jump'), // more than a day after b1's fault ended: a false positive
  ];
  const score = scoreSensorCheck(faults, raised, { fromMs: at(2), toMs: at(10), compartments: 250 });

  it('counts each kind injected, detected, missed, and the median time to detect', () => {
    expect(score.byKind.stuck).toEqual({ injected: 3, detected: 2, missed: 1, medianHoursToDetect: 18, within24h: 1 / 3, calledAs: { stuck: 2 } });
    expect(score.byKind.jump).toEqual({ injected: 1, detected: 1, missed: 0, medianHoursToDetect: 1, within24h: 1, calledAs: { stuck: 1 } });
    expect(score.byKind.drift).toMatchObject({ injected: 0, detected: 0, medianHoursToDetect: null });
    expect(score.all).toMatchObject({ injected: 4, detected: 3, missed: 1, medianHoursToDetect: 6 });
    expect(score.unscored).toBe(2);
  });

  it('counts suspicions on healthy compartments per 1,000 compartment-days of the scored span', () => {
    expect(score.falsePositives).toBe(2);
    expect(score.falsePositivesByCall).toEqual({ drift: 1, jump: 1 });
    expect(score.compartmentDays).toBe(2000);
    expect(score.falsePositivesPer1000CompartmentDays).toBe(1);
  });
});

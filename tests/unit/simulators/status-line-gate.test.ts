/** When the simulator's periodic status line is printed (simulators/adapters/status-line.ts). */
import { describe, expect, it } from 'vitest';
import { emptyMessageCounts, statusLineGate, type SimulationStats } from '../../../simulators/adapters/status-line.ts';

function stats(overrides: { caughtUp?: boolean; connected?: number; dark?: number; publishErrors?: number } = {}): SimulationStats {
  return {
    simTime: '', simMs: 0, startMs: 0, speed: overrides.caughtUp === false ? 1440 : 1, caughtUp: overrides.caughtUp ?? true, running: true,
    devices: { total: 10, boxes: 8, cameras: 2, connected: overrides.connected ?? 10, dark: overrides.dark ?? 0 },
    messages: emptyMessageCounts(), depositedKg: 0, publishErrors: overrides.publishErrors ?? 0, connectionErrors: 0,
  };
}

describe('status line gate', () => {
  it('prints every line while the fleet catches up with the real clock', () => {
    const gate = statusLineGate(false);
    expect([1, 2, 3].map(() => gate(stats({ caughtUp: false })))).toEqual([true, true, true]);
  });

  it('caught up and not on a terminal: one line once every device is connected, then quiet', () => {
    const gate = statusLineGate(false);
    expect(gate(stats({ connected: 7 }))).toBe(false);
    expect(gate(stats({ connected: 10 }))).toBe(true);
    expect(gate(stats({ connected: 10 }))).toBe(false);
    expect(gate(stats({ connected: 9 }))).toBe(false);
    expect(gate(stats({ connected: 10 }))).toBe(false);
  });

  it('counts deliberately dark devices (simulated outages) as accounted for', () => {
    const gate = statusLineGate(false);
    expect(gate(stats({ connected: 8, dark: 2 }))).toBe(true);
  });

  it('speaks again when publish errors grow, once per growth', () => {
    const gate = statusLineGate(false);
    expect(gate(stats())).toBe(true);
    expect(gate(stats({ publishErrors: 3 }))).toBe(true);
    expect(gate(stats({ publishErrors: 3 }))).toBe(false);
    expect(gate(stats({ publishErrors: 4 }))).toBe(true);
  });

  it('once caught up: the connected line, then nothing', () => {
    const gate = statusLineGate(false);
    expect(gate(stats({ caughtUp: false }))).toBe(true);
    expect(gate(stats())).toBe(true);
    expect(gate(stats())).toBe(false);
  });

  it('prints every line on a terminal, someone is watching', () => {
    const gate = statusLineGate(true);
    expect([1, 2, 3].map(() => gate(stats()))).toEqual([true, true, true]);
  });
});

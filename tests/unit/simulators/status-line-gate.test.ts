/** When the simulator's periodic status line is printed (simulators/adapters/status-line.ts). */
import { describe, expect, it } from 'vitest';
import { emptyMessageCounts, statusLineGate, type SimulationStats } from '../../../simulators/adapters/status-line.ts';

type Overrides = { caughtUp?: boolean; speed?: number; connected?: number; dark?: number; publishErrors?: number };

function stats(overrides: Overrides = {}): SimulationStats {
  const caughtUp = overrides.caughtUp ?? true;
  return {
    simTime: '', simMs: 0, startMs: 0, speed: overrides.speed ?? (caughtUp ? 1 : 1440), caughtUp, running: true,
    devices: { total: 10, boxes: 8, cameras: 2, connected: overrides.connected ?? 10, dark: overrides.dark ?? 0 },
    messages: emptyMessageCounts(), depositedKg: 0, publishErrors: overrides.publishErrors ?? 0, connectionErrors: 0,
  };
}

describe('status line gate', () => {
  it('prints every line while the fleet catches up with the real clock', () => {
    const gate = statusLineGate(false);
    expect([1, 2, 3].map(() => gate(stats({ caughtUp: false })))).toEqual([true, true, true]);
  });

  it('at x1 the clock trails the real one by the connection time: that is not catching up', () => {
    const gate = statusLineGate(false);
    expect(gate(stats({ caughtUp: false, speed: 1 }))).toBe(true); // every device connected
    expect(gate(stats({ caughtUp: false, speed: 1 }))).toBe(false);
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

import { describe, expect, it } from 'vitest';
import { BOX, MIN, T0, fault, ops, scenario, telemetry } from './fixtures.ts';

const KEY = 'lid_open:box-0001';
const lidOps = (commands: Parameters<typeof ops>[0]) => ops(commands).filter((o) => o.includes('lid_open'));

describe('lid_open', () => {
  it('a lid open for longer than 10 minutes raises at the sweep, once', () => {
    const s = scenario({ fleet: [BOX] });
    s.send(telemetry(BOX, T0, { lid: 'open' }), T0);
    s.send(telemetry(BOX, T0 + 5 * MIN, { lid: 'open' }), T0 + 5 * MIN);
    expect(lidOps(s.sweep(T0 + 10 * MIN))).toEqual([]);
    const [raise] = s.sweep(T0 + 12 * MIN).filter((c) => c.op === 'raise' && c.key === KEY);
    expect(raise).toMatchObject({ type: 'lid_open', severity: 'warning', title: 'Lid open for 12 min at 红梅新村 1号回收箱', evidence: { status: 'lidOpen' } });
    expect(lidOps(s.sweep(T0 + 13 * MIN))).toEqual([]);
    expect(s.view.open(KEY)?.count).toBe(1);
  });

  it("status 'lidOpen' counts as open too", () => {
    const s = scenario({ fleet: [BOX] });
    s.send(telemetry(BOX, T0, { status: 'lidOpen' }), T0);
    expect(lidOps(s.sweep(T0 + 11 * MIN))).toEqual([`raise:${KEY}`]);
  });

  it('closed clears; a lid opened and closed again restarts the clock', () => {
    const s = scenario({ fleet: [BOX] });
    s.send(telemetry(BOX, T0, { lid: 'open' }), T0);
    s.sweep(T0 + 11 * MIN);
    expect(lidOps(s.send(telemetry(BOX, T0 + 12 * MIN), T0 + 12 * MIN))).toEqual([`clear:${KEY}`]);
    s.send(telemetry(BOX, T0 + 13 * MIN, { lid: 'open' }), T0 + 13 * MIN);
    expect(lidOps(s.sweep(T0 + 20 * MIN))).toEqual([]);
  });

  it('a lid_stuck fault raises at once and clears with active: false', () => {
    const s = scenario({ fleet: [BOX] });
    expect(s.send(fault(BOX, T0, 'lid_stuck', true, 'hinge jammed'), T0)).toMatchObject([
      { op: 'raise', key: KEY, title: 'Lid stuck at 红梅新村 1号回收箱 (hinge jammed)', evidence: { fault: 'lid_stuck' } },
    ]);
    expect(lidOps(s.send(fault(BOX, T0 + MIN, 'lid_stuck', false), T0 + MIN))).toEqual([`clear:${KEY}`]);
  });

  it('a closed-lid reading does not clear while lid_stuck is still active', () => {
    const s = scenario({ fleet: [BOX] });
    s.send(fault(BOX, T0, 'lid_stuck', true), T0);
    expect(lidOps(s.send(telemetry(BOX, T0 + MIN), T0 + MIN))).toEqual([]);
    expect(s.view.openKeys()).toContain(KEY);
  });
});

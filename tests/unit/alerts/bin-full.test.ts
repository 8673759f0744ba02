import { describe, expect, it } from 'vitest';
import { BOX, MIN, T0, collection, fill, ops, scenario, telemetry } from './fixtures.ts';

const PAPER = 'bin_full:box-0001:paper';
const PLASTIC = 'bin_full:box-0001:plastic';

describe('bin_full', () => {
  it('raises a warning at 92%, naming the compartment and the box', () => {
    const s = scenario();
    const commands = s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    expect(commands).toEqual([
      {
        op: 'raise',
        key: PAPER,
        type: 'bin_full',
        severity: 'warning',
        title: 'Paper compartment 92% full at 红梅新村 1号回收箱',
        message: { code: 'bin_full.level', params: { place: '红梅新村 1号回收箱', category: 'paper', percent: 92 } },
        subject: { device: BOX, compartment: 'paper' },
        evidence: { fillingLevel: 0.92 },
        at: T0,
      },
    ]);
  });

  it('does not raise again while the same severity is open, and 0.85 does not clear (hysteresis)', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    expect(s.send(telemetry(BOX, T0 + 5 * MIN, fill('paper', 0.93)), T0 + 5 * MIN)).toEqual([]);
    expect(s.send(telemetry(BOX, T0 + 10 * MIN, fill('paper', 0.85)), T0 + 10 * MIN)).toEqual([]);
    expect(s.view.open(PAPER)).toMatchObject({ status: 'active', severity: 'warning', count: 1 });
  });

  it('escalates the open warning to critical at 1.0, and never steps back down while open', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    expect(ops(s.send(telemetry(BOX, T0 + MIN, fill('paper', 1.0)), T0 + MIN))).toEqual([`raise:${PAPER}`]);
    expect(s.view.open(PAPER)).toMatchObject({ severity: 'critical', count: 2, evidence: { fillingLevel: 1 } });
    expect(s.send(telemetry(BOX, T0 + 2 * MIN, fill('paper', 0.95)), T0 + 2 * MIN)).toEqual([]);
    expect(s.view.open(PAPER)?.severity).toBe('critical');
    expect(s.view.history(PAPER)).toHaveLength(1);
  });

  it('overflow is critical whatever the level says', () => {
    const s = scenario();
    const [raise] = s.send(telemetry(BOX, T0, fill('plastic', 0.8, true)), T0);
    expect(raise).toMatchObject({
      key: PLASTIC,
      severity: 'critical',
      evidence: { overflow: true },
      title: 'Plastic compartment overflowing at 红梅新村 1号回收箱',
      message: { code: 'bin_full.overflow', params: { place: '红梅新村 1号回收箱', category: 'plastic' } },
    });
  });

  it('clears below 0.7 (at 0.6)', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    expect(ops(s.send(telemetry(BOX, T0 + MIN, fill('paper', 0.6)), T0 + MIN))).toEqual([`clear:${PAPER}`]);
    expect(s.view.history(PAPER)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });

  it('boundaries: exactly 0.9 raises (>=), exactly 0.7 does not clear (< clears), exactly 1.0 is critical', () => {
    const s = scenario();
    expect(s.send(telemetry(BOX, T0, fill('paper', 0.89)), T0)).toEqual([]);
    expect(s.send(telemetry(BOX, T0 + MIN, fill('paper', 0.9)), T0 + MIN)).toMatchObject([{ op: 'raise', severity: 'warning' }]);
    expect(s.send(telemetry(BOX, T0 + 2 * MIN, fill('paper', 0.7)), T0 + 2 * MIN)).toEqual([]);
    expect(s.send(telemetry(BOX, T0 + 3 * MIN, fill('paper', 0.69)), T0 + 3 * MIN)).toMatchObject([{ op: 'clear', key: PAPER }]);
    expect(s.send(telemetry(BOX, T0 + 4 * MIN, fill('paper', 0.99)), T0 + 4 * MIN)).toMatchObject([{ severity: 'warning' }]);
    expect(s.send(telemetry(BOX, T0 + 5 * MIN, fill('paper', 1.0)), T0 + 5 * MIN)).toMatchObject([{ severity: 'critical' }]);
  });

  it('a collection of the compartment clears it, whatever the kg; other compartments stay', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { compartments: [{ category: 'paper', fillingLevel: 0.95 }, { category: 'plastic', fillingLevel: 0.91 }] }), T0);
    expect(s.view.openKeys()).toEqual([PAPER, PLASTIC]);
    const commands = s.send(collection(BOX, T0 + MIN, ['paper'], 0), T0 + MIN);
    expect(commands).toEqual([{ op: 'clear', key: PAPER, at: T0 + MIN, reason: 'Paper compartment collected by collector-12' }]);
    expect(s.view.openKeys()).toEqual([PLASTIC]);
  });

  it('a collection of a compartment with nothing open emits nothing', () => {
    const s = scenario();
    expect(s.send(collection(BOX, T0, ['glass']), T0)).toEqual([]);
  });

  it('a second compartment gets its own key and its own alert', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    s.send(telemetry(BOX, T0 + MIN, fill('plastic', 1.0)), T0 + MIN);
    expect(s.view.open(PAPER)?.severity).toBe('warning');
    expect(s.view.open(PLASTIC)).toMatchObject({ severity: 'critical', compartment: 'plastic', count: 1 });
  });

  it('a new episode after a clear is a new alert', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, fill('paper', 0.92)), T0);
    s.send(telemetry(BOX, T0 + MIN, fill('paper', 0.1)), T0 + MIN);
    s.send(telemetry(BOX, T0 + 60 * MIN, fill('paper', 0.92)), T0 + 60 * MIN);
    expect(s.view.history(PAPER).map((a) => a.status)).toEqual(['resolved', 'active']);
  });

  it('uses the device thresholds', () => {
    const s = scenario({ file: { devices: { 'box-0001': { binFullWarning: 0.8, binFullClear: 0.5 } } } });
    expect(s.send(telemetry(BOX, T0, fill('paper', 0.82)), T0)).toMatchObject([{ severity: 'warning' }]);
    expect(s.send(telemetry(BOX, T0 + MIN, fill('paper', 0.6)), T0 + MIN)).toEqual([]);
  });
});

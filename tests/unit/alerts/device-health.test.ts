import { describe, expect, it } from 'vitest';
import { BOX, CAMERA, MIN, T0, fault, heartbeat, ops, scenario, telemetry } from './fixtures.ts';

describe('low_battery', () => {
  const KEY = 'low_battery:box-0001';

  it('below 15% raises a warning; 15% exactly does not', () => {
    const s = scenario();
    expect(s.send(telemetry(BOX, T0, { batteryPercent: 15 }), T0)).toEqual([]);
    expect(s.send(telemetry(BOX, T0 + MIN, { batteryPercent: 12 }), T0 + MIN)).toMatchObject([
      { op: 'raise', key: KEY, severity: 'warning', title: 'Battery at 12% in 红梅新村 1号回收箱', evidence: { batteryPercent: 12 } },
    ]);
    expect(s.send(telemetry(BOX, T0 + 2 * MIN, { batteryPercent: 11 }), T0 + 2 * MIN)).toEqual([]);
  });

  it('hysteresis: 18% and exactly 20% keep it, above 20% clears', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { batteryPercent: 12 }), T0);
    expect(s.send(telemetry(BOX, T0 + MIN, { batteryPercent: 18 }), T0 + MIN)).toEqual([]);
    expect(s.send(telemetry(BOX, T0 + 2 * MIN, { batteryPercent: 20 }), T0 + 2 * MIN)).toEqual([]);
    expect(ops(s.send(telemetry(BOX, T0 + 3 * MIN, { batteryPercent: 21 }), T0 + 3 * MIN))).toEqual([`clear:${KEY}`]);
  });

  it('a mains-powered reading says nothing', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { batteryPercent: 12 }), T0);
    expect(s.send(telemetry(BOX, T0 + MIN), T0 + MIN)).toEqual([]);
    expect(s.view.openKeys()).toEqual([KEY]);
  });

  it('a low_battery fault raises and clears; a low reading keeps it open after the fault clears', () => {
    const s = scenario();
    expect(ops(s.send(fault(BOX, T0, 'low_battery', true), T0))).toEqual([`raise:${KEY}`]);
    expect(ops(s.send(fault(BOX, T0 + MIN, 'low_battery', false), T0 + MIN))).toEqual([`clear:${KEY}`]);
    s.send(telemetry(BOX, T0 + 2 * MIN, { batteryPercent: 10 }), T0 + 2 * MIN);
    s.send(fault(BOX, T0 + 3 * MIN, 'low_battery', true), T0 + 3 * MIN);
    expect(s.send(fault(BOX, T0 + 4 * MIN, 'low_battery', false), T0 + 4 * MIN)).toEqual([]);
    expect(s.view.open(KEY)?.count).toBe(2);
  });
});

describe('tilted / moved / vandalized', () => {
  it('faults raise their own key; vandalized is critical; active: false clears', () => {
    const s = scenario();
    expect(s.send(fault(BOX, T0, 'tilt', true), T0)).toMatchObject([{ key: 'tilted:box-0001', type: 'tilted', severity: 'warning', evidence: { fault: 'tilt' } }]);
    expect(s.send(fault(BOX, T0, 'moved', true), T0)).toMatchObject([{ key: 'moved:box-0001', type: 'moved', severity: 'warning' }]);
    expect(s.send(fault(BOX, T0, 'vandalized', true, 'door forced'), T0)).toMatchObject([
      {
        key: 'vandalized:box-0001',
        type: 'vandalized',
        severity: 'critical',
        title: '红梅新村 1号回收箱 vandalized (door forced)',
        // The device's own words stay in the English title: the message has codes and names only.
        message: { code: 'integrity.vandalized', params: { place: '红梅新村 1号回收箱' } },
      },
    ]);
    expect(ops(s.send(fault(BOX, T0 + MIN, 'tilt', false), T0 + MIN))).toEqual(['clear:tilted:box-0001']);
    expect(s.view.openKeys()).toEqual(['moved:box-0001', 'vandalized:box-0001']);
  });

  it("status 'dropped' maps to tilted, 'moved' and 'vandalized' to theirs; back to 'ok' clears", () => {
    const s = scenario();
    expect(ops(s.send(telemetry(BOX, T0, { status: 'dropped' }), T0))).toEqual(['raise:tilted:box-0001']);
    expect(s.send(telemetry(BOX, T0 + MIN, { status: 'dropped' }), T0 + MIN)).toEqual([]);
    expect(ops(s.send(telemetry(BOX, T0 + 2 * MIN, { status: 'moved' }), T0 + 2 * MIN))).toEqual(['raise:moved:box-0001']);
    // A lid reported open says nothing about the box's position.
    expect(ops(s.send(telemetry(BOX, T0 + 3 * MIN, { status: 'lidOpen' }), T0 + 3 * MIN)).filter((o) => !o.includes('lid_open'))).toEqual([]);
    expect(ops(s.send(telemetry(BOX, T0 + 4 * MIN, { status: 'ok' }), T0 + 4 * MIN))).toEqual(['clear:tilted:box-0001', 'clear:moved:box-0001']);
  });

  it("status 'ok' does not clear what a still-active fault holds", () => {
    const s = scenario();
    s.send(fault(BOX, T0, 'tilt', true), T0);
    expect(s.send(telemetry(BOX, T0 + MIN, { status: 'ok' }), T0 + MIN)).toEqual([]);
    expect(s.view.openKeys()).toEqual(['tilted:box-0001']);
  });

  it('a tamper alarm is a vandalized warning that never lowers an open critical', () => {
    const s = scenario();
    expect(s.send(fault(BOX, T0, 'tamper', true), T0)).toMatchObject([{ key: 'vandalized:box-0001', severity: 'warning', title: 'Tamper alarm at 红梅新村 1号回收箱' }]);
    s.send(fault(BOX, T0 + MIN, 'vandalized', true), T0 + MIN);
    expect(s.send(fault(BOX, T0 + 2 * MIN, 'tamper', true), T0 + 2 * MIN)).toMatchObject([{ severity: 'critical' }]);
    expect(s.send(fault(BOX, T0 + 3 * MIN, 'tamper', false), T0 + 3 * MIN)).toEqual([]);
    expect(ops(s.send(fault(BOX, T0 + 4 * MIN, 'vandalized', false), T0 + 4 * MIN))).toEqual(['clear:vandalized:box-0001']);
  });
});

describe('sensor_fault', () => {
  const BOX_KEY = 'sensor_fault:box-0001';
  const CAM_KEY = 'sensor_fault:cam-001';

  it.each(['sensor_fault', 'power_loss', 'stream_lost'] as const)('fault %s raises a warning and active: false clears it', (type) => {
    const s = scenario();
    expect(s.send(fault(BOX, T0, type, true), T0)).toMatchObject([{ op: 'raise', key: BOX_KEY, type: 'sensor_fault', severity: 'warning', evidence: { fault: type } }]);
    expect(ops(s.send(fault(BOX, T0 + MIN, type, false), T0 + MIN))).toEqual([`clear:${BOX_KEY}`]);
  });

  it('a camera heartbeat with streamOk false raises once; streamOk true clears', () => {
    const s = scenario();
    expect(s.send(heartbeat(CAMERA, T0, false), T0)).toMatchObject([{ key: CAM_KEY, title: 'Video stream lost at Yanling Road market camera, 红梅新村' }]);
    expect(s.send(heartbeat(CAMERA, T0 + MIN, false), T0 + MIN)).toEqual([]);
    expect(ops(s.send(heartbeat(CAMERA, T0 + 2 * MIN, true), T0 + 2 * MIN))).toEqual([`clear:${CAM_KEY}`]);
  });

  it('stays open while another cause still holds', () => {
    const s = scenario();
    s.send(fault(CAMERA, T0, 'power_loss', true), T0);
    s.send(heartbeat(CAMERA, T0 + MIN, false), T0 + MIN);
    expect(s.send(heartbeat(CAMERA, T0 + 2 * MIN, true), T0 + 2 * MIN)).toEqual([]);
    expect(ops(s.send(fault(CAMERA, T0 + 3 * MIN, 'power_loss', false), T0 + 3 * MIN))).toEqual([`clear:${CAM_KEY}`]);
  });
});

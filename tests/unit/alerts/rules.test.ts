import { describe, expect, it } from 'vitest';
import type { Device } from '../../../shared/contracts/index.ts';
import type { AlertCommand } from '../../../services/alerts/core/ports.ts';
import { createAlertRules } from '../../../services/alerts/core/rules.ts';
import { DEFAULT_THRESHOLDS } from '../../../services/alerts/core/thresholds.ts';
import { FakeAlertView } from './fake-view.ts';
import { BOX, CAMERA, MIN, T0, detection, fault, fill, scenario, status, telemetry } from './fixtures.ts';

describe('createAlertRules', () => {
  it('one reading can feed several families; every command carries the input time and the device', () => {
    const s = scenario();
    const at = T0 + 7;
    const commands = s.send(telemetry(BOX, at, { ...fill('paper', 0.95), temperatureC: 65, batteryPercent: 9, status: 'dropped' }), at);
    expect(commands.map((c) => c.op === 'raise' && c.type).sort()).toEqual(['bin_full', 'fire_risk', 'low_battery', 'tilted']);
    for (const c of commands) {
      expect(c.at).toBe(at);
      expect(c.op === 'raise' && c.subject).toMatchObject({ device: BOX });
    }
  });

  it('asks thresholdsFor for the device of the input', () => {
    const asked: string[] = [];
    const rules = createAlertRules({
      thresholdsFor: (device: Device) => {
        asked.push(device.id);
        return { ...DEFAULT_THRESHOLDS, binFullWarning: device.id === 'box-0001' ? 0.5 : 0.9 };
      },
    });
    const view = new FakeAlertView();
    const commands = rules.onMessage({ message: telemetry(BOX, T0, fill('paper', 0.6)), device: BOX, at: T0 }, view);
    expect(commands).toMatchObject([{ op: 'raise', key: 'bin_full:box-0001:paper' }]);
    expect(asked).toContain('box-0001');
  });

  it('rule memory is per instance: two rule sets do not share suspects', () => {
    const view = new FakeAlertView();
    const a = createAlertRules({ thresholdsFor: () => DEFAULT_THRESHOLDS });
    const b = createAlertRules({ thresholdsFor: () => DEFAULT_THRESHOLDS });
    a.onSweep({ at: T0, devices: [] }, view);
    b.onSweep({ at: T0, devices: [] }, view);
    a.onMessage({ message: status(BOX, 'offline', T0), device: BOX, at: T0 }, view);
    const sweep = { at: T0 + 3 * MIN, devices: [{ device: BOX, lastSeenMs: T0, online: false }] };
    expect(a.onSweep(sweep, view)).toMatchObject([{ op: 'raise', key: 'device_offline:box-0001' }]);
    expect(b.onSweep(sweep, view)).toEqual([]);
  });

  it('the same inputs give the same commands (no hidden clock)', () => {
    const run = (): AlertCommand[] => {
      const s = scenario();
      return [
        ...s.sweep(T0),
        ...s.send(detection(CAMERA, T0 + MIN), T0 + MIN),
        ...s.send(fault(BOX, T0 + 2 * MIN, 'overheat', true), T0 + 2 * MIN),
        ...s.send(status(BOX, 'offline', T0 + 3 * MIN), T0 + 3 * MIN),
        ...s.sweep(T0 + 20 * MIN),
      ];
    };
    const first = run();
    expect(first.length).toBeGreaterThan(3);
    expect(run()).toEqual(first);
  });

  it('a connection event alone emits nothing for a steady device', () => {
    const s = scenario();
    expect(s.connection(BOX, true, T0)).toEqual([]);
    expect(s.connection(BOX, false, T0 + MIN)).toEqual([]);
  });
});

/** The plan-following vehicles' edges: the --collection flag, SIM_COLLECTION, the status line, plan payloads. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.ts';
import { parseVehiclePlan } from '../../../simulators/adapters/mqtt-vehicle.ts';
import { emptyMessageCounts, formatStatusLine } from '../../../simulators/adapters/status-line.ts';
import { parseCli } from '../../../simulators/main.ts';

describe('--collection', () => {
  it('is fixed by default and takes plan', () => {
    expect(parseCli([], {}).collection).toBe('fixed');
    expect(parseCli(['--collection', 'plan'], {}).collection).toBe('plan');
    expect(parseCli(['--collection', 'fixed'], {}).collection).toBe('fixed');
  });

  it('refuses anything else, naming the flag', () => {
    expect(() => parseCli(['--collection', 'planned'], {})).toThrow(/--collection must be fixed or plan, got "planned"/);
    expect(() => parseCli(['--collection', ''], {})).toThrow(/--collection/);
  });
});

describe('SIM_COLLECTION', () => {
  it('defaults to fixed, takes plan, and stops start-up on anything else', () => {
    expect(loadConfig({}).SIM_COLLECTION).toBe('fixed');
    expect(loadConfig({ SIM_COLLECTION: 'plan' }).SIM_COLLECTION).toBe('plan');
    expect(() => loadConfig({ SIM_COLLECTION: 'rounds' })).toThrow(/SIM_COLLECTION/);
  });
});

describe('status line under plans', () => {
  const stats = {
    simTime: '', simMs: Date.parse('2026-11-26T08:15:00+08:00'), startMs: 0, speed: 60, caughtUp: false, running: true,
    devices: { total: 659, boxes: 605, cameras: 54, connected: 659, dark: 0 },
    messages: emptyMessageCounts(), depositedKg: 0, publishErrors: 0, connectionErrors: 0,
  };

  it('shows vehicles connected and stops served, only when vehicles follow plans', () => {
    const vehicles = { total: 24, connected: 23, refused: 1, connectionErrors: 0, plans: 20, badPlans: 0, stopsServed: 187, stopsAbandoned: 3, stopsNotSimulated: 0 };
    expect(formatStatusLine({ ...stats, vehicles }, 480)).toContain('vehicles 23/24 connected, 187 stops served');
    expect(formatStatusLine(stats, 480)).not.toContain('vehicles');
  });
});

describe('plan payloads', () => {
  const payload = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const plan = {
    planId: 'plan-1',
    publishedAt: '2026-11-26T00:00:00.000Z',
    shift: { date: '2026-11-26', startAt: '2026-11-25T22:00:00.000Z', endAt: '2026-11-26T06:00:00.000Z' },
    route: { vehicleId: 'truck-01', plate: '苏D·1', depotId: 'station-01', stops: [], km: 0, durationMinutes: 0, loadKg: 0, capacityKg: 8000 },
  };

  it("takes the vehicle's own VehiclePlan", () => {
    expect(parseVehiclePlan('truck-01', payload(plan))).toEqual({ plan });
  });

  it('says what is wrong with anything else', () => {
    expect(parseVehiclePlan('truck-01', payload('{'))).toEqual({ error: 'not JSON' });
    expect(parseVehiclePlan('truck-01', payload({ ...plan, shift: undefined }))).toEqual({ error: expect.stringMatching(/^not a VehiclePlan: shift/) });
    expect(parseVehiclePlan('truck-01', payload(42))).toEqual({ error: expect.stringMatching(/^not a VehiclePlan: \(root\)/) });
    expect(parseVehiclePlan('truck-02', payload(plan))).toEqual({ error: 'a route for truck-01' });
  });
});

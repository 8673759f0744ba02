import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../shared/config.ts';

const STRONG_TOKEN = 'bp_q7Vd2LxN9sKwT4mRz8HcYp3JfB6gUe1A';

describe('loadConfig', () => {
  it('runs on embedded defaults with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ MQTT_PORT: 1883, HTTP_PORT: 8080, DATA_DIR: './data', SIMULATOR: true });
  });

  it('gives a new demo fleet four weeks of history and runs the simulator at real time', () => {
    expect(loadConfig({})).toMatchObject({ DEMO_HISTORY_DAYS: 28, SIM_SPEED: 1 });
    expect(loadConfig({ DEMO_HISTORY_DAYS: '0' }).DEMO_HISTORY_DAYS).toBe(0);
    for (const bad of ['-1', '2.5', '366', 'many']) expect(() => loadConfig({ DEMO_HISTORY_DAYS: bad })).toThrow(/DEMO_HISTORY_DAYS/);
  });

  it('reads and coerces variables', () => {
    const config = loadConfig({ MQTT_PORT: '0', SIMULATOR: 'off', SIM_SPEED: '60', ADMIN_TOKEN: STRONG_TOKEN });
    expect(config).toMatchObject({ MQTT_PORT: 0, SIMULATOR: false, SIM_SPEED: 60, ADMIN_TOKEN: STRONG_TOKEN });
  });

  it('listens on this machine only unless HOST says otherwise', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('reads the shift calendar, and refuses a bad one naming PLAN_SHIFTS and the bad shift', () => {
    expect(loadConfig({}).PLAN_SHIFTS).toEqual([{ start: '06:00', end: '14:00' }, { start: '14:00', end: '22:00' }]);
    expect(loadConfig({ PLAN_SHIFTS: '07:00-15:00' }).PLAN_SHIFTS).toEqual([{ start: '07:00', end: '15:00' }]);
    expect(() => loadConfig({ PLAN_SHIFTS: '06:00-14:00,25:00-26:00' })).toThrow(/PLAN_SHIFTS: '25:00-26:00' is not a shift HH:MM-HH:MM/);
    expect(() => loadConfig({ PLAN_SHIFTS: '14:00-06:00' })).toThrow(/PLAN_SHIFTS: .*does not end after it starts/);
  });

  it('plans shifts automatically only when asked, or by default when the simulated vehicles follow plans', async () => {
    const { autoPlanEnabled } = await import('../../../services/platform/wiring/plans.ts');
    expect(autoPlanEnabled(loadConfig({}))).toBe(false);
    expect(autoPlanEnabled(loadConfig({ SIM_COLLECTION: 'plan' }))).toBe(true);
    expect(autoPlanEnabled(loadConfig({ SIM_COLLECTION: 'plan', SIMULATOR: 'off' }))).toBe(false);
    expect(autoPlanEnabled(loadConfig({ SIM_COLLECTION: 'plan', AUTO_PLAN: 'off' }))).toBe(false);
    expect(autoPlanEnabled(loadConfig({ AUTO_PLAN: 'on' }))).toBe(true);
    expect(loadConfig({}).AUTO_PLAN_LEAD_MIN).toBe(60);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ HTTP_PORT: '' }).HTTP_PORT).toBe(8080);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ MQTT_PORT: 'abc', HTTP_PORT: '70000', ADMIN_TOKEN: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/MQTT_PORT: .*"abc"/);
    expect(message).toMatch(/HTTP_PORT: .*"70000"/);
    expect(message).toMatch(/ADMIN_TOKEN: at least 32 characters/);
  });
});

describe('district-local days', () => {
  it('changes day at local midnight, not UTC midnight', async () => {
    const { localDay, localDayStart } = await import('../../../shared/units.ts');
    expect(localDay(Date.parse('2026-05-09T15:59:59.999Z'), 480)).toBe('2026-05-09');
    expect(localDay(Date.parse('2026-05-09T16:00:00.000Z'), 480)).toBe('2026-05-10');
    expect(localDay(Date.parse('2026-05-10T03:00:00.000Z'), -300)).toBe('2026-05-09');
    expect(new Date(localDayStart('2026-05-10', 480)).toISOString()).toBe('2026-05-09T16:00:00.000Z');
  });
});

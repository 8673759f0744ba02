import { describe, expect, it } from 'vitest';
import { BOX, MIN, T0, fault, ops, scenario, telemetry } from './fixtures.ts';

const KEY = 'fire_risk:box-0001';

describe('fire_risk', () => {
  it('an absolute temperature at or above 60 °C raises a critical alert', () => {
    const s = scenario();
    expect(s.send(telemetry(BOX, T0, { temperatureC: 59.9 }), T0)).toEqual([]);
    const [raise] = s.send(telemetry(BOX, T0 + 20 * MIN, { temperatureC: 60 }), T0 + 20 * MIN);
    expect(raise).toMatchObject({
      op: 'raise',
      key: KEY,
      type: 'fire_risk',
      severity: 'critical',
      title: 'Fire risk at 红梅新村 1号回收箱: 60 °C',
      message: { code: 'fire_risk.hot', params: { place: '红梅新村 1号回收箱', temperature: 60 } },
      evidence: { temperatureC: 60, status: 'ok' },
      subject: { device: BOX },
    });
  });

  it('a rise of 15 °C within 10 minutes raises even below 60 °C', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { temperatureC: 22 }), T0);
    s.send(telemetry(BOX, T0 + 4 * MIN, { temperatureC: 28 }), T0 + 4 * MIN);
    const [raise] = s.send(telemetry(BOX, T0 + 8 * MIN, { temperatureC: 37.5 }), T0 + 8 * MIN);
    expect(raise).toMatchObject({ key: KEY, evidence: { temperatureC: 37.5, temperatureRiseC: 15.5 } });
    expect(raise?.op === 'raise' && raise.title).toBe('Fire risk at 红梅新村 1号回收箱: temperature up 15.5 °C within 10 min (37.5 °C)');
  });

  it('the same rise spread over more than the window is no fire risk', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { temperatureC: 22 }), T0);
    s.send(telemetry(BOX, T0 + 8 * MIN, { temperatureC: 30 }), T0 + 8 * MIN);
    expect(s.send(telemetry(BOX, T0 + 16 * MIN, { temperatureC: 38 }), T0 + 16 * MIN)).toEqual([]);
  });

  it("status 'burning' raises whatever the temperature", () => {
    const s = scenario();
    expect(s.send(telemetry(BOX, T0, { temperatureC: 30, status: 'burning' }), T0)).toMatchObject([
      { key: KEY, title: 'Fire risk: 红梅新村 1号回收箱 reports burning (30 °C)', evidence: { status: 'burning' } },
    ]);
  });

  it('every alarming reading updates the one alert; it clears below 50 °C, not at 55', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { temperatureC: 65 }), T0);
    s.send(telemetry(BOX, T0 + 5 * MIN, { temperatureC: 72 }), T0 + 5 * MIN);
    expect(s.send(telemetry(BOX, T0 + 10 * MIN, { temperatureC: 55 }), T0 + 10 * MIN)).toEqual([]);
    expect(s.view.open(KEY)).toMatchObject({ count: 2, evidence: { temperatureC: 72 } });
    expect(s.send(telemetry(BOX, T0 + 15 * MIN, { temperatureC: 50 }), T0 + 15 * MIN)).toEqual([]);
    expect(ops(s.send(telemetry(BOX, T0 + 20 * MIN, { temperatureC: 45 }), T0 + 20 * MIN))).toEqual([`clear:${KEY}`]);
  });

  it('a burning box below 50 °C does not clear', () => {
    const s = scenario();
    s.send(telemetry(BOX, T0, { temperatureC: 70 }), T0);
    expect(ops(s.send(telemetry(BOX, T0 + 5 * MIN, { temperatureC: 40, status: 'burning' }), T0 + 5 * MIN))).toEqual([`raise:${KEY}`]);
    expect(s.view.openKeys()).toContain(KEY);
  });

  it('an overheat fault raises, and holds the alert open until it is reported inactive', () => {
    const s = scenario();
    expect(ops(s.send(fault(BOX, T0, 'overheat', true), T0))).toEqual([`raise:${KEY}`]);
    expect(s.send(telemetry(BOX, T0 + MIN, { temperatureC: 30 }), T0 + MIN)).toEqual([]);
    expect(ops(s.send(fault(BOX, T0 + 2 * MIN, 'overheat', false), T0 + 2 * MIN))).toEqual([`clear:${KEY}`]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  AlertThresholdsFile,
  DEFAULT_THRESHOLDS,
  parseAlertThresholdsFile,
  resolveThresholds,
  Thresholds,
} from '../../../services/alerts/core/thresholds.ts';
import { BOX, CAMERA } from './fixtures.ts';

const MIN = 60_000;

describe('resolveThresholds', () => {
  it('without a file: the defaults, with the inactivity timeout per kind', () => {
    expect(resolveThresholds(undefined, BOX)).toEqual({ ...DEFAULT_THRESHOLDS, inactivityTimeoutMs: 15 * MIN });
    expect(resolveThresholds(undefined, CAMERA)).toEqual({ ...DEFAULT_THRESHOLDS, inactivityTimeoutMs: 3 * MIN });
  });

  it('the defaults are a valid, self-consistent Thresholds', () => {
    expect(Thresholds.parse(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
    expect(DEFAULT_THRESHOLDS).toMatchObject({ binFullWarning: 0.9, binFullCritical: 1, binFullClear: 0.7, fireTemperatureC: 60, lowBatteryPercent: 15 });
  });

  it('order: defaults < kind < subdistrict < device', () => {
    const file = AlertThresholdsFile.parse({
      defaults: { binFullWarning: 0.8, lidOpenMaxMs: 5 * MIN, fireClearC: 45 },
      kinds: { box: { binFullWarning: 0.85, lidOpenMaxMs: 6 * MIN } },
      subdistricts: { hongmei: { binFullWarning: 0.88 } },
      devices: { 'box-0001': { binFullWarning: 0.95 } },
    });
    expect(resolveThresholds(file, BOX)).toMatchObject({ binFullWarning: 0.95, lidOpenMaxMs: 6 * MIN, fireClearC: 45 });
    expect(resolveThresholds(file, { ...BOX, id: 'box-0002' })).toMatchObject({ binFullWarning: 0.88 });
    expect(resolveThresholds(file, { ...BOX, id: 'box-0003', subdistrict: 'lanling' })).toMatchObject({ binFullWarning: 0.85 });
    expect(resolveThresholds(file, CAMERA)).toMatchObject({ binFullWarning: 0.88, lidOpenMaxMs: 5 * MIN });
    expect(resolveThresholds(file, { ...CAMERA, subdistrict: 'lanling' })).toMatchObject({ binFullWarning: 0.8 });
  });

  it("the file's defaults override the built-in per-kind timeout; its kinds override its defaults", () => {
    const file = AlertThresholdsFile.parse({ defaults: { inactivityTimeoutMs: 20 * MIN }, kinds: { camera: { inactivityTimeoutMs: 5 * MIN } } });
    expect(resolveThresholds(file, BOX).inactivityTimeoutMs).toBe(20 * MIN);
    expect(resolveThresholds(file, CAMERA).inactivityTimeoutMs).toBe(5 * MIN);
  });
});

describe('parseAlertThresholdsFile', () => {
  const errorOf = (value: unknown): string => {
    const result = parseAlertThresholdsFile(JSON.stringify(value), 'thresholds.json');
    if (result.ok) throw new Error('expected an error');
    return result.error;
  };

  it('accepts an empty file and a full one', () => {
    expect(parseAlertThresholdsFile('{}')).toEqual({ ok: true, file: {} });
    const full = { defaults: DEFAULT_THRESHOLDS, kinds: { box: {}, camera: { inactivityTimeoutMs: 120_000 } }, subdistricts: { zhenglu: { hotspotMinAlerts: 5 } }, devices: { 'cam-001': {} } };
    expect(parseAlertThresholdsFile(JSON.stringify(full))).toEqual({ ok: true, file: full });
  });

  it('names a misspelt threshold with its path', () => {
    expect(errorOf({ devices: { 'box-0001': { binFullWarn: 0.8 } } })).toContain('✖ Unrecognized key: "binFullWarn"\n  → at devices["box-0001"]');
  });

  it('names an unknown section, subdistrict or kind', () => {
    expect(errorOf({ default: {} })).toMatch(/Unrecognized key: "default"/);
    expect(errorOf({ subdistricts: { wujin: {} } })).toMatch(/subdistricts/);
    expect(errorOf({ kinds: { drone: {} } })).toMatch(/Unrecognized key: "drone"/);
  });

  it('rejects out-of-range values with the path and the limit', () => {
    const error = errorOf({ defaults: { binFullWarning: 1.2, inactivityTimeoutMs: -5, hotspotMinAlerts: 2.5 } });
    expect(error).toContain('thresholds.json');
    expect(error).toMatch(/<=1[\s\S]*defaults\.binFullWarning/);
    expect(error).toMatch(/defaults\.inactivityTimeoutMs/);
    expect(error).toMatch(/defaults\.hotspotMinAlerts/);
  });

  it('rejects a device id that could not be a device', () => {
    expect(errorOf({ devices: { 'box/0001': {} } })).toMatch(/devices/);
  });

  it('rejects thresholds that would raise and clear at once, naming the layer', () => {
    expect(errorOf({ devices: { 'box-0001': { binFullClear: 0.95 } } })).toContain('✖ binFullClear (0.95) must be below binFullWarning (0.9)\n  → at devices["box-0001"]');
    expect(errorOf({ subdistricts: { hongmei: { fireClearC: 70 } } })).toMatch(/fireClearC \(70\) must be below fireTemperatureC/);
    expect(errorOf({ defaults: { lowBatteryClearPercent: 10 } })).toMatch(/lowBatteryClearPercent \(10\)/);
    // Checked against the file's own defaults too.
    expect(errorOf({ defaults: { binFullWarning: 0.75 }, kinds: { box: { binFullClear: 0.8 } } })).toMatch(/kinds\.box/);
  });

  it('reports text that is not JSON', () => {
    const result = parseAlertThresholdsFile('{ defaults: ', 'thresholds.json');
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^thresholds\.json: not JSON/) });
  });
});

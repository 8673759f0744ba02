import { describe, expect, it } from 'vitest';
import {
  escapeKey,
  escapeMeasurement,
  formatFloat,
  formatLine,
  quoteString,
  UnencodableError,
} from '../../../services/timeseries/core/influx-line-protocol.ts';

describe('line protocol escaping', () => {
  it('escapes tag values with spaces, commas and "=", and leaves Chinese text as it is', () => {
    expect(escapeKey('hongmei xincun')).toBe('hongmei\\ xincun');
    expect(escapeKey('a,b=c d')).toBe('a\\,b\\=c\\ d');
    expect(escapeKey('红梅新村')).toBe('红梅新村');
    expect(escapeKey('红梅 新村,一区=东')).toBe('红梅\\ 新村\\,一区\\=东');
  });

  it('measurement names escape comma and space but not "="', () => {
    expect(escapeMeasurement('box reading,x=y')).toBe('box\\ reading\\,x=y');
  });

  it('string fields are double-quoted with backslash and quote escaped', () => {
    expect(quoteString('snap "1" \\ ok')).toBe('"snap \\"1\\" \\\\ ok"');
    expect(quoteString('a,b c=d')).toBe('"a,b c=d"');
  });
});

describe('formatFloat: numeric fields are always floats', () => {
  it.each([
    [40, '40.0'],
    [0, '0.0'],
    [-70, '-70.0'],
    [0.25, '0.25'],
    [-0.5, '-0.5'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
  ])('%s -> %s', (value, text) => {
    expect(formatFloat(value)).toBe(text);
    // Never an integer literal: no trailing i/u, always a point or an exponent.
    expect(text).toMatch(/[.e]/);
  });

  it('refuses NaN and infinities', () => {
    expect(() => formatFloat(Number.NaN)).toThrow(UnencodableError);
    expect(() => formatFloat(Number.POSITIVE_INFINITY)).toThrow(UnencodableError);
  });
});

describe('formatLine', () => {
  it('sorts tags, keeps field order, writes floats, booleans and strings, skips empty and null values', () => {
    const line = formatLine({
      measurement: 'box_health',
      tags: { subdistrict: 'hongmei', deviceId: 'box-0001', community: '红梅新村 一区', kind: 'box', empty: '' },
      fields: { temperatureC: 20, batteryPercent: null, rssiDbm: -70, lidOpen: false, note: 'a "b"' },
      timestampNs: '1764122400000000000',
    });
    expect(line).toBe(
      'box_health,community=红梅新村\\ 一区,deviceId=box-0001,kind=box,subdistrict=hongmei ' +
        'temperatureC=20.0,rssiDbm=-70.0,lidOpen=false,note="a \\"b\\"" 1764122400000000000',
    );
  });

  it('refuses what line protocol cannot carry', () => {
    const base = { measurement: 'm', tags: {}, fields: { v: 1 }, timestampNs: '1' };
    expect(() => formatLine({ ...base, tags: { community: 'line\nbreak' } })).toThrow(/line break/);
    expect(() => formatLine({ ...base, tags: { community: 'ends with \\' } })).toThrow(/backslash/);
    expect(() => formatLine({ ...base, fields: { v: Number.NaN } })).toThrow(/field v/);
    expect(() => formatLine({ ...base, fields: { v: null } })).toThrow(/at least one field/);
    expect(() => formatLine({ ...base, timestampNs: '-5' })).toThrow(UnencodableError);
  });
});

import { describe, expect, it } from 'vitest';
import { raiseTarget, silenceActive, silenceFor, silenceMatches, type SilenceTarget } from '../../../services/alerts/core/silences.ts';
import { BOX, CAMERA, MIN, T0, areaOutage, binFull, iso, silence } from './fixtures.ts';

const boxFull: SilenceTarget = { type: 'bin_full', deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei' };

describe('silenceMatches', () => {
  it.each([
    ['deviceId', { deviceId: 'box-0001' }, { deviceId: 'box-0002' }],
    ['kind', { kind: 'box' }, { kind: 'camera' }],
    ['subdistrict', { subdistrict: 'hongmei' }, { subdistrict: 'lanling' }],
    ['type', { type: 'bin_full' }, { type: 'lid_open' }],
  ] as const)('matches on %s alone', (_field, hit, miss) => {
    expect(silenceMatches(silence(hit), boxFull, T0)).toBe(true);
    expect(silenceMatches(silence(miss), boxFull, T0)).toBe(false);
  });

  it('requires every given field to match', () => {
    expect(silenceMatches(silence({ subdistrict: 'hongmei', type: 'bin_full' }), boxFull, T0)).toBe(true);
    expect(silenceMatches(silence({ subdistrict: 'hongmei', type: 'fire_risk' }), boxFull, T0)).toBe(false);
    expect(silenceMatches(silence({ deviceId: 'box-0001', kind: 'camera' }), boxFull, T0)).toBe(false);
    expect(silenceMatches(silence({ deviceId: 'box-0001', kind: 'box', subdistrict: 'hongmei', type: 'bin_full' }), boxFull, T0)).toBe(true);
  });

  it('applies from startsAt (inclusive) until endsAt (exclusive)', () => {
    const s = silence({ type: 'bin_full' }, { startsAt: iso(T0), endsAt: iso(T0 + 30 * MIN) });
    expect(silenceMatches(s, boxFull, T0 - 1)).toBe(false);
    expect(silenceMatches(s, boxFull, T0)).toBe(true);
    expect(silenceMatches(s, boxFull, T0 + 30 * MIN - 1)).toBe(true);
    expect(silenceMatches(s, boxFull, T0 + 30 * MIN)).toBe(false);
    expect(silenceActive(s, T0 + 31 * MIN)).toBe(false);
  });

  it('never matches with an empty matcher (it would mute everything)', () => {
    expect(silenceMatches(silence({}), boxFull, T0)).toBe(false);
  });

  it('area alerts match only on subdistrict and type, never on device or kind', () => {
    const area = raiseTarget(areaOutage(T0));
    expect(area).toEqual({ type: 'area_outage', deviceId: null, kind: null, subdistrict: 'hongmei' });
    expect(silenceMatches(silence({ subdistrict: 'hongmei' }), area, T0)).toBe(true);
    expect(silenceMatches(silence({ kind: 'box' }), area, T0)).toBe(false);
    expect(silenceMatches(silence({ deviceId: BOX.id }), area, T0)).toBe(false);
  });
});

describe('silenceFor', () => {
  it('takes the device, kind and subdistrict of the raised device', () => {
    expect(raiseTarget(binFull(T0, {}, CAMERA))).toEqual({ type: 'bin_full', deviceId: 'cam-0001', kind: 'camera', subdistrict: 'hongmei' });
  });

  it('picks the matching silence that ends last, and none when none matches', () => {
    const short = silence({ type: 'bin_full' }, { id: 'si-a', endsAt: iso(T0 + 10 * MIN) });
    const long = silence({ subdistrict: 'hongmei' }, { id: 'si-b', endsAt: iso(T0 + 90 * MIN) });
    const other = silence({ subdistrict: 'lanling' }, { id: 'si-c', endsAt: iso(T0 + 999 * MIN) });
    expect(silenceFor([short, long, other], boxFull, T0)?.id).toBe('si-b');
    expect(silenceFor([short, other], boxFull, T0)?.id).toBe('si-a');
    expect(silenceFor([other], boxFull, T0)).toBeUndefined();
    expect(silenceFor([short, long], boxFull, T0 + 100 * MIN)).toBeUndefined();
  });

  it('breaks ties on the lowest id', () => {
    const a = silence({ type: 'bin_full' }, { id: 'si-a' });
    const b = silence({ type: 'bin_full' }, { id: 'si-b' });
    expect(silenceFor([b, a], boxFull, T0)?.id).toBe('si-a');
  });
});

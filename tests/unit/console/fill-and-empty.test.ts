import { describe, expect, it } from 'vitest';
import { boxesToEmpty } from '../../../services/console/core/boxes-to-empty.ts';
import { FILL_BANDS, fillBand, fillColour, fillText } from '../../../services/console/core/fill-scale.ts';
import { MESSAGES } from '../../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../../services/console/core/i18n/translator.ts';
import { box, camera } from './fixtures.ts';

describe('fill-level colour scale', () => {
  it.each([
    [0, 'low'],
    [0.499, 'low'],
    [0.5, 'medium'],
    [0.7, 'high'],
    [0.899, 'high'],
    [0.9, 'empty-now'],
    [0.999, 'empty-now'],
    [1, 'full'],
  ])('%s is in band %s', (level, key) => {
    expect(fillBand(level).key).toBe(key);
  });

  it('shows an overflowing compartment as full whatever its level, and no reading as grey', () => {
    expect(fillBand(0.95, true).key).toBe('full');
    expect(fillBand(null).key).toBe('unknown');
    expect(fillBand(undefined).key).toBe('unknown');
    expect(fillColour(null)).toBe(FILL_BANDS.find((b) => b.key === 'unknown')!.colour);
  });

  it('gives every band its own colour, for the legend', () => {
    expect(new Set(FILL_BANDS.map((b) => b.colour)).size).toBe(FILL_BANDS.length);
  });

  it('never rounds a level up across the threshold', () => {
    const en = createI18n('en', 480);
    expect(fillText(0.899, false, en)).toBe('89%');
    expect(fillText(0.9, false, en)).toBe('90%');
    expect(fillText(null, false, en)).toBe('–');
  });

  it('calls an overflowing compartment by one name whatever its level, in both languages', () => {
    expect(fillText(1, true, createI18n('en', 480))).toBe('Overflowing');
    expect(fillText(0.95, true, createI18n('zh-CN', 480))).toBe('溢出');
  });

  it('names every band in both catalogues and writes legible text on each colour', () => {
    for (const band of FILL_BANDS) {
      expect(MESSAGES.en[`fillBand.${band.key}`]).toBeTypeOf('string');
      expect(MESSAGES['zh-CN'][`fillBand.${band.key}`]).toBeTypeOf('string');
    }
    // Light bands get dark ink, dark bands white (a group's count sits on the colour).
    expect(fillBand(0.6).ink).not.toBe(fillBand(0.95).ink);
  });
});

describe('boxes to empty', () => {
  const devices = [
    box('box-a', { paper: 0.91, plastic: 0.4 }),
    box('box-b', { paper: 0.97 }),
    box('box-c', { glass: 0.5 }),
    box('box-d', { metal: 1, textile: 0.93 }),
    box('box-e', { plastic: 1 }, {}, { compartments: [{ category: 'plastic', fillingLevel: 1, weightKg: 60, overflow: true }], maxFillingLevel: 1 }),
    box('box-f', { paper: 0.91 }),
    camera('cam-1'),
  ];

  it('lists boxes with a compartment at or above 0.9, fullest first, overflow before a plain 100 %', () => {
    const rows = boxesToEmpty(devices);
    expect(rows.map((r) => r.id)).toEqual(['box-e', 'box-d', 'box-b', 'box-a', 'box-f']);
    expect(rows[0]).toMatchObject({ category: 'plastic', fillingLevel: 1, overflow: true });
  });

  it('names the fullest compartment and the others that are also due', () => {
    const d = boxesToEmpty(devices).find((r) => r.id === 'box-d')!;
    expect(d).toMatchObject({ category: 'metal', community: '新天地花苑', subdistrict: 'hongmei', responsiblePerson: '王芳' });
    expect(d.alsoDue).toEqual([{ category: 'textile', fillingLevel: 0.93 }]);
  });

  it('takes another threshold, and leaves out cameras and boxes without readings', () => {
    const rows = boxesToEmpty([...devices, box('box-g', {})], 0.5);
    expect(rows.map((r) => r.id)).toContain('box-c');
    expect(rows.map((r) => r.id)).not.toContain('cam-1');
    expect(rows.map((r) => r.id)).not.toContain('box-g');
  });

  it("notes when a box's name already says its community, so the list need not repeat it", () => {
    const [named] = boxesToEmpty([box('box-n', { paper: 0.95 })]);
    const [other] = boxesToEmpty([box('box-o', { paper: 0.95 }, { name: '劳动路 1号回收箱' })]);
    expect(named!.communityInName).toBe(true);
    expect(other!.communityInName).toBe(false);
  });

  it('keeps an offline box on the list, flagged, with its last reading', () => {
    const rows = boxesToEmpty([box('box-x', { paper: 0.95 }, {}, { online: false })]);
    expect(rows).toMatchObject([{ id: 'box-x', online: false, fillingLevel: 0.95 }]);
  });
});

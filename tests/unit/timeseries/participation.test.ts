import { describe, expect, it } from 'vitest';
import { buildParticipationReport, participationWindows } from '../../../services/timeseries/core/participation.ts';
import type { ParticipationRow } from '../../../services/timeseries/core/store.ts';

const OFFSET = 480;
const row = (community: string, residents: number, extra: Partial<ParticipationRow> = {}): ParticipationRow => ({
  subdistrict: 'qinglong',
  community,
  residents,
  deposits: residents * 3,
  kg: residents * 10,
  points: residents * 12,
  ...extra,
});

describe('participationWindows', () => {
  it('counts back whole district-local days from `to`, inclusive', () => {
    const { windows, ranges } = participationWindows('2026-12-06', OFFSET);
    expect(windows).toEqual({
      last7: { from: '2026-11-30', to: '2026-12-06' },
      last30: { from: '2026-11-07', to: '2026-12-06' },
      previous7: { from: '2026-11-23', to: '2026-11-29' },
    });
    // Local midnight at UTC+8 is 16:00 UTC the day before; `to` is exclusive, the next midnight.
    expect(new Date(ranges.last7.from).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(new Date(ranges.last7.to).toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(ranges.previous7.to).toBe(ranges.last7.from);
    expect(ranges.last30.to - ranges.last30.from).toBe(30 * 86_400_000);
  });
});

describe('buildParticipationReport', () => {
  const base = {
    toDay: '2026-12-06',
    utcOffsetMinutes: OFFSET,
    communities: [
      { name: '新天地花苑', subdistrict: 'qinglong' as const, households: 800 },
      { name: '青龙苑', subdistrict: 'qinglong' as const, households: 400 },
      { name: '红梅新村', subdistrict: 'hongmei' as const, households: 1000 },
    ],
  };

  it('per community: rate against households, kg per active resident, points, week-on-week trend; the pilot marked', () => {
    const report = buildParticipationReport({
      ...base,
      last30: [row('新天地花苑', 560, { kg: 5600.5, points: 7000, deposits: 5000 }), row('青龙苑', 100)],
      last7: [row('新天地花苑', 420), row('青龙苑', 60)],
      previous7: [row('新天地花苑', 400), row('青龙苑', 80)],
    });
    const pilot = report.communities.find((c) => c.community === '新天地花苑')!;
    expect(pilot).toEqual({
      community: '新天地花苑',
      subdistrict: 'qinglong',
      pilot: true,
      households: 800,
      active7d: 420,
      active30d: 560,
      activePrevious7d: 400,
      rate: 0.7,
      deposits30d: 5000,
      kg30d: 5600.5,
      kgPerActive: 10.001,
      points30d: 7000,
      trend: 0.05,
    });
    const qinglongyuan = report.communities.find((c) => c.community === '青龙苑')!;
    expect(qinglongyuan).toMatchObject({ pilot: false, rate: 0.25, trend: -0.25, kgPerActive: 10 });
  });

  it('a registered community without deposits shows 0 active; one with deposits but no households has no rate', () => {
    const report = buildParticipationReport({
      ...base,
      last30: [row('新天地花苑', 500), { ...row('无名小区', 30), subdistrict: 'hongmei' }],
      last7: [],
      previous7: [],
    });
    expect(report.communities.map((c) => [c.subdistrict, c.community])).toEqual([
      ['hongmei', '无名小区'],
      ['hongmei', '红梅新村'],
      ['qinglong', '新天地花苑'],
      ['qinglong', '青龙苑'],
    ]);
    expect(report.communities[0]).toMatchObject({ households: null, rate: null, active30d: 30, trend: null });
    expect(report.communities[1]).toMatchObject({ households: 1000, active30d: 0, rate: 0, kgPerActive: null });
    // The subdistrict's rate counts only its registered communities' residents against their households.
    const hongmei = report.subdistricts.find((s) => s.subdistrict === 'hongmei')!;
    expect(hongmei).toMatchObject({ households: 1000, active30d: 30, rate: 0 });
    expect(report.total).toMatchObject({ households: 2200, active30d: 530, rate: 500 / 2200 });
  });

  it('subdistrict and district figures are their communities\' sums; kg summed exactly', () => {
    const report = buildParticipationReport({
      ...base,
      last30: [row('新天地花苑', 1, { kg: 0.1 }), row('青龙苑', 1, { kg: 0.2 })],
      last7: [row('新天地花苑', 1), row('青龙苑', 1)],
      previous7: [row('新天地花苑', 1)],
    });
    const qinglong = report.subdistricts.find((s) => s.subdistrict === 'qinglong')!;
    expect(qinglong).toMatchObject({ households: 1200, active7d: 2, active30d: 2, activePrevious7d: 1, kg30d: 0.3, trend: 1 });
    expect(report.subdistricts.map((s) => s.subdistrict)).toEqual(['hongmei', 'qinglong']);
    expect(report.total.kg30d).toBe(0.3);
  });

  it('a subdistrict filter leaves the other subdistricts\' communities out', () => {
    const report = buildParticipationReport({
      ...base,
      subdistrict: 'hongmei',
      last30: [row('新天地花苑', 500)],
      last7: [],
      previous7: [],
    });
    expect(report.communities.map((c) => c.community)).toEqual(['红梅新村']);
    expect(report.subdistricts).toHaveLength(1);
    expect(report.total.households).toBe(1000);
    expect(report.windows.last30).toEqual({ from: '2026-11-07', to: '2026-12-06' });
  });
});

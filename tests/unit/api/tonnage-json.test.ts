import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { SUBDISTRICTS, WASTE_CATEGORIES } from '../../../shared/contracts/common.ts';
import { type TonnageRow, TonnageReport } from '../../../shared/contracts/index.ts';
import { TonnageJsonError, tonnageReportJson } from '../../../services/api/core/tonnage-json.ts';
import { buildTonnageReport } from '../../../services/timeseries/core/tonnage.ts';

const zodJson = serializerCompiler({ schema: TonnageReport, method: 'GET', url: '/api/v1/reports/tonnage' } as never) as (data: unknown) => string;

function report(): TonnageReport {
  const rows: TonnageRow[] = [];
  let seed = 3;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
  for (const day of ['2026-11-29', '2026-11-30', '2026-12-01']) {
    for (const subdistrict of SUBDISTRICTS) {
      for (const category of WASTE_CATEGORIES) {
        if (next() % 3 === 0) continue;
        // Awkward kg: many decimals, huge, tiny, whole numbers (printed without ".0").
        const kg = [next() / 7_777, 1e21 + next(), 1e-7 * (next() % 5), next() % 100][next() % 4]!;
        rows.push({ day, category, subdistrict, kg, deposits: next() % 500 });
      }
    }
  }
  return buildTonnageReport(rows, { fromDay: '2026-11-28', toDay: '2026-12-02', utcOffsetMinutes: 480 });
}

describe('tonnageReportJson', () => {
  it('writes exactly the text the zod serializer writes', () => {
    const r = report();
    expect(r.rows.length).toBeGreaterThan(20);
    expect(tonnageReportJson(r)).toBe(zodJson(r));
    const empty = buildTonnageReport([], { fromDay: '2026-12-01', toDay: '2026-12-01', utcOffsetMinutes: 480 });
    expect(tonnageReportJson(empty)).toBe(zodJson(empty));
  });

  it('writes only the schema fields (an allow-list), and refuses what the schema refuses', () => {
    const r = report();
    const leaky = { ...r, secret: 'x', rows: r.rows.map((row) => ({ ...row, deviceId: 'box-0001' })) };
    expect(tonnageReportJson(leaky)).toBe(zodJson(r));
    expect(tonnageReportJson(leaky)).not.toContain('box-0001');
    const row = r.rows[0]!;
    for (const bad of [
      { ...row, kg: Number.NaN },
      { ...row, kg: Infinity },
      { ...row, deposits: 1.5 },
      { ...row, day: '2026-12-01T00:00' },
      { ...row, category: 'plutonium' },
      { ...row, subdistrict: '"},"x":{"' },
    ]) {
      expect(() => tonnageReportJson({ ...r, rows: [bad as TonnageRow] })).toThrow(TonnageJsonError);
      expect(() => zodJson({ ...r, rows: [bad] })).toThrow();
    }
  });
});

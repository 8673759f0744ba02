/**
 * The contracts' fixed lists, for the browser. shared/contracts defines each list beside its
 * zod schema, and importing a value from there bundles all of zod (≈ 450 kB) into the console;
 * the console only needs the lists. The types tie each list to its contract, and
 * tests/unit/console/vocabulary.test.ts checks that they hold the same values in the same order.
 */
import type { Severity, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';

export const SUBDISTRICTS = ['tianning', 'hongmei', 'lanling', 'chashan', 'qinglong', 'diaozhuang', 'zhenglu'] as const satisfies readonly Subdistrict[];

export const SUBDISTRICT_NAMES: Record<Subdistrict, { zh: string; en: string }> = {
  tianning: { zh: '天宁街道', en: 'Tianning' },
  hongmei: { zh: '红梅街道', en: 'Hongmei' },
  lanling: { zh: '兰陵街道', en: 'Lanling' },
  chashan: { zh: '茶山街道', en: 'Chashan' },
  qinglong: { zh: '青龙街道', en: 'Qinglong' },
  diaozhuang: { zh: '雕庄街道', en: 'Diaozhuang' },
  zhenglu: { zh: '郑陆镇', en: 'Zhenglu' },
};

export const WASTE_CATEGORIES = ['paper', 'plastic', 'metal', 'glass', 'textile', 'other'] as const satisfies readonly WasteCategory[];

export const SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly Severity[];

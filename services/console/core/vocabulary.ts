/**
 * The contracts' fixed lists, for the browser. shared/contracts defines each list beside its
 * zod schema, and importing a value from there bundles all of zod (≈ 450 kB) into the console;
 * the console only needs the lists. The types tie each list to its contract, and
 * tests/unit/console/vocabulary.test.ts checks that they hold the same values in the same order.
 */
import type { Severity, Subdistrict, WasteCategory } from '../../../shared/contracts/index.ts';

export const SUBDISTRICTS = ['tianning', 'hongmei', 'lanling', 'chashan', 'qinglong', 'diaozhuang', 'zhenglu'] as const satisfies readonly Subdistrict[];

export const WASTE_CATEGORIES = ['paper', 'plastic', 'metal', 'glass', 'textile', 'other'] as const satisfies readonly WasteCategory[];

export const SEVERITIES = ['info', 'warning', 'critical'] as const satisfies readonly Severity[];

/** One colour per waste category, the same in every chart, legend and table chip (names: the i18n catalogue). */
import type { WasteCategory } from '../../../shared/contracts/index.ts';

export const CATEGORY_COLOURS: Record<WasteCategory, string> = {
  paper: '#3a7bd5',
  plastic: '#f2a541',
  metal: '#7b8794',
  glass: '#2bb3a3',
  textile: '#b5589b',
  other: '#a3b18a',
};

/**
 * The fillingLevel colour scale of the map, the tables and the legend. Bands, not a gradient:
 * an operator reads "amber: on the next round, red: empty now" faster than a shade of orange,
 * and the band edges are the platform's own thresholds (rounds empty from 0.7, bin_full at 0.9).
 */

export interface FillBand {
  key: 'low' | 'medium' | 'high' | 'empty-now' | 'full' | 'unknown';
  label: string;
  colour: string;
  /** Lowest fillingLevel of the band (inclusive); null for "no reading". */
  from: number | null;
}

export const FILL_BANDS: readonly FillBand[] = [
  { key: 'low', label: 'below 50 %', colour: '#2e9e6a', from: 0 },
  { key: 'medium', label: '50–70 %', colour: '#9cc94a', from: 0.5 },
  { key: 'high', label: '70–90 %', colour: '#f2b33d', from: 0.7 },
  { key: 'empty-now', label: '90–100 %: to empty', colour: '#e4572e', from: 0.9 },
  { key: 'full', label: 'full or overflowing', colour: '#9d1720', from: 1 },
  { key: 'unknown', label: 'no reading yet', colour: '#9aa5b1', from: null },
];

/** A box is "to empty" from here on: the summary's boxesAbove90 and the bin_full alert use 0.9 too. */
export const TO_EMPTY_THRESHOLD = 0.9;

const UNKNOWN = FILL_BANDS[FILL_BANDS.length - 1]!;

export function fillBand(level: number | null | undefined, overflow = false): FillBand {
  if (level === null || level === undefined || Number.isNaN(level)) return UNKNOWN;
  if (overflow) return FILL_BANDS[4]!;
  let band = FILL_BANDS[0]!;
  for (const candidate of FILL_BANDS) {
    if (candidate.from !== null && level >= candidate.from) band = candidate;
  }
  return band;
}

export const fillColour = (level: number | null | undefined, overflow = false): string => fillBand(level, overflow).colour;

/** "92 %", or "–" without a reading; floor, so 0.899 never shows as "90 %" below the threshold. */
export function formatFill(level: number | null | undefined): string {
  if (level === null || level === undefined || Number.isNaN(level)) return '–';
  return `${Math.floor(level * 100)} %`;
}

/**
 * The fillingLevel colour scale of the map, the tables and the legend. Bands, not a gradient:
 * an operator reads "amber: on the next round, red: empty now" faster than a shade of orange,
 * and the band edges are the platform's own thresholds (rounds empty from 0.7, bin_full at 0.9).
 * A band's words are in the catalogue under `fillBand.<key>`; an overflowing compartment is
 * always called `fill.overflow`, whatever its level.
 */
import type { I18n } from './i18n/translator.ts';

export type FillBandKey = 'low' | 'medium' | 'high' | 'empty-now' | 'full' | 'unknown';

export interface FillBand {
  key: FillBandKey;
  colour: string;
  /** Text drawn on the colour (a cluster's count): dark on the light bands, white on the dark ones. */
  ink: string;
  /** Lowest fillingLevel of the band (inclusive); null for "no reading". */
  from: number | null;
}

const DARK_INK = '#1d2733';
const LIGHT_INK = '#ffffff';

export const FILL_BANDS: readonly FillBand[] = [
  { key: 'low', colour: '#2e9e6a', ink: LIGHT_INK, from: 0 },
  { key: 'medium', colour: '#9cc94a', ink: DARK_INK, from: 0.5 },
  { key: 'high', colour: '#f2b33d', ink: DARK_INK, from: 0.7 },
  { key: 'empty-now', colour: '#e4572e', ink: LIGHT_INK, from: 0.9 },
  { key: 'full', colour: '#9d1720', ink: LIGHT_INK, from: 1 },
  { key: 'unknown', colour: '#9aa5b1', ink: DARK_INK, from: null },
];

/** A box is "to empty" from here on: the summary's boxesAbove90 and the bin_full alert use 0.9 too. */
export const TO_EMPTY_THRESHOLD = 0.9;

const UNKNOWN = FILL_BANDS[FILL_BANDS.length - 1]!;
const FULL = FILL_BANDS.find((band) => band.key === 'full')!;

export function fillBand(level: number | null | undefined, overflow = false): FillBand {
  if (level === null || level === undefined || Number.isNaN(level)) return UNKNOWN;
  if (overflow) return FULL;
  let band = FILL_BANDS[0]!;
  for (const candidate of FILL_BANDS) {
    if (candidate.from !== null && level >= candidate.from) band = candidate;
  }
  return band;
}

export const fillColour = (level: number | null | undefined, overflow = false): string => fillBand(level, overflow).colour;

/**
 * A compartment's level in words: the one overflow wording, else the floored percentage (0.899
 * never reads 90 %), else "–" without a reading. The same in the list, the popup and the map.
 */
export function fillText(level: number | null | undefined, overflow: boolean, i18n: I18n): string {
  if (overflow) return i18n.t('fill.overflow');
  return i18n.percent(level);
}

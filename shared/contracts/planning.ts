/** Collection planning as the API shows it: live fill-level forecasts per box compartment (issue 13). */
import { z } from 'zod';
import { DeviceId, Subdistrict, WasteCategory } from './common.ts';

const Instant = z.string().describe('ISO 8601 instant (UTC)');
const MaybeInstant = Instant.nullable().describe('ISO 8601 instant (UTC); null beyond the 14-day horizon or with no fill rate');

export const RELIABILITY_RATINGS = ['good', 'fair', 'poor'] as const;
export const RELIABILITY_REASONS = [
  'no_history',
  'short_history',
  'limited_history',
  'noisy_readings',
  'irregular_use',
  'recently_emptied',
  'no_recent_data',
  /** After a restart, the box's history is still being read back from the store. */
  'loading_history',
] as const;

export const ForecastReliability = z.object({
  rating: z.enum(RELIABILITY_RATINGS),
  reasons: z.array(z.enum(RELIABILITY_REASONS)),
});
export type ForecastReliability = z.infer<typeof ForecastReliability>;

export const CompartmentForecastOut = z.object({
  category: WasteCategory,
  /** Last known fillingLevel: the last reading plus the deposits since. */
  level: z.number(),
  /** Expected fill per hour now (this hour of the week), as a fraction of capacity. */
  fillRatePerHour: z.number(),
  /** The bin_full level of the thresholds file this forecast aims at. */
  fullLevel: z.number(),
  /** Median instant of reaching fullLevel, and the 80 % interval around it. */
  fullAt: MaybeInstant,
  fullAtEarliest: MaybeInstant,
  fullAtLatest: MaybeInstant,
  /** Reaching 1.0 (the compartment refuses deposits). */
  overflowAt: MaybeInstant,
  overflowAtEarliest: MaybeInstant,
  overflowAtLatest: MaybeInstant,
  reliability: ForecastReliability,
});
export type CompartmentForecastOut = z.infer<typeof CompartmentForecastOut>;

export const BoxForecast = z.object({
  deviceId: DeviceId,
  name: z.string(),
  subdistrict: Subdistrict,
  community: z.string(),
  position: z.object({ lat: z.number(), lon: z.number() }),
  /** When the forecast was made. */
  at: Instant,
  compartments: z.array(CompartmentForecastOut),
  /** FIWARE WasteContainer's nextActuationDeadline: the earliest compartment's fullAtEarliest (or now if full). */
  nextActuationDeadline: Instant.nullable(),
});
export type BoxForecast = z.infer<typeof BoxForecast>;

export const ForecastQuery = z.object({
  subdistrict: Subdistrict.optional(),
  fullWithinH: z.coerce.number().min(0).max(336).default(24).describe('Compartments forecast to reach the full level within this many hours'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const ForecastList = z.object({
  at: Instant,
  /** Boxes matching, before the limit. */
  total: z.int(),
  items: z.array(BoxForecast),
});
export type ForecastList = z.infer<typeof ForecastList>;

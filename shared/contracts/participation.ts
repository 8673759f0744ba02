/**
 * Resident participation (issue 14, item 4): communities with their registered households, and
 * the report of who takes part. A resident is a card: the box sends only its SHA-256
 * (residentHash), never an identity, and a household has one card, so active residents are
 * compared with households.
 */
import { z } from 'zod';
import { Subdistrict } from './common.ts';

/** The points-scheme (积分制) pilot: ~800 households, more than 500 taking part (../shared/context). */
export const POINTS_PILOT_COMMUNITY = '新天地花苑';

/** A residential community (小区) as the registry knows it: where it is, how many households are registered. */
export const Community = z.object({
  name: z.string().trim().min(1).max(100),
  subdistrict: Subdistrict,
  households: z.int().min(0).max(1_000_000),
});
export type Community = z.infer<typeof Community>;

export const ParticipationQuery = z.object({
  to: z.iso.date().optional().describe('last day (inclusive) of the windows, district local time; default yesterday (the last complete day)'),
  subdistrict: Subdistrict.optional(),
});

/** The windows the figures count over, district-local days, both ends inclusive. */
export const ParticipationWindows = z.object({
  last7: z.object({ from: z.iso.date(), to: z.iso.date() }),
  last30: z.object({ from: z.iso.date(), to: z.iso.date() }),
  previous7: z.object({ from: z.iso.date(), to: z.iso.date() }),
});
export type ParticipationWindows = z.infer<typeof ParticipationWindows>;

/** One community's, one subdistrict's or the district's figures. */
export const ParticipationFigures = z.object({
  /** Registered households; null when a community with deposits is not in the registry. */
  households: z.int().nullable(),
  /** Distinct residents (cards) who deposited in the last 7 and 30 days, and in the 7 days before the last 7. */
  active7d: z.int(),
  active30d: z.int(),
  activePrevious7d: z.int(),
  /** active30d / households (one card per household); null without households. */
  rate: z.number().nullable(),
  deposits30d: z.int(),
  kg30d: z.number(),
  /** kg30d / active30d; null without anyone active. */
  kgPerActive: z.number().nullable(),
  points30d: z.int(),
  /** (active7d − activePrevious7d) / activePrevious7d; null when nobody was active the week before. */
  trend: z.number().nullable(),
});
export type ParticipationFigures = z.infer<typeof ParticipationFigures>;

export const CommunityParticipation = ParticipationFigures.extend({
  community: z.string(),
  subdistrict: Subdistrict,
  /** The points-scheme pilot (POINTS_PILOT_COMMUNITY). */
  pilot: z.boolean(),
});
export type CommunityParticipation = z.infer<typeof CommunityParticipation>;

export const SubdistrictParticipation = ParticipationFigures.extend({ subdistrict: Subdistrict });
export type SubdistrictParticipation = z.infer<typeof SubdistrictParticipation>;

export const ParticipationReport = z.object({
  to: z.iso.date(),
  utcOffsetMinutes: z.int(),
  windows: ParticipationWindows,
  /** By subdistrict, then by community name. */
  communities: z.array(CommunityParticipation),
  subdistricts: z.array(SubdistrictParticipation),
  total: ParticipationFigures,
});
export type ParticipationReport = z.infer<typeof ParticipationReport>;

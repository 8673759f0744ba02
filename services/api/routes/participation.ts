/**
 * Resident participation (issue 14) for managers and operators: per community and subdistrict,
 * active residents in 7 and 30 days against registered households, as JSON or CSV.
 */
import { z } from 'zod';
import { ApiErrorBody, ParticipationQuery, ParticipationReport } from '../../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../../shared/units.ts';
import { DEFAULT_LOCALE, LOCALES } from '../../console/core/i18n/locale.ts';
import { PARTICIPATION_CSV_COLUMNS, participationCsv, participationCsvFilename } from '../../console/core/participation-csv.ts';
import { buildParticipationReport, participationWindows } from '../../timeseries/core/participation.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { fromStore } from '../errors.ts';
import { CSV_BODY, sendCsv, translatorsFor } from './csv-download.ts';

const ParticipationCsvQuery = ParticipationQuery.extend({
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).describe('language of the header row and of the subdistrict names'),
});

const DESCRIPTION = [
  'A resident is a card: deposits carry only its SHA-256 (residentHash), never an identity, and a household has one card,',
  'so the rate is residents active in the last 30 days over registered households (`npm run fleet -- community set`).',
  'Windows are whole district-local days ending with `to` (default yesterday, the last complete day): the last 7, the last 30, and the 7 before',
  'the last 7 (trend = change of the 7-day actives week on week). A subdistrict is the sum of its communities.',
].join(' ');

export function participationRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'timeseries' | 'communities' | 'utcOffsetMinutes' | 'now'>,
): void {
  const translator = translatorsFor(deps.utcOffsetMinutes);

  app.get(
    '/api/v1/reports/participation',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Resident participation per community and subdistrict: active residents 7/30 days, rate, kg per active resident, points, trend',
        description: DESCRIPTION,
        querystring: ParticipationQuery,
        response: { 200: ParticipationReport, 400: ApiErrorBody, 503: ApiErrorBody },
      },
    },
    async (request) => report(request.query),
  );

  app.get(
    '/api/v1/reports/participation.csv',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'The participation report as CSV, one line per community',
        description: `The same query as \`GET /api/v1/reports/participation\`; columns ${PARTICIPATION_CSV_COLUMNS.join(', ')} (rate and trend as fractions). UTF-8 with a byte-order mark, CRLF.`,
        querystring: ParticipationCsvQuery,
        response: {
          200: CSV_BODY,
          400: ApiErrorBody,
          503: ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { lang, ...query } = request.query;
      const result = await report(query);
      return sendCsv(reply, participationCsv(result, translator(lang)), participationCsvFilename(result.to, query.subdistrict));
    },
  );


  async function report({ to, subdistrict }: z.infer<typeof ParticipationQuery>): Promise<ParticipationReport> {
    const { utcOffsetMinutes } = deps;
    // Yesterday by default: today is not over, and a week with a part-day would always trend down.
    const toDay = to ?? localDay(deps.now() - DAY_MS, utcOffsetMinutes);
    const { ranges } = participationWindows(toDay, utcOffsetMinutes);
    const read = (range: (typeof ranges)['last7']) =>
      fromStore(deps.timeseries.participation({ range, ...(subdistrict !== undefined && { subdistrict }) }));
    const [last7, last30, previous7] = await Promise.all([read(ranges.last7), read(ranges.last30), read(ranges.previous7)]);
    const communities = deps.communities?.listCommunities() ?? [];
    return buildParticipationReport({ toDay, utcOffsetMinutes, communities, last7, last30, previous7, ...(subdistrict !== undefined && { subdistrict }) });
  }
}

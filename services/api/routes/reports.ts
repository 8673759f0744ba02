/** Recycling tonnage by district-local day, for managers and operators; as JSON or as CSV for Excel. */
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiErrorBody, TonnageQuery, TonnageReport } from '../../../shared/contracts/index.ts';
import { TONNAGE_CSV_COLUMNS, tonnageCsv, tonnageCsvFilename } from '../../console/core/csv.ts';
import { DEFAULT_LOCALE, LOCALES } from '../../console/core/i18n/locale.ts';
// The report's own range rule, so the route refuses exactly what buildTonnageReport would.
import { checkDayRange, MAX_REPORT_DAYS } from '../../timeseries/core/tonnage.ts';
import { tonnageReportJson } from '../core/tonnage-json.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { BadRange, fromStore } from '../errors.ts';
import { CSV_BODY, sendCsv, translatorsFor } from './csv-download.ts';

/**
 * The CSV's query: the report's, plus the language of its header row and of the subdistrict and
 * category names (the console passes its own). The codes in the data columns never change.
 */
const TonnageCsvQuery = TonnageQuery.extend({
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).describe('language of the header row and of the subdistrict and category names'),
});

export function reportRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'timeseries' | 'buildTonnageReport' | 'utcOffsetMinutes'>,
): void {
  const translator = translatorsFor(deps.utcOffsetMinutes);
  app.get(
    '/api/v1/reports/tonnage',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Deposited kg and deposits per day, category and subdistrict, with zero-filled daily totals',
        description: `Days are district-local. At most ${MAX_REPORT_DAYS} days per request.`,
        querystring: TonnageQuery,
        response: { 200: TonnageReport, 400: ApiErrorBody, 503: ApiErrorBody },
      },
      // A year is ~15,000 rows: tonnageReportJson writes the same allow-list and the same text
      // as the zod serializer in a fraction of its time (issue 16; core/tonnage-json.ts).
      serializerCompiler: (route) =>
        route.httpStatus === '200'
          ? (data) => tonnageReportJson(data as TonnageReport)
          : serializerCompiler(route as unknown as Parameters<typeof serializerCompiler>[0]),
    },
    async (request) => report(request.query),
  );

  app.get(
    '/api/v1/reports/tonnage.csv',
    {
      config: { permission: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'The tonnage report as CSV, for spreadsheets',
        description: [
          `The same query and rows as \`GET /api/v1/reports/tonnage\`: a header row, then one line per day × subdistrict ×`,
          `category with deposits, kg to the gram, in the columns ${TONNAGE_CSV_COLUMNS.join(', ')}. \`lang\` (${LOCALES.join(' or ')},`,
          `default ${DEFAULT_LOCALE}) chooses the language of the header row and of the subdistrict and category names; the codes`,
          'and numbers are the same in every language. UTF-8 with a byte-order mark (so Excel shows 红梅街道, not mojibake)',
          'and CRLF line ends; sent as an attachment.',
        ].join(' '),
        querystring: TonnageCsvQuery,
        response: {
          200: CSV_BODY,
          400: ApiErrorBody,
          503: ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { from, to, subdistrict, lang } = request.query;
      const csv = tonnageCsv(await report(request.query), translator(lang));
      return sendCsv(reply, csv, tonnageCsvFilename(from, to, subdistrict));
    },
  );


  async function report({ from, to, subdistrict }: z.infer<typeof TonnageQuery>): Promise<TonnageReport> {
    const range = checkDayRange(from, to);
    if (!range.ok) throw new BadRange(range.error);
    const { utcOffsetMinutes } = deps;
    const query = { fromDay: from, toDay: to, utcOffsetMinutes, ...(subdistrict !== undefined && { subdistrict }) };
    const rows = await fromStore(deps.timeseries.tonnage(query));
    return deps.buildTonnageReport(rows, { fromDay: from, toDay: to, utcOffsetMinutes });
  }
}

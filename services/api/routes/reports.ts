/** Recycling tonnage by district-local day, for managers and operators; as JSON or as CSV for Excel. */
import { z } from 'zod';
import { ApiErrorBody, TonnageQuery, TonnageReport } from '../../../shared/contracts/index.ts';
import { CSV_CONTENT_TYPE, TONNAGE_CSV_HEADER, tonnageCsv, tonnageCsvFilename } from '../../console/core/csv.ts';
// The report's own range rule, so the route refuses exactly what buildTonnageReport would.
import { checkDayRange, MAX_REPORT_DAYS } from '../../timeseries/core/tonnage.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { BadRange, fromStore } from '../errors.ts';

export function reportRoutes(
  app: ZodApp,
  deps: Pick<ApiDeps, 'timeseries' | 'buildTonnageReport' | 'utcOffsetMinutes'>,
): void {
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
          `The same query and rows as \`GET /api/v1/reports/tonnage\`: a header row (${TONNAGE_CSV_HEADER.join(', ')}),`,
          'then one line per day × subdistrict × category with deposits, kg to the gram. UTF-8 with a byte-order mark',
          '(so Excel shows 红梅街道, not mojibake) and CRLF line ends; sent as an attachment.',
        ].join(' '),
        querystring: TonnageQuery,
        response: {
          200: { description: 'text/csv; charset=utf-8', content: { 'text/csv': { schema: z.string() } } },
          400: ApiErrorBody,
          503: ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { from, to, subdistrict } = request.query;
      const csv = tonnageCsv(await report(request.query));
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${tonnageCsvFilename(from, to, subdistrict)}"`)
        .send(csv);
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

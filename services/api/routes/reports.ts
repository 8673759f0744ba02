/** Recycling tonnage by district-local day, for managers and operators. */
import { ApiErrorBody, TonnageQuery, TonnageReport } from '../../../shared/contracts/index.ts';
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
    async (request) => {
      const { from, to, subdistrict } = request.query;
      const range = checkDayRange(from, to);
      if (!range.ok) throw new BadRange(range.error);
      const { utcOffsetMinutes } = deps;
      const query = { fromDay: from, toDay: to, utcOffsetMinutes, ...(subdistrict !== undefined && { subdistrict }) };
      const rows = await fromStore(deps.timeseries.tonnage(query));
      return deps.buildTonnageReport(rows, { fromDay: from, toDay: to, utcOffsetMinutes });
    },
  );
}

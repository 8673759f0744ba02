/** A plan's stop list as CSV for the drivers (issue 13): one row per stop, in the reader's language. */
import { z } from 'zod';
import { ApiErrorBody } from '../../../shared/contracts/index.ts';
import { DEFAULT_LOCALE, LOCALES } from '../../console/core/i18n/locale.ts';
import { PLAN_CSV_COLUMNS, planCsv, planCsvFilename, type BoxPlace } from '../../console/core/plan-csv.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { PlanNotFound } from '../errors.ts';
import { CSV_BODY, sendCsv, translatorsFor } from './csv-download.ts';

const PlanIdParams = z.object({ id: z.string().min(1).max(64) });
const PlanCsvQuery = z.object({
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).describe('language of the header row and of the subdistrict names'),
});

export function planCsvRoutes(app: ZodApp, deps: Pick<ApiDeps, 'plans' | 'registry' | 'utcOffsetMinutes'>): void {
  const translator = translatorsFor(deps.utcOffsetMinutes);
  app.get(
    '/api/v1/plans/:id/stops.csv',
    {
      config: { permission: 'plans:read' },
      schema: {
        tags: ['plans'],
        summary: "A plan's stops as CSV, for the drivers",
        description: [
          `One row per stop, route by route, stops in driving order, in the columns ${PLAN_CSV_COLUMNS.join(', ')},`,
          'then the expected kg per category and the total. ETAs are district clock times (HH:MM); the subdistrict and',
          "address come from the registry (empty for a box removed since). `lang` chooses the header row's language.",
          'UTF-8 with a byte-order mark, CRLF line ends; sent as an attachment.',
        ].join(' '),
        params: PlanIdParams,
        querystring: PlanCsvQuery,
        response: {
          200: CSV_BODY,
          400: ApiErrorBody,
          404: ApiErrorBody,
        },
      },
    },
    async (request, reply) => {
      const plan = deps.plans.get(request.params.id);
      if (plan === undefined) throw new PlanNotFound(request.params.id);
      const place = (deviceId: string): BoxPlace | undefined => {
        const device = deps.registry.get(deviceId);
        return device && { subdistrict: device.subdistrict, address: device.address };
      };
      return sendCsv(reply, planCsv(plan, place, translator(request.query.lang)), planCsvFilename(plan, deps.utcOffsetMinutes));
    },
  );

}

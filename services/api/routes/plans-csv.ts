/** A plan's stop list as CSV for the drivers (issue 13): one row per stop, in the reader's language. */
import { z } from 'zod';
import { ApiErrorBody } from '../../../shared/contracts/index.ts';
import { CSV_CONTENT_TYPE } from '../../console/core/csv.ts';
import { DEFAULT_LOCALE, type Locale, LOCALES } from '../../console/core/i18n/locale.ts';
import { createI18n, type I18n } from '../../console/core/i18n/translator.ts';
import { PLAN_CSV_COLUMNS, planCsv, planCsvFilename, type BoxPlace } from '../../console/core/plan-csv.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { PlanNotFound } from '../errors.ts';

const PlanIdParams = z.object({ id: z.string().min(1).max(64) });
const PlanCsvQuery = z.object({
  lang: z.enum(LOCALES).default(DEFAULT_LOCALE).describe('language of the header row and of the subdistrict names'),
});

export function planCsvRoutes(app: ZodApp, deps: Pick<ApiDeps, 'plans' | 'registry' | 'utcOffsetMinutes'>): void {
  const translators = new Map<Locale, I18n>();
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
          200: { description: 'text/csv; charset=utf-8', content: { 'text/csv': { schema: z.string() } } },
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
      return reply
        .type(CSV_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${planCsvFilename(plan, deps.utcOffsetMinutes)}"`)
        .send(planCsv(plan, place, translator(request.query.lang)));
    },
  );

  /** One translator per language, made on first use (it builds a few Intl formatters). */
  function translator(locale: Locale): I18n {
    let i18n = translators.get(locale);
    if (!i18n) translators.set(locale, (i18n = createI18n(locale, deps.utcOffsetMinutes)));
    return i18n;
  }
}

/** Live fill-level forecasts: the boxes to empty soon, soonest first (issue 13). */
import { ApiErrorBody, ForecastList, ForecastQuery } from '../../../shared/contracts/index.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';

export function forecastRoutes(app: ZodApp, deps: Pick<ApiDeps, 'forecasts'>): void {
  app.get(
    '/api/v1/forecasts',
    {
      // Every role reads the devices, and with them their forecasts.
      config: { permission: 'devices:read' },
      schema: {
        tags: ['forecasts'],
        summary: 'Boxes with a compartment forecast to reach its full level within fullWithinH hours, soonest first, with 80 % intervals',
        querystring: ForecastQuery,
        response: { 200: ForecastList, 400: ApiErrorBody },
      },
    },
    async (request) => deps.forecasts.list(request.query),
  );
}

/** Messages the ingest pipeline refused, so engineers can see which devices send what wrong. */
import { ApiErrorBody, DeadLetterSummary } from '../../../shared/contracts/index.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { DeadLetterQuery } from '../schemas.ts';

export function deadLetterRoutes(app: ZodApp, deps: Pick<ApiDeps, 'deadLetters'>): void {
  app.get(
    '/api/v1/dead-letters',
    {
      config: { permission: 'deadletters:read' },
      schema: {
        tags: ['dead letters'],
        summary: 'Counts per reason (all time) and the most recent dead letters, newest first',
        description: '`reason` filters only `recent`; `counts` and `total` always cover every reason.',
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterSummary, 400: ApiErrorBody },
      },
    },
    async (request) => {
      const counts = deps.deadLetters.counts();
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const recent = deps.deadLetters.recent(request.query.limit, request.query.reason);
      return { counts, total, recent };
    },
  );
}

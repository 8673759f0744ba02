/** Public operational endpoints: liveness for the orchestrator, metrics for Prometheus. */
import type { ApiDeps, ZodApp } from '../deps.ts';
import { Health } from '../schemas.ts';

export function healthRoutes(app: ZodApp, deps: Pick<ApiDeps, 'health' | 'metrics'>): void {
  app.get(
    '/healthz',
    {
      schema: { tags: ['operations'], summary: 'Liveness and a few vital numbers', security: [], response: { 200: Health } },
    },
    async () => ({ ...deps.health(), status: 'ok' as const }),
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        security: [],
      },
    },
    async (_request, reply) => {
      const text = await deps.metrics.metrics();
      return reply.type(deps.metrics.contentType).send(text);
    },
  );
}

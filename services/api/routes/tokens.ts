/** API tokens, managed by admins. A token's secret appears once, in the creation response. */
import { z } from 'zod';
import { ApiErrorBody } from '../../../shared/contracts/index.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { TokenNotFound } from '../errors.ts';
import { CreatedToken, NewToken, TokenIdParams, TokenList } from '../schemas.ts';

export function tokenRoutes(app: ZodApp, deps: Pick<ApiDeps, 'tokens'>): void {
  app.post(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Create a token for a role; the token is shown once',
        body: NewToken,
        response: { 201: CreatedToken, 400: ApiErrorBody },
      },
    },
    async (request, reply) => {
      const { role, name, expiresInDays } = request.body;
      const { id, token, expiresAt } = deps.tokens.create(role, name, expiresInDays === undefined ? {} : { expiresInDays });
      return reply.code(201).send({ id, role, name, token, expiresAt });
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:manage' },
      schema: { tags: ['tokens'], summary: 'Every token, without secrets', response: { 200: TokenList } },
    },
    async () => ({ items: deps.tokens.list() }),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'tokens:manage' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke a token at once: its open alert streams and MQTT observer sessions end too',
        params: TokenIdParams,
        response: { 204: z.null().describe('Revoked; no body'), 404: ApiErrorBody },
      },
    },
    async (request, reply) => {
      if (!deps.tokens.revoke(request.params.id)) throw new TokenNotFound(request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/**
 * Bearer-token authentication and the permission check, as fastify hooks.
 *
 * A route states what it needs with `config: { permission }`; routes without one are public
 * (/healthz, /metrics, /docs). Everything under /api/ must state a permission or the server
 * refuses to start, so a new route cannot be public by accident.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiErrorBody } from '../../shared/contracts/index.ts';
import { can, rolesWith, type Permission } from './core/permissions.ts';
import type { TokenPrincipal, TokenStore } from './core/token-store.ts';
import { Forbidden, Unauthenticated } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
  }
  interface FastifyRequest {
    /** Who made the request; null on public routes. */
    principal: TokenPrincipal | null;
  }
}

export const BEARER_SCHEME = 'bearerAuth';
const REALM = 'BinPulse';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** RFC 6750: say which scheme to use, and whether the presented token was the problem. */
export function wwwAuthenticate(request: FastifyRequest): string {
  return request.headers.authorization === undefined
    ? `Bearer realm="${REALM}"`
    : `Bearer realm="${REALM}", error="invalid_token"`;
}

export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    if (permission === undefined) {
      if (route.url.startsWith('/api/')) throw new Error(`route ${route.method} ${route.url} declares no permission`);
      return;
    }
    // Documentation follows enforcement: both read the same config.
    const roles = rolesWith(permission).join(', ');
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    schema.security = [{ [BEARER_SCHEME]: [] }];
    schema.description = [schema.description, `Needs the permission \`${permission}\` (roles: ${roles}).`]
      .filter(Boolean)
      .join('\n\n');
    schema.response = { 401: ApiErrorBody, 403: ApiErrorBody, ...(schema.response as object | undefined) };
  });

  // onRequest runs before body parsing and validation: strangers learn nothing about inputs.
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return;
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      throw new Unauthenticated('a bearer token is required: Authorization: Bearer <token>');
    }
    const principal = tokens.verify(token);
    if (principal === undefined) throw new Unauthenticated('unknown or revoked token');
    if (!can(principal.role, permission)) throw new Forbidden(principal.role, permission);
    request.principal = principal;
  });
}

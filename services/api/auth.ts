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
    /**
     * Also accept the token as `?access_token=` (RFC 6750 §2.3). Only for the SSE stream:
     * browsers' EventSource cannot send headers. Everywhere else a token in a URL would end up
     * in proxy logs and browser history, so the header stays the only way.
     */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    /** Who made the request; null on public routes. */
    principal: TokenPrincipal | null;
  }
}

export const BEARER_SCHEME = 'bearerAuth';
export const QUERY_TOKEN_SCHEME = 'accessTokenQuery';
export const QUERY_TOKEN_PARAM = 'access_token';
const REALM = 'BinPulse';

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive, RFC 7235). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** RFC 6750: say which scheme to use, and whether the presented token was the problem. */
export function wwwAuthenticate(request: FastifyRequest): string {
  const presented = request.headers.authorization !== undefined || requestToken(request) !== undefined;
  return !presented
    ? `Bearer realm="${REALM}"`
    : `Bearer realm="${REALM}", error="invalid_token"`;
}

/**
 * The bearer token of a request. A present Authorization header always decides, even when it
 * is malformed: a query token never overrides a header the client chose to send.
 */
function requestToken(request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined || !request.routeOptions.config?.queryToken) {
    return bearerToken(request.headers.authorization);
  }
  const value = (request.query as Record<string, unknown> | undefined)?.[QUERY_TOKEN_PARAM];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A URL for logs: the value of ?access_token= replaced, so tokens never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1[redacted]');
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
    schema.security = route.config?.queryToken
      ? [{ [BEARER_SCHEME]: [] }, { [QUERY_TOKEN_SCHEME]: [] }]
      : [{ [BEARER_SCHEME]: [] }];
    schema.description = [schema.description, `Needs the permission \`${permission}\` (roles: ${roles}).`]
      .filter(Boolean)
      .join('\n\n');
    schema.response = { 401: ApiErrorBody, 403: ApiErrorBody, ...(schema.response as object | undefined) };
  });

  // onRequest runs before body parsing and validation: strangers learn nothing about inputs.
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (permission === undefined) return;
    const token = requestToken(request);
    if (token === undefined) {
      const alternative = request.routeOptions.config.queryToken ? ` or ?${QUERY_TOKEN_PARAM}=<token>` : '';
      throw new Unauthenticated(`a bearer token is required: Authorization: Bearer <token>${alternative}`);
    }
    const principal = tokens.verify(token);
    if (principal === undefined) throw new Unauthenticated('unknown or revoked token');
    if (!can(principal.role, permission)) throw new Forbidden(principal.role, permission);
    request.principal = principal;
  });
}

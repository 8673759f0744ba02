/** Alerts: the list operators work from, one alert with its history, acknowledging and resolving. */
import { ApiErrorBody } from '../../../shared/contracts/index.ts';
import { AlertError } from '../../alerts/core/ports.ts';
import type { TokenPrincipal } from '../core/token-store.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { AlertAlreadyAcknowledged, AlertNotFound, AlertNotOpen, SilenceNotFound } from '../errors.ts';
import { AcknowledgeBody, AlertDetailOut, AlertIdParams, AlertListOut, AlertListQuery, ResolveBody } from '../schemas.ts';
import { Alert } from '../../../shared/contracts/index.ts';

/**
 * Who acted, as recorded on the alert: the token's name with its role, so the history reads
 * "Wang Fang (operator)" and a shared token's name alone cannot pass for an admin.
 */
export function actor(principal: TokenPrincipal | null): string {
  if (principal === null) throw new Error('actor() on a route without a principal');
  return `${principal.name} (${principal.role})`;
}

/** AlertError → the API's error catalogue; anything else is unexpected and stays a 500. */
export function apiAlertError(error: unknown, id: string): unknown {
  if (!(error instanceof AlertError)) return error;
  switch (error.code) {
    case 'ALERT_NOT_FOUND':
      return new AlertNotFound(id);
    case 'ALERT_NOT_OPEN':
      return new AlertNotOpen(id);
    case 'ALERT_ALREADY_ACKNOWLEDGED':
      return new AlertAlreadyAcknowledged(id);
    case 'SILENCE_NOT_FOUND':
      return new SilenceNotFound(id);
  }
}

export function alertRoutes(app: ZodApp, deps: Pick<ApiDeps, 'alerts'>): void {
  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary: 'Alerts, filtered and paged, newest first',
        description: '`total` counts every match before paging.',
        querystring: AlertListQuery,
        response: { 200: AlertListOut, 400: ApiErrorBody },
      },
    },
    async (request) => {
      const { status, type, severity, deviceId, kind, subdistrict, muted, limit, offset } = request.query;
      // Only the given filters are passed: the service's "absent" means "any".
      return deps.alerts.list({
        ...(status !== undefined && { status }),
        ...(type !== undefined && { type }),
        ...(severity !== undefined && { severity }),
        ...(deviceId !== undefined && { deviceId }),
        ...(kind !== undefined && { kind }),
        ...(subdistrict !== undefined && { subdistrict }),
        ...(muted !== undefined && { muted }),
        limit,
        offset,
      });
    },
  );

  app.get(
    '/api/v1/alerts/:id',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags: ['alerts'],
        summary: 'One alert with its status history, oldest transition first',
        params: AlertIdParams,
        response: { 200: AlertDetailOut, 404: ApiErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      const alert = deps.alerts.get(id);
      if (alert === undefined) throw new AlertNotFound(id);
      return { ...alert, history: deps.alerts.history(id) };
    },
  );

  app.post(
    '/api/v1/alerts/:id/acknowledge',
    {
      config: { permission: 'alerts:act' },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an active alert: someone is on it',
        params: AlertIdParams,
        body: AcknowledgeBody,
        response: { 200: Alert, 400: ApiErrorBody, 404: ApiErrorBody, 409: ApiErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      try {
        return deps.alerts.acknowledge(id, actor(request.principal), request.body?.note ?? null);
      } catch (error) {
        throw apiAlertError(error, id);
      }
    },
  );

  app.post(
    '/api/v1/alerts/:id/resolve',
    {
      config: { permission: 'alerts:act' },
      schema: {
        tags: ['alerts'],
        summary: 'Resolve an open alert by hand, with a reason',
        description: 'Alerts whose condition clears are resolved automatically (resolvedBy `auto`).',
        params: AlertIdParams,
        body: ResolveBody,
        response: { 200: Alert, 400: ApiErrorBody, 404: ApiErrorBody, 409: ApiErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params;
      try {
        return deps.alerts.resolve(id, actor(request.principal), request.body.reason);
      } catch (error) {
        throw apiAlertError(error, id);
      }
    },
  );
}

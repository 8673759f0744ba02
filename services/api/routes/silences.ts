/** Silences: maintenance windows during which matching alerts are recorded but not notified. */
import { z } from 'zod';
import { ApiErrorBody, NewSilence } from '../../../shared/contracts/index.ts';
import { checkSilenceWindow, MAX_SILENCE_DAYS } from '../core/silence-window.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { BadSilence } from '../errors.ts';
import { SilenceIdParams, SilenceList, SilenceListQuery, SilenceOut } from '../schemas.ts';
import { actor, apiAlertError } from './alerts.ts';

export function silenceRoutes(app: ZodApp, deps: Pick<ApiDeps, 'alerts' | 'now'>): void {
  app.get(
    '/api/v1/silences',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags: ['silences'],
        summary: 'Current and upcoming silences (and past ones with includeExpired=true)',
        querystring: SilenceListQuery,
        response: { 200: SilenceList, 400: ApiErrorBody },
      },
    },
    async (request) => ({ items: deps.alerts.silences(request.query.includeExpired) }),
  );

  app.post(
    '/api/v1/silences',
    {
      config: { permission: 'silences:manage' },
      schema: {
        tags: ['silences'],
        summary: 'Mute notifications of matching alerts for a time window',
        description: `startsAt defaults to now; endsAt must be later and in the future; at most ${MAX_SILENCE_DAYS} days.`,
        body: NewSilence,
        response: { 201: SilenceOut, 400: ApiErrorBody },
      },
    },
    async (request, reply) => {
      const window = checkSilenceWindow(request.body, deps.now());
      if (!window.ok) throw new BadSilence(window.error);
      const silence = deps.alerts.addSilence({
        matcher: request.body.matcher,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
        reason: request.body.reason,
        createdBy: actor(request.principal),
      });
      return reply.code(201).send(silence);
    },
  );

  app.delete(
    '/api/v1/silences/:id',
    {
      config: { permission: 'silences:manage' },
      schema: {
        tags: ['silences'],
        summary: 'End a silence at once',
        params: SilenceIdParams,
        response: { 204: z.null().describe('Removed; no body'), 404: ApiErrorBody },
      },
    },
    async (request, reply) => {
      try {
        deps.alerts.removeSilence(request.params.id);
      } catch (error) {
        throw apiAlertError(error, request.params.id);
      }
      return reply.code(204).send(null);
    },
  );
}

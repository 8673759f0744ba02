/** Shift plans (issue 13): plan a shift from the live forecasts, and read the plans back. */
import { z } from 'zod';
import { ApiErrorBody, NewPlan, Plan, PlanList, PlanListQuery, PlanProgress } from '../../../shared/contracts/index.ts';
import { PlanRequestError } from '../../planning/core/plan-request.ts';
import type { ApiDeps, ZodApp } from '../deps.ts';
import { BadPlanRequest, PlanNotFound } from '../errors.ts';
import { actor } from './alerts.ts';

const PlanIdParams = z.object({ id: z.string().min(1).max(64) });

export function planRoutes(app: ZodApp, deps: Pick<ApiDeps, 'plans' | 'planProgress'>): void {
  app.post(
    '/api/v1/plans',
    {
      config: { permission: 'plans:write' },
      schema: {
        tags: ['plans'],
        summary: 'Plan a shift: which boxes each vehicle empties, in what order, from the live forecasts',
        description:
          'shift defaults to 06:00–14:00 district time; vehicles to every vehicle of the registry. A box is due when a ' +
          "compartment's forecast interval low bound falls before the next day's shift; due boxes no vehicle can take are listed as unassigned.",
        body: NewPlan,
        response: { 201: Plan, 400: ApiErrorBody },
      },
    },
    async (request, reply) => {
      try {
        return reply.code(201).send(deps.plans.create(request.body, actor(request.principal)));
      } catch (error) {
        if (error instanceof PlanRequestError) throw new BadPlanRequest(error.message);
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/plans',
    {
      config: { permission: 'plans:read' },
      schema: {
        tags: ['plans'],
        summary: "The plans of a district day's shifts, oldest first",
        querystring: PlanListQuery,
        response: { 200: PlanList, 400: ApiErrorBody },
      },
    },
    async (request) => ({ items: deps.plans.listByDate(request.query.date) }),
  );

  app.get(
    '/api/v1/plans/:id',
    {
      config: { permission: 'plans:read' },
      schema: {
        tags: ['plans'],
        summary: 'One plan',
        params: PlanIdParams,
        response: { 200: Plan, 404: ApiErrorBody },
      },
    },
    async (request) => {
      const plan = deps.plans.get(request.params.id);
      if (plan === undefined) throw new PlanNotFound(request.params.id);
      return plan;
    },
  );

  app.get(
    '/api/v1/plans/:id/progress',
    {
      config: { permission: 'plans:read' },
      schema: {
        tags: ['plans'],
        summary: "Proof of service: the plan's stops done, late, missed or pending, and unplanned collections",
        description:
          'A collection counts when the box reports it between the shift start and 30 min after the shift end; a stop is done ' +
          'when collected by its ETA + lateAfterMinutes (30), late after that, missed when the window has closed without one.',
        params: PlanIdParams,
        response: { 200: PlanProgress, 404: ApiErrorBody },
      },
    },
    async (request) => {
      const progress = deps.planProgress.progress(request.params.id);
      if (progress === undefined) throw new PlanNotFound(request.params.id);
      return progress;
    },
  );
}

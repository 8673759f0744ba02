/**
 * Builds the HTTP API from explicit dependencies; the caller decides when and where to listen.
 * Requests and responses go through the shared zod contracts: responses are encoded through
 * their schema, so only fields the schema names are ever sent.
 */
import { STATUS_CODES } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { SseHub } from '../alerts/adapters/sse-hub.ts';
import { BEARER_SCHEME, installAuth, QUERY_TOKEN_PARAM, QUERY_TOKEN_SCHEME, redactUrl, wwwAuthenticate } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { Internal, RouteNotFound } from './errors.ts';
import { alertStreamRoutes, MAX_SNAPSHOT_ALERTS, openAlerts } from './routes/alert-stream.ts';
import { alertRoutes } from './routes/alerts.ts';
import { consoleRoutes } from './routes/console.ts';
import { deadLetterRoutes } from './routes/dead-letters.ts';
import { deviceRoutes } from './routes/devices.ts';
import { forecastRoutes } from './routes/forecasts.ts';
import { planRoutes } from './routes/plans.ts';
import { planCsvRoutes } from './routes/plans-csv.ts';
import { healthRoutes } from './routes/health.ts';
import { massBalanceRoutes } from './routes/mass-balance.ts';
import { meRoutes } from './routes/me.ts';
import { participationRoutes } from './routes/participation.ts';
import { reportRoutes } from './routes/reports.ts';
import { silenceRoutes } from './routes/silences.ts';
import { summaryRoutes } from './routes/summary.ts';
import { tokenRoutes } from './routes/tokens.ts';

export type { ApiDeps, BuildTonnageReport } from './deps.ts';

/** Provisioning bodies are a few hundred bytes; refuse anything far larger before parsing. */
const BODY_LIMIT_BYTES = 64 * 1024;

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const options = { bodyLimit: BODY_LIMIT_BYTES, logController: new RequestLogAtDebug() };
  const base =
    deps.logger === false
      ? Fastify({ ...options, logger: false })
      : // The stream route takes ?access_token=: request URLs are logged with it redacted.
        Fastify({ ...options, loggerInstance: deps.logger.child({}, { serializers: { req: logRequest } }) });
  // The two branches differ only in the logger's generic type; callers see the base logger.
  const app = (base as unknown as FastifyInstance).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.send(new RouteNotFound(request.method, request.url.split('?')[0] ?? ''));
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'BinPulse API',
        description:
          'Telemetry of the smart recyclable-collection boxes and street cameras of Tianning District, Changzhou.',
        version: '1',
      },
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (bp_...) of role operator, engineer, manager or admin.',
          },
          [QUERY_TOKEN_SCHEME]: {
            type: 'apiKey',
            in: 'query',
            name: QUERY_TOKEN_PARAM,
            description: 'The same token as a query parameter; only GET /api/v1/alerts/stream (EventSource cannot send headers).',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Before the routes: onRoute hooks only see routes registered after them.
  installAuth(app, deps.tokens);

  healthRoutes(app, deps);
  deviceRoutes(app, deps);
  forecastRoutes(app, deps);
  planRoutes(app, deps);
  planCsvRoutes(app, deps);
  reportRoutes(app, deps);
  massBalanceRoutes(app, deps);
  participationRoutes(app, deps);
  deadLetterRoutes(app, deps);
  summaryRoutes(app, deps);
  tokenRoutes(app, deps);
  alertRoutes(app, deps);
  silenceRoutes(app, deps);
  meRoutes(app);
  if (deps.console) consoleRoutes(app, { utcOffsetMinutes: deps.utcOffsetMinutes, console: deps.console });

  const hub = new SseHub({
    source: deps.alerts,
    openAlerts: () => openAlerts(deps.alerts),
    maxSnapshotAlerts: MAX_SNAPSHOT_ALERTS,
    ...deps.alertStream,
    onSlowClient: (bufferedBytes) => app.log.warn({ bufferedBytes }, 'alert stream client too slow: disconnected'),
    onEncodeError: (err) => app.log.error({ err }, 'alert event does not match the contract: not streamed'),
  });
  alertStreamRoutes(app, deps, hub);
  // Open streams never end by themselves and close() would wait for them: end them first.
  app.addHook('preClose', async () => hub.closeAll());

  await app.ready();
  return app;
}

/**
 * fastify logs two lines per request at info: with the console polling and streaming, they bury
 * the start-up banner and every warning. They go to debug (LOG_LEVEL=debug brings them back);
 * a request that ends in an error keeps fastify's error line, and errorHandler logs 5xx itself.
 */
class RequestLogAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) return super.requestCompleted(error, request, reply);
    if (!this.isLogDisabled(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** fastify's request log fields, with the URL's access_token redacted. */
function logRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * One error body everywhere ({ statusCode, code, error, message }, as ApiErrorBody). Client
 * errors keep their code and message (validation messages name the field); server errors are
 * logged and answered with a generic body, so no stack or internal detail leaks.
 */
function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // Client errors and 503 (a dependency down) are ours to explain; anything else is a bug: 500.
  const explained = error.statusCode !== undefined && ((error.statusCode >= 400 && error.statusCode < 500) || error.statusCode === 503);
  const status = explained ? error.statusCode! : 500;
  if (status === 503) request.log.warn({ err: error }, 'dependency unavailable');
  if (status === 500) {
    request.log.error({ err: error }, 'request failed');
    const internal = new Internal();
    return reply.code(500).send({ statusCode: 500, code: internal.code, error: STATUS_CODES[500], message: internal.message });
  }
  if (status === 401) reply.header('www-authenticate', wwwAuthenticate(request));
  return reply.code(status).send({
    statusCode: status,
    code: error.code ?? 'BP_BAD_REQUEST',
    error: STATUS_CODES[status] ?? 'Error',
    message: error.message,
  });
}

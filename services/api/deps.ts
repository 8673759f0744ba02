/** What the API is built from: every I/O dependency is passed in, so tests wire fakes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BoxForecast, Community, DemoHistoryStatus, Device, ForecastList, MassBalanceReport, NewPlan, Plan, PlanProgress, Subdistrict, TonnageReport, TonnageRow } from '../../shared/contracts/index.ts';
import type { AlertService } from '../alerts/core/ports.ts';
import type { ConsoleBundle } from '../console/core/page.ts';
import type { FleetRegistry } from '../fleet/core/registry.ts';
import type { DeadLetterReader, DeviceStateReader } from '../ingest/core/ports.ts';
import type { TimeSeriesStore } from '../timeseries/core/store.ts';
import type { TokenStore } from './core/token-store.ts';

/** services/timeseries/core/tonnage.ts's buildTonnageReport: zero-filled byDay and totals. */
export type BuildTonnageReport = (
  rows: readonly TonnageRow[],
  options: { fromDay: string; toDay: string; utcOffsetMinutes: number },
) => TonnageReport;

/** Live fill-level forecasts (services/planning/forecast-service.ts implements it). */
export interface ForecastReader {
  /** null for a camera or a box without compartments. */
  boxForecast(device: Device): BoxForecast | null;
  /** Boxes with a compartment forecast to reach its full level within fullWithinH hours, soonest first. */
  list(query: { subdistrict?: Subdistrict; fullWithinH: number; limit: number }): ForecastList;
}

/** Shift plans (services/planning/plan-service.ts implements it). */
export interface PlanDesk {
  /** Throws PlanRequestError (services/planning/core/plan-request.ts) for a request naming an unknown vehicle, a bad shift or date. */
  create(request: NewPlan, createdBy: string): Plan;
  get(id: string): Plan | undefined;
  listByDate(date: string): Plan[];
}

/** Proof of service: a plan's stops matched to the boxes' collections (services/planning/progress-service.ts). */
export interface PlanProgressReader {
  /** undefined: no such plan. */
  progress(planId: string): PlanProgress | undefined;
}

/** Communities and their registered households (services/fleet/adapters/sqlite-community-registry.ts). */
export interface CommunityReader {
  listCommunities(): Community[];
}

/** The mass balance (services/ledger/ledger-service.ts); rejects when the store cannot answer. */
export interface MassBalanceReader {
  report(query: { from: string; to: string; subdistrict?: Subdistrict }): Promise<MassBalanceReport>;
}

export interface ApiDeps {
  registry: FleetRegistry;
  /** For the participation report's households (issue 14); unset: no community has households. */
  communities?: CommunityReader;
  deviceState: DeviceStateReader;
  deadLetters: DeadLetterReader;
  timeseries: TimeSeriesStore;
  buildTonnageReport: BuildTonnageReport;
  tokens: TokenStore;
  /** Alerts and silences: listed, acted on, streamed (the alert engine implements it). */
  alerts: AlertService;
  forecasts: ForecastReader;
  plans: PlanDesk;
  planProgress: PlanProgressReader;
  /** Unset: GET /api/v1/reports/mass-balance answers 503. */
  massBalance?: MassBalanceReader;
  /**
   * Tuning of GET /api/v1/alerts/stream; defaults in services/alerts/adapters/sse-hub.ts and
   * routes/alert-stream.ts (maxStreamsPerToken: SSE_MAX_STREAMS_PER_TOKEN; a stream whose unsent
   * bytes stay above slowBytes for slowAfterMs is closed).
   */
  alertStream?: { maxBufferBytes?: number; heartbeatMs?: number; maxStreamsPerToken?: number; slowBytes?: number; slowAfterMs?: number; checkEveryMs?: number };
  /** The web console served at / (built by services/console/adapters/bundle.ts); none: no console. */
  console?: { bundle: ConsoleBundle; tileUrl: string | null; shifts: readonly { start: string; end: string }[] };
  /** Served as is at /metrics. */
  metrics: Registry;
  /** Extra fields of /healthz, e.g. { mqttConnectedDevices, uptimeS }. */
  health: () => Record<string, unknown>;
  /** Where the district's days begin, for reports and "today" (DISTRICT_UTC_OFFSET_MIN). */
  utcOffsetMinutes: number;
  /** Progress of the demo fleet's history (services/platform/wiring/demo-history.ts); unset: none. */
  demoHistory?: () => DemoHistoryStatus;
  /** Epoch ms; injected so "today" and "the last N hours" are testable. */
  now: () => number;
  logger: Logger | false;
}

export type ZodApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

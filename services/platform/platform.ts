/**
 * The composition root of the platform process: opens the stores, wires broker → journal →
 * ingest consumers → stores and alerts → API with explicit arguments, and owns the start/stop
 * order (everything started is pushed on the stack and stopped in reverse).
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../../shared/config.ts';
import { PeriodicJob } from '../../shared/periodic-job.ts';
import { createPlatformBroker } from '../broker/adapters/aedes-broker.ts';
import type { BrokerListening } from '../broker/core/ports.ts';
import { createSqliteTokenStore } from '../api/adapters/sqlite-token-store.ts';
import { buildApi } from '../api/server.ts';
import { buildConsoleBundle } from '../console/adapters/bundle.ts';
import { demoCredentialsPath } from '../fleet/adapters/credentials-file.ts';
import { SqliteFleetRegistry } from '../fleet/adapters/sqlite-fleet-registry.ts';
import { ensureCommunitiesSchema, SqliteCommunityRegistry } from '../fleet/adapters/sqlite-community-registry.ts';
import { provisionDemoFleet } from '../fleet/provision-demo.ts';
import { openTimeSeriesStore } from '../timeseries/adapters/create-store.ts';
import { RetentionJob } from '../timeseries/adapters/retention-job.ts';
import { buildTonnageReport } from '../timeseries/core/tonnage.ts';
import { secureDataDir } from './adapters/data-dir.ts';
import { openDatabase } from '../storage/sqlite.ts';
import { SimulatorProcess } from './adapters/simulator-process.ts';
import { alertRulesFrom, thresholdsFrom, wireAlertEngine, wireAlertOutputs } from './wiring/alerts.ts';
import { demoHistoryFor } from './wiring/demo-history.ts';
import { devicePublishRate } from './wiring/device-rate.ts';
import { createForecasts, wireForecasts } from './wiring/forecasts.ts';
import { storeHealthOut, storeRejections, wireIngest } from './wiring/ingest.ts';
import { wireLedger } from './wiring/ledger.ts';
import { createPlans, wireAutoPlanner, wirePlanPublisher } from './wiring/plans.ts';
import { wirePlanProgress } from './wiring/plan-progress.ts';
import { wireOpsSnapshot } from './wiring/ops-snapshot.ts';
import type { Stack } from './wiring/stack.ts';
import { serveHttps, wireTls } from './wiring/tls.ts';

export interface PlatformReady extends BrokerListening {
  /** Plaintext HTTP; 0 when PLAINTEXT=off (nothing listens). */
  httpPort: number;
  /** HTTPS (the same API and console); null when TLS=off. */
  httpsPort: number | null;
  /** The certificate files in use; caFile signs device client certificates (null: none accepted). */
  tls: { certFile: string; keyFile: string; caFile: string | null; localCa: boolean } | null;
  adminToken: { source: 'env' | 'file' | 'generated'; tokenFile: string };
  demoFleet: { outcome: string; credentialsPath: string } | null;
  /** The demo history being written (days complete, then today up to `until`); null: none. */
  history: { days: number; fromDay: string; toDay: string; until: string } | null;
  /** The web console is served at / (false when its bundle failed to build). */
  console: boolean;
}

export interface RunningPlatform {
  ready: PlatformReady;
  stop(): Promise<void>;
}

export async function startPlatform(config: Config, logger: Logger, now: () => number = Date.now): Promise<RunningPlatform> {
  const stack: Stack = [];
  const stop = async () => {
    for (const step of stack.reverse()) await step();
  };
  try {
    return { ready: await wire(config, logger, now, stack), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function wire(config: Config, logger: Logger, now: () => number, stack: Stack): Promise<PlatformReady> {
  const thresholdsFor = thresholdsFrom(config);
  const alertRules = alertRulesFrom(config, thresholdsFor);
  // Owner-only before anything is read or written there (issue 15).
  const looseFiles = secureDataDir(config.DATA_DIR);
  if (looseFiles.length > 0) logger.warn({ problems: looseFiles }, 'DATA_DIR: could not make every file owner-only (0700 folder, 0600 files)');
  const operationalDb = openDatabase(join(config.DATA_DIR, 'binpulse.db'));
  stack.push(() => void operationalDb.close());

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const ctx = { logger, metrics, now, stack };

  const registry = new SqliteFleetRegistry(operationalDb);
  ensureCommunitiesSchema(operationalDb);
  const communities = new SqliteCommunityRegistry(operationalDb);
  const demoFleet = config.DEMO_FLEET
    ? provisionDemoFleet({ registry, communities, credentialsPath: demoCredentialsPath(config.DATA_DIR), seed: config.SIM_SEED })
    : null;
  if (demoFleet) logger.info({ outcome: demoFleet.outcome, created: demoFleet.created }, 'demo fleet');

  const timeseries = await openTimeSeriesStore(config, () => openDatabase(join(config.DATA_DIR, 'timeseries.db')), {
    onRejected: storeRejections(logger, metrics),
    // Issue 15: the broker, journal, alerts and API start anyway; device data waits in the journal.
    onUnreachable: (err) => logger.warn({ err }, 'InfluxDB unreachable: starting without it; the journal keeps device data until it answers'),
  });
  stack.push(() => timeseries.close());
  const forecasts = createForecasts({ config, registry, thresholdsFor }, ctx);
  const demoHistory = demoHistoryFor(config, demoFleet, {
    registry,
    store: timeseries,
    logger: logger.child({ service: 'history' }),
    now,
    observe: (message, device) => forecasts.observeHistory(message, device),
  });
  const retention = new RetentionJob(timeseries, {
    rawDays: config.RETENTION_RAW_DAYS,
    now,
    onPruned: (deleted, cutoffMs) => logger.info({ deleted, before: new Date(cutoffMs).toISOString() }, 'raw readings pruned'),
    onError: (error) => logger.error({ err: error }, 'pruning raw readings failed'),
  });
  retention.start();
  stack.push(() => retention.stop());
  const { journal, pipeline, deadLetters, deviceState, startConsumers } = wireIngest({ config, operationalDb, registry, timeseries }, ctx);
  const alerts = wireAlertEngine({ config, rules: alertRules, operationalDb, registry, deviceState, pipeline, journal }, ctx);
  wireOpsSnapshot({ config, timeseries, pipeline, registry, deviceState, alerts, deadLetters, journal }, ctx);
  wireForecasts(forecasts, { pipeline, timeseries, demoHistory: demoHistory !== null }, stack);
  const plans = createPlans(
    { operationalDb, registry, forecasts, utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN, shifts: config.PLAN_SHIFTS },
    ctx,
  );
  const planProgress = wirePlanProgress(
    { operationalDb, plans, registry, forecasts, alerts, pipeline, utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN },
    ctx,
  );
  startConsumers();

  const tokens = createSqliteTokenStore(operationalDb, now, {
    ...(config.TOKEN_MAX_AGE_DAYS !== undefined && { maxAgeDays: config.TOKEN_MAX_AGE_DAYS }),
  });
  // Expired tokens end their live sessions (alert streams, MQTT observers) as revoked ones do.
  const tokenSweep = new PeriodicJob({
    everyMs: 30_000,
    runAtStart: false,
    run: () => void tokens.sweepExpired(),
    onError: (err) => logger.error({ err }, 'expired-token sweep failed; tried again at the next'),
  });
  tokenSweep.start();
  stack.push(() => tokenSweep.stop());
  // Before any listener opens: a revoked ADMIN_TOKEN refuses start-up.
  const adminToken = tokens.ensureAdminToken({
    fixedToken: config.ADMIN_TOKEN,
    tokenFile: join(config.DATA_DIR, 'admin-token'),
  });
  if (adminToken.replacedRevoked) logger.warn({ tokenFile: adminToken.tokenFile }, 'the admin token in the token file was revoked: a new one was written there');
  const tls = await wireTls(config, ctx);
  const broker = createPlatformBroker({
    host: config.HOST,
    mqttPort: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    plaintext: config.PLAINTEXT,
    tls: tls ? { source: tls.material, mqttsPort: config.MQTTS_PORT, wssPort: config.MQTT_WSS_PORT } : undefined,
    // The fleet CLI writes the registry from another process: a removed device or a revoked
    // certificate ends its live session within a second.
    registryChanges: registry,
    maxPayloadBytes: config.MQTT_MAX_PAYLOAD_BYTES,
    maxTopicLevels: config.MQTT_MAX_TOPIC_LEVELS,
    publishRate: devicePublishRate(config),
    authenticator: registry,
    // Nothing is acknowledged before it is in the journal on disk.
    onAcceptedPublish: async (publish) => void (await journal.append(publish)),
    now,
    // Dashboards and integrations read the retained alert topics with an API token (username 'api').
    observerAuthenticator: tokens,
    // Collection vehicles read their own plan topic with their vehicle id and secret.
    vehicleAuthenticator: registry,
    logger: logger.child({ service: 'broker' }),
    metrics,
  });
  broker.onDeviceConnection((event) => {
    pipeline.deviceConnection(event);
    alerts.handleConnection(event.deviceId, event.connected, now());
  });
  // The inactivity check's silent devices read offline ('silent') in the device state too.
  alerts.onSilentDevices((devices) => pipeline.devicesSilent(devices));
  const listening = await broker.start();
  stack.push(() => broker.stop());

  await wireAlertOutputs({ config, alerts, broker, operationalDb }, ctx);
  await wirePlanPublisher(plans, broker, ctx);

  const startedAt = now();
  // The console is a convenience beside the API: if it cannot be built, the API still starts.
  const consoleBundle = await buildConsoleBundle().catch((error: unknown) => {
    logger.error({ err: error }, 'web console could not be built: serving the API without it');
    return undefined;
  });
  const ledger = wireLedger({ timeseries, sites: registry, alerts, utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN }, ctx);
  const api = await buildApi({
    registry,
    communities,
    deviceState,
    deadLetters,
    timeseries,
    buildTonnageReport,
    alerts,
    forecasts,
    plans,
    planProgress,
    massBalance: ledger.ledger,
    tokens,
    alertStream: { maxStreamsPerToken: config.SSE_MAX_STREAMS_PER_TOKEN },
    metrics,
    health: () => ({
      mqttConnectedDevices: broker.connectedDevices(),
      uptimeS: Math.round((now() - startedAt) / 1000),
      ...(timeseries.health && { timeseries: storeHealthOut(timeseries.health()) }),
    }),
    utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN,
    ...(demoHistory && { demoHistory: () => demoHistory.status() }),
    now,
    logger: logger.child({ service: 'api' }),
    ...(consoleBundle && { console: { bundle: consoleBundle, tileUrl: config.CONSOLE_TILE_URL ?? null, shifts: config.PLAN_SHIFTS } }),
  });
  if (config.PLAINTEXT) await api.listen({ host: config.HOST, port: config.HTTP_PORT });
  else await api.ready();
  stack.push(() => api.close());
  const httpPort = config.PLAINTEXT ? (api.server.address() as AddressInfo).port : 0;
  // HTTPS: the same fastify instance behind a second server (./wiring/tls.ts).
  const httpsPort = tls ? await serveHttps(api.routing, tls, { host: config.HOST, port: config.HTTPS_PORT }, stack) : null;

  if (config.SIMULATOR && demoFleet && !config.PLAINTEXT) {
    logger.warn('SIMULATOR=on needs the plaintext MQTT listener: with PLAINTEXT=off the built-in simulator is not started');
  }
  if (config.SIMULATOR && demoFleet && config.PLAINTEXT) {
    const simulator = new SimulatorProcess({
      mqttUrl: `mqtt://127.0.0.1:${listening.mqttPort}`,
      credentialsPath: demoFleet.credentialsPath,
      speed: config.SIM_SPEED,
      seed: config.SIM_SEED,
      collection: config.SIM_COLLECTION,
      sensorFaultRate: config.SIM_SENSOR_FAULT_RATE,
      // A new fleet goes on from its history (or, without one, replays from yesterday when
      // SIM_SPEED > 1). Later starts begin now: simulating stored days again would store other
      // events over them (counted twice).
      ...(demoHistory ? { history: demoHistory.plan } : demoFleet.outcome === 'created' ? {} : { startMs: now() }),
      utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN,
      logger: logger.child({ service: 'simulator' }),
    });
    simulator.start();
    stack.push(() => simulator.stop());
  }
  if (demoHistory) {
    demoHistory.start();
    stack.push(() => demoHistory.stop());
    // Live messages held by the forecasts follow the history's older ones (written, failed or stopped).
    void demoHistory.finished.then(() => forecasts.releaseLive());
  }
  wireAutoPlanner(plans, config, Promise.all([forecasts.seeded, demoHistory?.finished]), ctx);
  ledger.startWhen(Promise.all([demoHistory?.finished]));

  return {
    ...listening,
    httpPort,
    httpsPort,
    tls: tls && { certFile: tls.files.cert, keyFile: tls.files.key, caFile: tls.files.ca ?? null, localCa: tls.localCa },
    adminToken: { source: adminToken.source, tokenFile: adminToken.tokenFile },
    demoFleet: demoFleet ? { outcome: demoFleet.outcome, credentialsPath: demoFleet.credentialsPath } : null,
    history: demoHistory && {
      days: demoHistory.plan.days,
      fromDay: demoHistory.plan.fromDay,
      toDay: demoHistory.plan.toDay,
      until: new Date(demoHistory.plan.untilMs).toISOString(),
    },
    console: consoleBundle !== undefined,
  };
}

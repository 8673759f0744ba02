/**
 * The composition root of the platform process: opens the stores, wires broker → ingest →
 * stores → API with explicit arguments, and owns the start/stop order.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../../shared/config.ts';
import { ALL_DEVICE_TOPICS } from '../../shared/contracts/index.ts';
import { HOUR_MS } from '../../shared/units.ts';
import { AlertEngine } from '../alerts/alert-engine.ts';
import { MqttAlertPublisher } from '../alerts/adapters/mqtt-alert-publisher.ts';
import { SqliteWebhookOutbox } from '../alerts/adapters/sqlite-webhook-outbox.ts';
import { WebhookNotifier } from '../alerts/adapters/webhook-notifier.ts';
import { readThresholdsFile } from '../alerts/adapters/thresholds-file.ts';
import { createAlertRules } from '../alerts/core/rules.ts';
import { thresholdsResolver } from '../alerts/core/thresholds.ts';
import { createPlatformBroker } from '../broker/adapters/aedes-broker.ts';
import type { BrokerListening } from '../broker/core/ports.ts';
import { createSqliteTokenStore } from '../api/adapters/sqlite-token-store.ts';
import { buildApi } from '../api/server.ts';
import { demoCredentialsPath } from '../fleet/adapters/credentials-file.ts';
import { SqliteFleetRegistry } from '../fleet/adapters/sqlite-fleet-registry.ts';
import { provisionDemoFleet } from '../fleet/provision-demo.ts';
import { SqliteDeadLetterStore } from '../ingest/adapters/sqlite-dead-letters.ts';
import { SqliteDeviceStateStore } from '../ingest/adapters/sqlite-device-state.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import { SqliteTimeSeriesStore } from '../timeseries/adapters/sqlite-store.ts';
import { buildTonnageReport } from '../timeseries/core/tonnage.ts';
import { openDatabase } from './adapters/sqlite.ts';
import { SimulatorProcess } from './adapters/simulator-process.ts';

export interface PlatformReady extends BrokerListening {
  httpPort: number;
  adminToken: { source: 'env' | 'file' | 'generated'; tokenFile: string };
  demoFleet: { outcome: string; credentialsPath: string } | null;
}

export interface RunningPlatform {
  ready: PlatformReady;
  stop(): Promise<void>;
}

export async function startPlatform(config: Config, logger: Logger, now: () => number = Date.now): Promise<RunningPlatform> {
  const stack: (() => Promise<void> | void)[] = [];
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

async function wire(config: Config, logger: Logger, now: () => number, stack: (() => Promise<void> | void)[]): Promise<PlatformReady> {
  const alertThresholds = readThresholdsFile(config.ALERT_THRESHOLDS_FILE);
  const operationalDb = openDatabase(join(config.DATA_DIR, 'binpulse.db'));
  stack.push(() => void operationalDb.close());
  const timeseriesDb = openDatabase(join(config.DATA_DIR, 'timeseries.db'));
  stack.push(() => void timeseriesDb.close());

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const registry = new SqliteFleetRegistry(operationalDb);
  const demoFleet = config.DEMO_FLEET
    ? provisionDemoFleet({ registry, credentialsPath: demoCredentialsPath(config.DATA_DIR), seed: config.SIM_SEED })
    : null;
  if (demoFleet) logger.info({ outcome: demoFleet.outcome, created: demoFleet.created }, 'demo fleet');

  const timeseries = new SqliteTimeSeriesStore(timeseriesDb, { utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN });
  stack.push(() => timeseries.close());
  const deadLetters = new SqliteDeadLetterStore(operationalDb, { metrics });
  const deviceState = new SqliteDeviceStateStore(operationalDb, { logger, now });
  const pipeline = new IngestPipeline({
    registry,
    store: timeseries,
    deadLetters,
    deviceState,
    now,
    limits: { maxFutureSkewMs: config.INGEST_MAX_FUTURE_SKEW_S * 1000, maxAgeMs: config.INGEST_MAX_AGE_H * HOUR_MS },
    logger: logger.child({ service: 'ingest' }),
    metrics,
  });
  pipeline.start();
  stack.push(() => pipeline.stop());

  const alerts = new AlertEngine({
    db: operationalDb,
    rules: createAlertRules({ thresholdsFor: thresholdsResolver(alertThresholds) }),
    registry,
    deviceState,
    now,
    sweepSeconds: config.ALERT_SWEEP_SECONDS,
    logger: logger.child({ service: 'alerts' }),
    metrics,
  });
  // Rules run on the live stream: every accepted message, as it arrives.
  pipeline.onAccepted((message, device, receivedAt) => alerts.handleMessage(message, device, receivedAt));
  alerts.start();
  stack.push(() => alerts.stop());

  const tokens = createSqliteTokenStore(operationalDb, now);
  const broker = createPlatformBroker({
    host: config.HOST,
    mqttPort: config.MQTT_PORT,
    wsPort: config.MQTT_WS_PORT,
    maxPayloadBytes: config.MQTT_MAX_PAYLOAD_BYTES,
    maxTopicLevels: config.MQTT_MAX_TOPIC_LEVELS,
    authenticator: registry,
    // Dashboards and integrations read the retained alert topics with an API token (username 'api').
    observerAuthenticator: tokens,
    logger: logger.child({ service: 'broker' }),
    metrics,
  });
  broker.onDeviceConnection((deviceId, connected) => {
    pipeline.deviceConnection(deviceId, connected);
    alerts.handleConnection(deviceId, connected, now());
  });
  await broker.subscribe(ALL_DEVICE_TOPICS, (topic, payload) => pipeline.handle(topic, payload));
  const listening = await broker.start();
  stack.push(() => broker.stop());

  const alertTopics = new MqttAlertPublisher({ alerts, broker, logger: logger.child({ service: 'alert-topics' }) });
  await alertTopics.start();
  stack.push(() => alertTopics.stop());
  if (config.ALERT_WEBHOOK_URL) {
    const webhook = new WebhookNotifier({
      url: config.ALERT_WEBHOOK_URL,
      alerts,
      outbox: new SqliteWebhookOutbox(operationalDb),
      metrics,
      logger: logger.child({ service: 'webhook' }),
    });
    webhook.start();
    stack.push(() => webhook.stop());
  }

  const adminToken = tokens.ensureAdminToken({
    fixedToken: config.ADMIN_TOKEN,
    tokenFile: join(config.DATA_DIR, 'admin-token'),
  });
  const startedAt = now();
  const api = await buildApi({
    registry,
    deviceState,
    deadLetters,
    timeseries,
    buildTonnageReport,
    alerts,
    tokens,
    metrics,
    health: () => ({ mqttConnectedDevices: broker.connectedDevices(), uptimeS: Math.round((now() - startedAt) / 1000) }),
    utcOffsetMinutes: config.DISTRICT_UTC_OFFSET_MIN,
    now,
    logger: logger.child({ service: 'api' }),
  });
  await api.listen({ host: config.HOST, port: config.HTTP_PORT });
  stack.push(() => api.close());
  const httpPort = (api.server.address() as { port: number }).port;

  if (config.SIMULATOR && demoFleet) {
    const simulator = new SimulatorProcess({
      mqttUrl: `mqtt://127.0.0.1:${listening.mqttPort}`,
      credentialsPath: demoFleet.credentialsPath,
      speed: config.SIM_SPEED,
      seed: config.SIM_SEED,
      logger: logger.child({ service: 'simulator' }),
    });
    simulator.start();
    stack.push(() => simulator.stop());
  }

  return {
    ...listening,
    httpPort,
    adminToken: { source: adminToken.source, tokenFile: adminToken.tokenFile },
    demoFleet: demoFleet ? { outcome: demoFleet.outcome, credentialsPath: demoFleet.credentialsPath } : null,
  };
}

/** The alert engine on the live stream, and its outputs (retained MQTT topics, webhook). */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../../../shared/config.ts';
import { AlertEngine } from '../../alerts/alert-engine.ts';
import { MqttAlertPublisher } from '../../alerts/adapters/mqtt-alert-publisher.ts';
import { SqliteWebhookOutbox } from '../../alerts/adapters/sqlite-webhook-outbox.ts';
import { readThresholdsFile } from '../../alerts/adapters/thresholds-file.ts';
import { WebhookNotifier } from '../../alerts/adapters/webhook-notifier.ts';
import { journalCapacityCommands } from '../../alerts/core/journal-capacity.ts';
import { createAlertRules } from '../../alerts/core/rules.ts';
import { thresholdsResolver } from '../../alerts/core/thresholds.ts';
import type { PlatformBroker } from '../../broker/core/ports.ts';
import type { FleetRegistry } from '../../fleet/core/registry.ts';
import type { DeviceStateReader } from '../../ingest/core/ports.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import type { CapacityListener } from '../../journal/core/capacity.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import type { Stack } from './stack.ts';

interface Context {
  logger: Logger;
  metrics: Registry;
  now: () => number;
  stack: Stack;
}

/** The thresholds of each device (ALERT_THRESHOLDS_FILE over the defaults): the rules' and the forecasts' bin_full level. */
export function thresholdsFrom(config: Config) {
  return thresholdsResolver(readThresholdsFile(config.ALERT_THRESHOLDS_FILE));
}

/** Reads the thresholds file first: a bad file stops start-up before anything is opened. */
export function alertRulesFrom(config: Config, thresholdsFor = thresholdsFrom(config)) {
  return createAlertRules({ thresholdsFor });
}

export function wireAlertEngine(
  deps: {
    config: Config;
    rules: ReturnType<typeof alertRulesFrom>;
    operationalDb: SqliteDatabase;
    registry: FleetRegistry;
    deviceState: DeviceStateReader;
    pipeline: IngestPipeline;
    journal: { onCapacity(listener: CapacityListener): () => void };
  },
  { logger, metrics, now, stack }: Context,
): AlertEngine {
  const alerts = new AlertEngine({
    db: deps.operationalDb,
    rules: deps.rules,
    registry: deps.registry,
    deviceState: deps.deviceState,
    now,
    sweepSeconds: deps.config.ALERT_SWEEP_SECONDS,
    logger: logger.child({ service: 'alerts' }),
    metrics,
  });
  // Rules run on the live stream: every accepted message, as it arrives.
  deps.pipeline.onAccepted((message, device, receivedAt) => alerts.handleMessage(message, device, receivedAt));
  alerts.start();
  stack.push(() => alerts.stop());
  // After start (open alerts loaded): a backlog found at start-up raises, a recovered one clears.
  stack.push(alertOnJournalCapacity(deps.journal, alerts, now));
  return alerts;
}

/**
 * journal_near_cap from the journal's capacity watch: raised once when the backlog passes 80 % of
 * the cap, cleared once it is back below 70 %. Returns the unsubscribe function.
 */
export function alertOnJournalCapacity(
  journal: { onCapacity(listener: CapacityListener): () => void },
  alerts: Pick<AlertEngine, 'applySystemCommands' | 'list'>,
  now: () => number,
): () => void {
  return journal.onCapacity((state) => {
    const open = alerts.list({ status: 'open', type: 'journal_near_cap', limit: 100, offset: 0 }).items.map((a) => a.key);
    alerts.applySystemCommands(journalCapacityCommands(state, open, now()));
  });
}

export async function wireAlertOutputs(
  deps: { config: Config; alerts: AlertEngine; broker: PlatformBroker; operationalDb: SqliteDatabase },
  { logger, metrics, stack }: Context,
): Promise<void> {
  const { config, alerts, broker } = deps;
  const alertTopics = new MqttAlertPublisher({ alerts, broker, logger: logger.child({ service: 'alert-topics' }) });
  await alertTopics.start();
  stack.push(() => alertTopics.stop());
  if (!config.ALERT_WEBHOOK_URL) return;
  const webhook = new WebhookNotifier({
    url: config.ALERT_WEBHOOK_URL,
    alerts,
    outbox: new SqliteWebhookOutbox(deps.operationalDb),
    metrics,
    logger: logger.child({ service: 'webhook' }),
  });
  webhook.start();
  stack.push(() => webhook.stop());
}

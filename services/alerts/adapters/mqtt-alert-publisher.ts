/**
 * Mirrors open alerts as retained MQTT messages, one topic per alert (alertTopic()):
 * raised/updated/acknowledged → the Alert as JSON, retained, QoS 1; resolved → an empty
 * retained payload, which removes the retained message (MQTT 3.1.1 §3.3.1.3). A subscriber to
 * binpulse/alerts/v1/# therefore receives exactly the open alerts on connect, then changes.
 * Muted and inhibited alerts are published too: the topics are state, not notifications, and
 * the payload carries `muted` / `inhibitedBy`.
 *
 * The broker keeps retained messages in memory only, so start() republishes every open alert.
 * Publishes go out one at a time, in event order: a resolve's clear can never be overtaken by
 * an earlier update of the same alert, which would leave a resolved alert retained.
 */
import type { Logger } from 'pino';
import { Alert, alertTopic, type AlertEvent } from '../../../shared/contracts/index.ts';
import type { PlatformBroker } from '../../broker/core/ports.ts';
import type { AlertService } from '../core/ports.ts';

export interface MqttAlertPublisherOptions {
  alerts: Pick<AlertService, 'onEvent' | 'list'>;
  broker: Pick<PlatformBroker, 'publish'>;
  logger: Pick<Logger, 'error' | 'warn'>;
}

const PAGE = 500;

/** What goes on the alert's topic for an event: the alert, or '' to clear it. */
export function retainedPayload(event: AlertEvent): string {
  return event.event === 'resolved' ? '' : JSON.stringify(Alert.parse(event.alert));
}

export class MqttAlertPublisher {
  private unsubscribe: (() => void) | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: MqttAlertPublisherOptions) {}

  /** Subscribes first, then republishes the open alerts: no event falls in between. */
  start(): Promise<void> {
    if (this.unsubscribe) throw new Error('MqttAlertPublisher already started');
    this.unsubscribe = this.options.alerts.onEvent((event) => this.enqueue(event));
    for (let offset = 0; ; offset += PAGE) {
      const page = this.options.alerts.list({ status: 'open', limit: PAGE, offset });
      for (const alert of page.items) this.enqueue({ event: 'updated', alert });
      if (page.items.length < PAGE) break;
    }
    return this.idle();
  }

  /** Stops listening and waits for publishes already queued. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.idle();
  }

  /** Resolves when every queued publish has been attempted. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(event: AlertEvent): void {
    let topic: string;
    let payload: string;
    try {
      topic = alertTopic(event.alert);
      payload = retainedPayload(event);
    } catch (err) {
      this.options.logger.error({ err, alertId: event.alert?.id }, 'alert event does not match the contract: not published');
      return;
    }
    this.queue = this.queue.then(() =>
      this.options.broker.publish(topic, payload, { retain: true, qos: 1 }).catch((err: unknown) => {
        // A failed publish leaves the previous retained state; the next event of the alert
        // (or the next start) corrects it. Nothing here may reject the queue for later ones.
        this.options.logger.error({ err, topic }, 'retained alert publish failed');
      }),
    );
  }
}

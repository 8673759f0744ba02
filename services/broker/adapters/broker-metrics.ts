/** The broker's Prometheus metrics, registered on the registry the platform passes in. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { REFUSAL_REASONS } from '../core/access.ts';

export interface BrokerMetrics {
  refusals: Counter<'reason'>;
  connectedDevices: Gauge;
  connectedObservers: Gauge;
  messagesReceived: Counter;
}

export function registerBrokerMetrics(registry: Registry): BrokerMetrics {
  const refusals = new Counter({
    name: 'binpulse_mqtt_refusals_total',
    help: 'Connects, publishes and subscriptions the broker refused, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Every reason is exported from the start, so a dashboard shows 0 rather than "no data".
  for (const reason of REFUSAL_REASONS) refusals.inc({ reason }, 0);

  const connectedDevices = new Gauge({
    name: 'binpulse_mqtt_connected_devices',
    help: 'Authenticated devices currently connected to the broker',
    registers: [registry],
  });
  const connectedObservers = new Gauge({
    name: 'binpulse_mqtt_connected_observers',
    help: 'Observers (API-token logins reading the alert topics) currently connected',
    registers: [registry],
  });
  const messagesReceived = new Counter({
    name: 'binpulse_mqtt_messages_received_total',
    help: 'Publishes from devices the broker accepted (last wills included)',
    registers: [registry],
  });
  return { refusals, connectedDevices, connectedObservers, messagesReceived };
}

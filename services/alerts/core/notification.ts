/**
 * Which alert events are worth a notification (the webhook). Every event changes the alert's
 * state and goes to the SSE stream and MQTT; a notification pages a person, so it is sent
 * only when something they would act on happened:
 *   raised → yes; updated → only when the severity went up (escalated), not for another
 *   occurrence; acknowledged, resolved → yes (others stop working on it).
 * Never for muted alerts (a silence matched) or inhibited ones (an area outage alert covers
 * them and is notified itself). Pure.
 */
import { SEVERITIES, type AlertEvent, type Severity } from '../../../shared/contracts/index.ts';
import { isRetriableStatus } from '../../../shared/retry.ts';

export type NotifyReason = 'raised' | 'escalated' | 'acknowledged' | 'resolved';
export type SkipReason = 'muted' | 'inhibited' | 'not_escalated';

export type NotificationDecision = { notify: true; reason: NotifyReason } | { notify: false; reason: SkipReason };

const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);

/**
 * `previousSeverity`: the alert's severity as of its previous event, when known. Unknown (e.g.
 * the first event seen for the alert is an update) means no escalation can be told: not notified.
 */
export function notificationFor(event: AlertEvent, previousSeverity: Severity | undefined): NotificationDecision {
  const { alert } = event;
  if (alert.muted) return { notify: false, reason: 'muted' };
  if (alert.inhibitedBy !== null) return { notify: false, reason: 'inhibited' };
  switch (event.event) {
    case 'raised':
    case 'acknowledged':
    case 'resolved':
      return { notify: true, reason: event.event };
    case 'updated':
      return previousSeverity !== undefined && rank(alert.severity) > rank(previousSeverity)
        ? { notify: true, reason: 'escalated' }
        : { notify: false, reason: 'not_escalated' };
  }
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead';

/**
 * What a webhook answer means. 2xx: done. 408, 429 and 5xx (isRetriableStatus): the receiver
 * may recover, retry. Any other status (4xx, and 3xx since redirects are not followed: a POST
 * turned into a GET would be lost) will not change by retrying the same request: dead.
 */
export function deliveryOutcome(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (isRetriableStatus(status)) return 'retry';
  return 'dead';
}

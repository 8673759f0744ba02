import { describe, expect, it } from 'vitest';
import { deliveryOutcome, notificationFor } from '../../../services/alerts/core/notification.ts';
import { makeAlert } from '../../support/alert-fakes.ts';

describe('notificationFor', () => {
  it.each(['raised', 'acknowledged', 'resolved'] as const)('notifies %s', (event) => {
    expect(notificationFor({ event, alert: makeAlert() }, 'warning')).toEqual({ notify: true, reason: event });
  });

  it('notifies an update that raised the severity (escalated)', () => {
    expect(notificationFor({ event: 'updated', alert: makeAlert({ severity: 'critical' }) }, 'warning')).toEqual({
      notify: true,
      reason: 'escalated',
    });
    expect(notificationFor({ event: 'updated', alert: makeAlert({ severity: 'warning' }) }, 'info').notify).toBe(true);
  });

  it('does not notify another occurrence, a lower severity, or an update of an alert it never saw', () => {
    const skipped = { notify: false, reason: 'not_escalated' };
    expect(notificationFor({ event: 'updated', alert: makeAlert({ severity: 'warning', count: 9 }) }, 'warning')).toEqual(skipped);
    expect(notificationFor({ event: 'updated', alert: makeAlert({ severity: 'info' }) }, 'critical')).toEqual(skipped);
    expect(notificationFor({ event: 'updated', alert: makeAlert({ severity: 'critical' }) }, undefined)).toEqual(skipped);
  });

  it.each(['raised', 'updated', 'acknowledged', 'resolved'] as const)('never notifies a muted or inhibited alert (%s)', (event) => {
    expect(notificationFor({ event, alert: makeAlert({ muted: true, severity: 'critical' }) }, 'info')).toEqual({
      notify: false,
      reason: 'muted',
    });
    expect(notificationFor({ event, alert: makeAlert({ inhibitedBy: 'alt_area', severity: 'critical' }) }, 'info')).toEqual({
      notify: false,
      reason: 'inhibited',
    });
  });
});

describe('deliveryOutcome', () => {
  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => expect(deliveryOutcome(status)).toBe('delivered'));
  it.each([408, 429, 500, 502, 503, 504])('%i is retried', (status) => expect(deliveryOutcome(status)).toBe('retry'));
  it.each([301, 302, 307, 400, 401, 403, 404, 405, 410, 413, 422])('%i is dead', (status) => expect(deliveryOutcome(status)).toBe('dead'));
});

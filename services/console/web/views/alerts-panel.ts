/**
 * Live alerts for operators: open alerts from the SSE stream, most severe first, with
 * acknowledge (optional note) and resolve (a reason, as the API requires) for roles that may
 * act. While a note is being written the list holds still; it catches up when the form closes.
 */
import type { Alert, Severity } from '../../../../shared/contracts/index.ts';
import { allows } from '../../core/access.ts';
import { formatAgo, formatShort } from '../../core/district-time.ts';
import { ALERT_TYPE_LABELS, SEVERITY_LABELS, subdistrictName } from '../../core/labels.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { card, emptyState, pill, segmented } from '../widgets.ts';
import type { ViewContext } from './context.ts';

/** More than a shift can work through; the filter narrows the rest. */
const MAX_SHOWN = 150;

type SeverityFilter = 'all' | Severity;

export function createAlertsPanel(ctx: ViewContext): { element: HTMLElement; render(): void } {
  const stream = ctx.alerts!;
  const canAct = allows(ctx.access, 'alerts:act');
  let severity: SeverityFilter = 'all';
  let openForm: string | undefined;
  let pending = false;
  let known: Set<string> | undefined;

  const controls = h('div');
  const list = h('ol', { class: 'alert-list', 'aria-live': 'polite', 'data-list': 'alerts' });
  const footer = h('div', { class: 'list-footer' });
  const element = card({
    title: 'Live alerts',
    subtitle: 'Open alerts, most severe first; new ones appear as they are raised',
    actions: [controls],
    body: [list, footer],
    class: 'alerts-card',
    id: 'alerts',
  });

  function render(): void {
    if (openForm !== undefined && stream.board.get(openForm)) {
      pending = true;
      return;
    }
    openForm = undefined;
    pending = false;
    const counts = stream.board.counts();
    fill(
      controls,
      segmented<SeverityFilter>(
        [
          { value: 'all', label: 'All', count: counts.total },
          { value: 'critical', label: 'Critical', count: counts.critical },
          { value: 'warning', label: 'Warning', count: counts.warning },
          { value: 'info', label: 'Info', count: counts.info },
        ],
        severity,
        (value) => {
          severity = value;
          openForm = undefined;
          render();
        },
        'severity',
      ),
    );
    const alerts = stream.board.list(severity === 'all' ? {} : { severity });
    // Highlight what arrived since the last redraw; not what the stream's first snapshot brought.
    const fresh = known === undefined ? new Set<string>() : new Set(alerts.filter((a) => !known!.has(a.id)).map((a) => a.id));
    if (stream.board.version > 0) known = new Set(stream.board.list().map((a) => a.id));
    if (alerts.length === 0) {
      const waiting = stream.status !== 'live' && counts.total === 0;
      fill(list, h('li', null, waiting ? emptyState('Connecting to the alert stream…', 'Open alerts appear here as soon as the stream is up.') : emptyState('No open alerts', severity === 'all' ? 'Nothing needs attention right now.' : `No open ${severity} alerts.`)));
    } else {
      fill(list, alerts.slice(0, MAX_SHOWN).map((alert) => item(alert, fresh.has(alert.id))));
    }
    footer.textContent = alerts.length > MAX_SHOWN ? `Showing the ${MAX_SHOWN} most urgent of ${alerts.length}; choose a severity to see others.` : '';
  }

  function item(alert: Alert, fresh: boolean): HTMLElement {
    const now = Date.now();
    const offset = ctx.config.utcOffsetMinutes;
    const where = [alert.community ?? alert.area?.name, alert.subdistrict && subdistrictName(alert.subdistrict), alert.gridCell].filter(Boolean).join(' · ');
    const li = h(
      'li',
      { class: `alert-item sev-${alert.severity}${fresh ? ' is-new' : ''}`, 'data-alert-id': alert.id, 'data-status': alert.status, 'data-device': alert.deviceId ?? '' },
      h(
        'div',
        { class: 'alert-top' },
        h('span', { class: `sev sev-${alert.severity}` }, SEVERITY_LABELS[alert.severity]),
        h('span', { class: 'alert-type' }, ALERT_TYPE_LABELS[alert.type]),
        alert.status === 'acknowledged' && pill('Acknowledged', 'info'),
        alert.hotspot && pill('Hotspot', 'bad'),
        alert.muted && pill('Silenced', 'neutral'),
        h('time', { class: 'alert-time', datetime: alert.raisedAt, title: `raised ${formatShort(alert.raisedAt, now, offset)}` }, `${formatShort(alert.lastSeenAt, now, offset)} · ${formatAgo(alert.lastSeenAt, now)}`),
      ),
      h('div', { class: 'alert-title' }, alert.title, alert.count > 1 && h('span', { class: 'alert-count', title: 'times seen while open' }, `×${alert.count}`)),
      where && h('div', { class: 'alert-meta' }, where, alert.responsiblePerson && h('span', { class: 'alert-person' }, ` · ${alert.responsiblePerson}`)),
      alert.status === 'acknowledged' &&
        h('div', { class: 'alert-ack' }, `Acknowledged by ${alert.acknowledgedBy ?? '?'} at ${formatShort(alert.acknowledgedAt, now, offset)}`, alert.acknowledgeNote && h('q', null, alert.acknowledgeNote)),
    );
    if (canAct) {
      const actions = h(
        'div',
        { class: 'alert-actions' },
        alert.status === 'active' && h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'acknowledge', onclick: () => showForm(li, alert, 'acknowledge') }, 'Acknowledge'),
        h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'data-action': 'resolve', onclick: () => showForm(li, alert, 'resolve') }, 'Resolve…'),
      );
      li.append(actions);
    }
    return li;
  }

  function showForm(li: HTMLElement, alert: Alert, action: 'acknowledge' | 'resolve'): void {
    li.querySelector('.alert-form')?.remove();
    openForm = alert.id;
    const acknowledging = action === 'acknowledge';
    const input = h('input', {
      type: 'text',
      name: acknowledging ? 'note' : 'reason',
      maxlength: 500,
      required: !acknowledging,
      placeholder: acknowledging ? 'Note (optional), e.g. crew 3 on the way' : 'Reason (required), e.g. emptied by crew 3',
      'aria-label': acknowledging ? 'Note' : 'Reason',
    });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-small btn-primary', 'data-action': `confirm-${action}` }, acknowledging ? 'Acknowledge' : 'Resolve');
    const close = () => {
      openForm = undefined;
      form.remove();
      if (pending) render();
    };
    const form = h(
      'form',
      {
        class: 'alert-form',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const text = input.value.trim();
          if (!acknowledging && !text) return;
          submit.disabled = true;
          try {
            const body = acknowledging ? (text ? { note: text } : {}) : { reason: text };
            const answer = await ctx.api.post<Alert>(`/api/v1/alerts/${encodeURIComponent(alert.id)}/${action}`, body);
            openForm = undefined;
            stream.applyAnswer(answer);
            render();
          } catch (failure) {
            error.textContent = describeError(failure);
            error.hidden = false;
            submit.disabled = false;
          }
        },
        onkeydown: (event: Event) => (event as KeyboardEvent).key === 'Escape' && close(),
      },
      input,
      submit,
      h('button', { type: 'button', class: 'btn btn-small btn-ghost-dark', onclick: close }, 'Cancel'),
      error,
    );
    li.append(form);
    input.focus();
  }

  render();
  return { element, render };
}

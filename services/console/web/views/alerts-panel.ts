/**
 * Live alerts for operators: open alerts from the SSE stream, most severe first, filtered by
 * device kind (operators start with the boxes), alert type and severity, with acknowledge
 * (optional note) and resolve (a reason, as the API requires) for roles that may act. While a
 * note is being written the list holds still; it catches up when the form closes.
 */
import type { Alert, AlertType, Severity } from '../../../../shared/contracts/index.ts';
import { allows } from '../../core/access.ts';
import { alertText } from '../../core/alert-text.ts';
import { KIND_FILTERS, type BoardFilter, type KindFilter } from '../../core/alerts-board.ts';
import { SEVERITIES } from '../../../../shared/vocabulary.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { card, emptyState, pill, segmented } from '../widgets.ts';
import type { ViewContext } from './context.ts';

/** More than a shift can work through; the filters narrow the rest. */
const MAX_SHOWN = 150;

export interface AlertsPanelOptions {
  filter: BoardFilter;
  /** The filter changed (the view keeps it in the URL). */
  onFilter(filter: BoardFilter): void;
  /** Shows an alert's device on the map. */
  onLocate(deviceId: string): void;
}

export function createAlertsPanel(ctx: ViewContext, options: AlertsPanelOptions): { element: HTMLElement; render(): void } {
  const stream = ctx.alerts!;
  const { i18n } = ctx;
  const t = i18n.t.bind(i18n);
  const canAct = allows(ctx.access, 'alerts:act');
  let filter: BoardFilter = { ...options.filter };
  let openForm: string | undefined;
  let pending = false;
  let known: Set<string> | undefined;

  const controls = h('div', { class: 'alert-filters' });
  const list = h('ol', { class: 'alert-list', 'aria-live': 'polite', 'data-list': 'alerts' });
  const footer = h('div', { class: 'list-footer' });
  const element = card({ title: t('ops.alerts.title'), subtitle: t('ops.alerts.subtitle'), body: [controls, list, footer], class: 'alerts-card', id: 'alerts' });

  function setFilter(change: Partial<BoardFilter>): void {
    filter = { ...filter, ...change };
    for (const key of Object.keys(filter) as (keyof BoardFilter)[]) if (filter[key] === undefined) delete filter[key];
    openForm = undefined;
    options.onFilter(filter);
    render();
  }

  function renderControls(): void {
    const facets = stream.board.facets(filter);
    const typeOptions: { type: AlertType; count: number }[] = [...facets.type];
    // The chosen type stays choosable when its last alert is resolved.
    if (filter.type !== undefined && !typeOptions.some((o) => o.type === filter.type)) typeOptions.push({ type: filter.type, count: 0 });
    const typeSelect = h(
      'select',
      {
        name: 'alertType',
        'aria-label': t('ops.alerts.typeFilter'),
        onchange: (event: Event) => {
          const value = (event.target as HTMLSelectElement).value;
          setFilter({ type: value === '' ? undefined : (value as AlertType) });
        },
      },
      h('option', { value: '' }, t('ops.alerts.allTypes', { count: facets.anyType })),
      typeOptions.map((o) => h('option', { value: o.type, selected: o.type === filter.type }, t('ops.alerts.typeOption', { type: t(`alertType.${o.type}`), count: o.count }))),
    );
    fill(
      controls,
      segmented<KindFilter>(
        KIND_FILTERS.map((kind) => ({ value: kind, label: t(`ops.alerts.kind.${kind}`), count: facets.kind[kind] })),
        filter.kind ?? 'all',
        (kind) => setFilter({ kind }),
        'kind',
        t('ops.alerts.kindFilter'),
      ),
      typeSelect,
      segmented<'all' | Severity>(
        [
          { value: 'all', label: t('ops.alerts.allSeverities'), count: facets.severity.all },
          ...[...SEVERITIES].reverse().map((severity) => ({ value: severity, label: t(`severity.${severity}`), count: facets.severity[severity] })),
        ],
        filter.severity ?? 'all',
        (value) => setFilter({ severity: value === 'all' ? undefined : value }),
        'severity',
        t('ops.alerts.severityFilter'),
      ),
    );
  }

  function render(): void {
    if (openForm !== undefined && stream.board.get(openForm)) {
      pending = true;
      return;
    }
    openForm = undefined;
    pending = false;
    renderControls();
    const alerts = stream.board.list(filter);
    // Highlight what arrived since the last redraw; not what the stream's first snapshot brought.
    const fresh = known === undefined ? new Set<string>() : new Set(alerts.filter((a) => !known!.has(a.id)).map((a) => a.id));
    if (stream.board.version > 0) known = new Set(stream.board.list().map((a) => a.id));
    if (alerts.length === 0) {
      const waiting = stream.status !== 'live' && stream.board.size === 0;
      const empty = waiting
        ? emptyState(t('ops.alerts.connecting'), t('ops.alerts.connectingText'))
        : emptyState(t('ops.alerts.none'), stream.board.size === 0 ? t('ops.alerts.noneText') : t('ops.alerts.noneFiltered'));
      fill(list, h('li', null, empty));
    } else {
      const now = Date.now();
      fill(list, alerts.slice(0, MAX_SHOWN).map((alert) => item(alert, fresh.has(alert.id), now)));
    }
    const hidden = stream.board.size - alerts.length;
    fill(
      footer,
      alerts.length > MAX_SHOWN && h('div', null, t('ops.alerts.truncated', { shown: MAX_SHOWN, count: alerts.length })),
      hidden > 0 && h('div', { 'data-hidden': String(hidden) }, t('ops.alerts.hidden', { count: hidden })),
    );
  }

  function item(alert: Alert, fresh: boolean, now: number): HTMLElement {
    const where = [alert.community ?? alert.area?.name, alert.subdistrict && t(`subdistrict.${alert.subdistrict}`), alert.gridCell].filter(Boolean).join(' · ');
    const li = h(
      'li',
      {
        class: `alert-item sev-${alert.severity}${fresh ? ' is-new' : ''}`,
        'data-alert-id': alert.id,
        'data-status': alert.status,
        'data-device': alert.deviceId ?? '',
        'data-kind': alert.deviceKind ?? '',
        'data-type': alert.type,
      },
      h(
        'div',
        { class: 'alert-top' },
        h('span', { class: `sev sev-${alert.severity}` }, t(`severity.${alert.severity}`)),
        h('span', { class: 'alert-type' }, t(`alertType.${alert.type}`)),
        alert.status === 'acknowledged' && pill(t('ops.alerts.acknowledged'), 'info'),
        alert.hotspot && pill(t('ops.alerts.hotspot'), 'bad'),
        alert.muted && pill(t('ops.alerts.silenced'), 'neutral'),
        h(
          'time',
          { class: 'alert-time', datetime: alert.lastSeenAt, title: t('ops.alerts.raisedAt', { time: i18n.short(alert.raisedAt, now) }) },
          t('ops.alerts.seen', { time: i18n.short(alert.lastSeenAt, now), ago: i18n.ago(alert.lastSeenAt, now) }),
        ),
      ),
      h(
        'div',
        { class: 'alert-title' },
        alertText(alert, i18n),
        alert.count > 1 && h('span', { class: 'alert-count', title: t('ops.alerts.timesTitle') }, t('ops.alerts.times', { count: alert.count })),
      ),
      where &&
        h(
          'div',
          { class: 'alert-meta' },
          alert.deviceId && alert.lat !== null
            ? h('button', { type: 'button', class: 'link-button', 'data-action': 'locate', title: t('ops.alerts.showOnMap'), onclick: () => options.onLocate(alert.deviceId!) }, where)
            : where,
          alert.responsiblePerson && h('span', { class: 'alert-person' }, ` · ${alert.responsiblePerson}`),
        ),
      alert.status === 'acknowledged' &&
        h(
          'div',
          { class: 'alert-ack' },
          t('ops.alerts.ackBy', { person: alert.acknowledgedBy ?? '?', time: i18n.short(alert.acknowledgedAt, now) }),
          alert.acknowledgeNote && h('q', null, alert.acknowledgeNote),
        ),
    );
    if (canAct) {
      li.append(
        h(
          'div',
          { class: 'alert-actions' },
          alert.status === 'active' && h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-action': 'acknowledge', onclick: () => showForm(li, alert, 'acknowledge') }, t('ops.alerts.acknowledge')),
          h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'data-action': 'resolve', onclick: () => showForm(li, alert, 'resolve') }, t('ops.alerts.resolveOpen')),
        ),
      );
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
      placeholder: t(acknowledging ? 'ops.alerts.notePlaceholder' : 'ops.alerts.reasonPlaceholder'),
      'aria-label': t(acknowledging ? 'ops.alerts.note' : 'ops.alerts.reason'),
    });
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: 'btn btn-small btn-primary', 'data-action': `confirm-${action}` }, t(acknowledging ? 'ops.alerts.acknowledge' : 'ops.alerts.resolve'));
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
            error.textContent = describeError(failure, i18n);
            error.hidden = false;
            submit.disabled = false;
          }
        },
        onkeydown: (event: Event) => (event as KeyboardEvent).key === 'Escape' && close(),
      },
      input,
      submit,
      h('button', { type: 'button', class: 'btn btn-small btn-ghost-dark', onclick: close }, t('ops.alerts.cancel')),
      error,
    );
    li.append(form);
    input.focus();
  }

  render();
  return { element, render };
}

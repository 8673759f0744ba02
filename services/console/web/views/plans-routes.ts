/**
 * The stop list of each vehicle of a plan: what a driver takes along (on screen, printed, or as
 * the CSV). One card per route in its map colour, its totals, its completion when the progress
 * endpoint answers, and the due boxes no vehicle could take.
 */
import type { Plan, StopStatus } from '../../../../shared/contracts/index.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { clockTime, hoursAndMinutes, shiftTimes, type RouteView } from '../../core/plan-view.ts';
import { h } from '../dom.ts';
import { card, pill, type Tone } from '../widgets.ts';

const STATUS_TONE: Record<StopStatus, Tone> = { done: 'good', late: 'warn', missed: 'bad', pending: 'neutral' };

export function routeCards(plan: Plan, routes: readonly RouteView[], i18n: I18n, actions: { print(vehicleId: string): void; focus(vehicleId: string): void }): HTMLElement[] {
  const t = i18n.t.bind(i18n);
  const { start, end } = shiftTimes(plan, i18n.utcOffsetMinutes);
  const heading = t('plans.route.heading', { day: i18n.day(plan.shift.date, 'long'), start, end });
  return routes.map((view) => {
    const { route } = view;
    const duration = hoursAndMinutes(route.durationMinutes);
    const hasStatus = view.completion !== null;
    const completion =
      view.completion === null
        ? h('p', { class: 'muted small no-print' }, t('plans.route.noProgress'))
        : h(
            'div',
            // Completion is for the office; the driver's printout is the list.
            { class: 'completion no-print', 'data-completion': String(view.completion) },
            h('span', { class: 'completion-track' }, h('span', { class: 'completion-value', style: { width: `${Math.min(100, view.completion * 100)}%`, background: view.colour } })),
            h('span', { class: 'completion-text' }, t('plans.route.completion', { percent: i18n.percent(view.completion) })),
            h('span', { class: 'muted small' }, t('plans.route.counts', countsOf(view))),
          );
    return h(
      'div',
      { class: 'route-card-wrap', 'data-route': route.vehicleId },
      card({
        title: `${route.plate} · ${route.vehicleId}`,
        subtitle: h(
          'span',
          null,
          h('span', { class: 'print-only' }, heading, ' · '),
          t('plans.route.summary', {
            count: route.stops.length,
            km: t('plans.km', { value: i18n.number(route.km, 1) }),
            duration: t('time.uptime.hours', { hours: duration.hours, minutes: duration.minutes }),
          }),
          ' · ',
          t('plans.route.load', { load: i18n.kg(route.loadKg, 0), capacity: i18n.kg(route.capacityKg, 0), percent: i18n.percent(view.loadShare) }),
        ),
        actions: [
          h('span', { class: 'route-swatch', style: { background: view.colour }, 'aria-hidden': 'true' }),
          h('button', { type: 'button', class: 'btn btn-small btn-secondary no-print', 'data-action': 'focus-route', onclick: () => actions.focus(route.vehicleId) }, t('plans.route.showOnMap')),
          h('button', { type: 'button', class: 'btn btn-small btn-secondary no-print', 'data-action': 'print-route', onclick: () => actions.print(route.vehicleId) }, t('plans.route.print')),
        ],
        class: 'route-card',
        id: `route-${route.vehicleId}`,
        body: [
          completion,
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table table-compact', 'data-table': 'stops', 'data-vehicle': route.vehicleId },
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', { class: 'num' }, t('plans.col.sequence')),
                  h('th', null, t('plans.col.eta')),
                  h('th', null, t('plans.col.box')),
                  h('th', { class: 'num' }, t('plans.col.expected')),
                  hasStatus && h('th', null, t('plans.col.status')),
                ),
              ),
              h(
                'tbody',
                null,
                view.stops.map(({ stop, status }) =>
                  h(
                    'tr',
                    { 'data-device': stop.deviceId, 'data-sequence': String(stop.sequence), ...(status && { 'data-status': status }) },
                    h('td', { class: 'num' }, i18n.number(stop.sequence)),
                    h('td', { class: 'mono' }, clockTime(stop.eta, i18n.utcOffsetMinutes)),
                    h('td', null, h('div', { class: 'cell-title' }, stop.name), h('div', { class: 'cell-sub' }, stop.community, ' · ', stop.deviceId)),
                    h('td', { class: 'num' }, i18n.kg(stop.expectedKg)),
                    hasStatus && h('td', null, status ? pill(t(`plans.status.${status}`), STATUS_TONE[status]) : '–'),
                  ),
                ),
              ),
            ),
          ),
        ],
      }),
    );
  });
}

function countsOf(view: RouteView): Record<StopStatus, number> {
  const counts: Record<StopStatus, number> = { done: 0, late: 0, missed: 0, pending: 0 };
  for (const { status } of view.stops) if (status) counts[status] += 1;
  return counts;
}

/** The due boxes the planner could not fit, with why: the operator's cue to add a vehicle or a shift. */
export function unassignedCard(plan: Plan, i18n: I18n): HTMLElement | null {
  if (plan.unassigned.length === 0) return null;
  const t = i18n.t.bind(i18n);
  return card({
    title: t('plans.unassigned.title'),
    actions: [h('span', { class: 'card-count' }, i18n.number(plan.unassigned.length))],
    id: 'unassigned',
    class: 'no-print',
    body: h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table table-compact', 'data-table': 'unassigned' },
        h('thead', null, h('tr', null, h('th', null, t('plans.col.box')), h('th', null, t('plans.col.reason')), h('th', { class: 'num' }, t('plans.col.expected')))),
        h(
          'tbody',
          null,
          plan.unassigned.map((u) => h('tr', { 'data-device': u.deviceId }, h('td', { class: 'mono' }, u.deviceId), h('td', null, t(`plans.unassigned.${u.reason}`)), h('td', { class: 'num' }, i18n.kg(u.kg)))),
        ),
      ),
    ),
  });
}

/**
 * The map's key beside it: each vehicle in its route colour with stops, distance, load and
 * completion; a click fits the map to that route.
 */
export function vehicleLegend(routes: readonly RouteView[], i18n: I18n, focus: (vehicleId: string) => void): HTMLElement {
  const t = i18n.t.bind(i18n);
  const headings = [t('plans.col.vehicles'), t('plans.col.stops'), t('plans.col.km'), t('plans.col.load'), t('plans.col.completion')];
  return card({
    title: t('plans.vehicles.title'),
    subtitle: t('plans.vehicles.subtitle'),
    id: 'plan-vehicles',
    class: 'no-print',
    body: h(
      'div',
      { class: 'table-wrap plan-vehicles-scroll' },
      h(
        'table',
        { class: 'table table-compact table-nowrap', 'data-table': 'vehicles' },
        h('thead', null, h('tr', null, headings.map((text, i) => h('th', { class: i > 0 ? 'num' : '' }, text)))),
        h(
          'tbody',
          null,
          routes.map((view) => {
            const choose = () => focus(view.route.vehicleId);
            return h(
              'tr',
              { class: 'is-clickable', 'data-vehicle': view.route.vehicleId, tabindex: 0, onclick: choose, onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && choose() },
              h('td', null, h('span', { class: 'route-swatch', style: { background: view.colour } }), ' ', view.route.plate),
              h('td', { class: 'num' }, i18n.number(view.stops.length)),
              h('td', { class: 'num' }, t('plans.km', { value: i18n.number(view.route.km, 1) })),
              h('td', { class: 'num' }, i18n.percent(view.loadShare)),
              h('td', { class: 'num' }, view.completion === null ? '–' : i18n.percent(view.completion)),
            );
          }),
        ),
      ),
    ),
  });
}

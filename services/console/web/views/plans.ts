/**
 * #/plans?date=YYYY-MM-DD&plan=<id>: a district day's shift plans (issue 13). Operators and
 * admins plan a shift here; everyone sees each vehicle's route on the map in its own colour, its
 * stops with ETAs and expected kg, its completion once collections come in (GET
 * /api/v1/plans/:id/progress, when the API has it), prints the stop lists or downloads them as CSV.
 */
import type { Plan, PlanList, PlanProgress } from '../../../../shared/contracts/index.ts';
import { localDay } from '../../../../shared/units.ts';
import { allows } from '../../core/access.ts';
import { addDays, isDay } from '../../core/date-picker.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { plannerOf, routeViews, shiftTimes } from '../../core/plan-view.ts';
import { ApiError, describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, emptyState, errorState, loadingState, pageHeader } from '../widgets.ts';
import type { ViewMount } from './context.ts';
import { datePicker } from './date-picker.ts';
import { createPlanMap, type PlanMap } from './plans-map.ts';
import { routeCards, unassignedCard, vehicleLegend } from './plans-routes.ts';
import { exportFile } from '../save-file.ts';

/** Completion moves while the shift runs. */
const PROGRESS_REFRESH_MS = 60_000;
/** Plans are made for today or the week ahead. */
const DAYS_AHEAD = 7;

export const mountPlans: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t: I18n['t'] = (key, params) => i18n.t(key, params);
  document.title = t('page.title', { view: t('nav.plans') });
  const today = () => localDay(Date.now(), i18n.utcOffsetMinutes);
  const params = new URLSearchParams(query);
  let day = isDay(params.get('date') ?? '') ? params.get('date')! : today();
  let selectedId = params.get('plan') ?? undefined;
  let plans: Plan[] = [];
  let progress: PlanProgress | null = null;
  let loading = 0;
  let map: PlanMap | undefined;
  const canPlan = allows(ctx.access, 'plans:write');
  /** The district's collection shifts (PLAN_SHIFTS). */
  const SHIFTS = ctx.config.shifts;

  const picker = datePicker({ name: 'date', label: t('plans.day'), value: day, max: addDays(today(), DAYS_AHEAD), i18n, onChange: (next) => select(next, undefined) });
  const shiftSelect = h(
    'select',
    { name: 'shift', id: 'plans-shift' },
    SHIFTS.map((s, i) => h('option', { value: String(i) }, t('plans.shiftOption', s))),
  );
  const planButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'plan-shift', onclick: () => void planShift() }, t('plans.planShift'));
  const planNote = h('span', { class: 'muted small', role: 'status' });
  const controls = h(
    'form',
    { class: 'range-controls', onsubmit: (e: Event) => e.preventDefault() },
    picker.element,
    canPlan && [h('div', { class: 'range-field' }, h('label', { for: 'plans-shift' }, t('plans.shift')), shiftSelect), h('div', { class: 'plan-action' }, planButton, planNote)],
    canPlan && h('p', { class: 'muted small plan-help' }, t('plans.planHelp')),
  );

  const exportButton = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'export-csv', disabled: true, onclick: () => void exportCsv() }, t('plans.export'));
  const printButton = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'print', disabled: true, onclick: () => print(undefined) }, t('plans.print'));
  const exportNote = h('span', { class: 'muted small', role: 'status' });
  const listBody = h('div', { class: 'table-wrap' }, loadingState(t('plans.loading')));
  const listCard = card({ title: t('plans.list.title', { day: i18n.day(day, 'long') }), body: listBody, id: 'plan-list', class: 'no-print' });
  const mapEl = h('div', { class: 'plan-map', 'data-map': 'plan' });
  const mapCard = card({ title: t('plans.map.title'), subtitle: t('plans.map.subtitle'), body: mapEl, id: 'plan-map', class: 'no-print plan-map-card' });
  const routesEl = h('div', { class: 'plan-routes' });
  const legendEl = h('div', { class: 'plan-legend' });
  const view = h(
    'div',
    { class: 'plans-view' },
    pageHeader(t('plans.title'), t('plans.subtitle', { offset: i18n.offsetLabel }), exportNote, exportButton, printButton),
    card({ title: t('plans.day'), body: controls, class: 'card-controls no-print', id: 'plan-controls' }),
    h('div', { class: 'plans-grid' }, h('div', { class: 'plans-side' }, listCard, legendEl), mapCard),
    routesEl,
  );
  root.append(view);
  const afterPrint = () => delete view.dataset.printVehicle;
  window.addEventListener('afterprint', afterPrint);

  const plannerName = (createdBy: string): string => {
    const { name, role } = plannerOf(createdBy);
    return role === null ? name : t('plans.planner', { name, role: t(`role.${role}`) });
  };
  const selected = (): Plan | undefined => plans.find((p) => p.id === selectedId);

  function select(nextDay: string, planId: string | undefined): void {
    const dayChanged = nextDay !== day;
    day = nextDay;
    selectedId = planId;
    const q = new URLSearchParams({ date: day });
    if (planId) q.set('plan', planId);
    replaceQuery('plans', q.toString());
    if (dayChanged || planId === undefined) void load();
    else void showSelected();
  }

  async function load(): Promise<void> {
    const ticket = ++loading;
    picker.set(day);
    listCard.querySelector('h2')!.textContent = t('plans.list.title', { day: i18n.day(day, 'long') });
    try {
      const list = await ctx.api.get<PlanList>(`/api/v1/plans?date=${day}`);
      if (ticket !== loading) return;
      plans = list.items;
      // The newest plan of the day unless the URL names one.
      if (!selected()) selectedId = plans.at(-1)?.id;
      renderList();
      view.dataset.plans = 'loaded';
      await showSelected();
    } catch (error) {
      if (ticket !== loading) return;
      fill(listBody, errorState(i18n, describeError(error, i18n), () => void load()));
    }
  }

  function renderList(): void {
    if (plans.length === 0) {
      fill(listBody, emptyState(t('plans.list.none'), t(canPlan ? 'plans.list.noneWrite' : 'plans.list.noneRead')));
      return;
    }
    const headings = [t('plans.col.shift'), t('plans.col.created'), t('plans.col.vehicles'), t('plans.col.stops'), t('plans.col.km'), t('plans.col.kg')];
    fill(
      listBody,
      h(
        'table',
        { class: 'table table-compact table-nowrap', 'data-table': 'plans' },
        h('thead', null, h('tr', null, headings.map((text, i) => h('th', { class: i >= 2 ? 'num' : '' }, text)))),
        h(
          'tbody',
          null,
          plans.map((plan) => {
            const choose = () => select(day, plan.id);
            return h(
              'tr',
              { class: `is-clickable${plan.id === selectedId ? ' is-selected' : ''}`, 'data-plan': plan.id, tabindex: 0, onclick: choose, onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && choose() },
              h('td', null, t('plans.shiftOption', shiftTimes(plan, i18n.utcOffsetMinutes))),
              // The name in the cell, the role on hover: the list stays one line a plan at 1366 px.
              h('td', { class: 'small can-wrap', title: plannerName(plan.createdBy) }, t('plans.createdBy', { time: i18n.short(plan.createdAt, Date.now()), name: plannerOf(plan.createdBy).name })),
              h('td', { class: 'num' }, i18n.number(plan.totals.vehiclesUsed)),
              h('td', { class: 'num' }, i18n.number(plan.totals.stops)),
              h('td', { class: 'num' }, t('plans.km', { value: i18n.number(plan.totals.km, 1) })),
              h('td', { class: 'num' }, i18n.kg(plan.totals.kg, 0)),
            );
          }),
        ),
      ),
    );
  }

  async function showSelected(): Promise<void> {
    for (const row of listBody.querySelectorAll<HTMLElement>('tr[data-plan]')) row.classList.toggle('is-selected', row.dataset.plan === selectedId);
    const plan = selected();
    exportButton.disabled = printButton.disabled = plan === undefined;
    progress = null;
    render(plan);
    if (plan) await refreshProgress(plan);
  }

  /** Progress is optional: before the endpoint exists (404) or while it fails, the plan shows without it. */
  async function refreshProgress(plan: Plan): Promise<void> {
    const ticket = loading;
    try {
      const next = await ctx.api.get<PlanProgress>(`/api/v1/plans/${encodeURIComponent(plan.id)}/progress`);
      if (ticket !== loading || selectedId !== plan.id) return;
      progress = next;
      render(plan);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  function render(plan: Plan | undefined): void {
    if (!plan) {
      map?.show([]);
      fill(routesEl);
      fill(legendEl);
      delete view.dataset.plan;
      return;
    }
    view.dataset.plan = plan.id;
    const routes = routeViews(plan, progress);
    map ??= createPlanMap(mapEl, ctx.config, i18n);
    map.show(routes, plan.id);
    fill(legendEl, routes.length > 0 && vehicleLegend(routes, i18n, (id) => map?.focus(id)));
    fill(
      routesEl,
      routes.length === 0 ? emptyState(t('plans.noStops'), t('plans.map.subtitle')) : routeCards(plan, routes, i18n, { print, focus: (id) => map?.focus(id) }),
      unassignedCard(plan, i18n),
    );
  }

  /** Prints every stop list, or one vehicle's (the stylesheet hides the others and the map). */
  function print(vehicleId: string | undefined): void {
    if (vehicleId) view.dataset.printVehicle = vehicleId;
    else delete view.dataset.printVehicle;
    for (const wrap of routesEl.querySelectorAll<HTMLElement>('[data-route]')) wrap.classList.toggle('is-print-target', wrap.dataset.route === vehicleId);
    window.print();
  }

  async function planShift(): Promise<void> {
    const shift = SHIFTS[Number(shiftSelect.value)] ?? SHIFTS[0];
    planButton.disabled = true;
    planNote.textContent = t('plans.planning');
    try {
      const plan = await ctx.api.post<Plan>('/api/v1/plans', { date: day, shift });
      planNote.textContent = '';
      selectedId = plan.id;
      replaceQuery('plans', new URLSearchParams({ date: day, plan: plan.id }).toString());
      await load();
    } catch (error) {
      planNote.textContent = t('plans.planFailed', { reason: describeError(error, i18n) });
    } finally {
      planButton.disabled = false;
    }
  }

  async function exportCsv(): Promise<void> {
    const plan = selected();
    if (!plan) return;
    await exportFile({
      button: exportButton,
      note: exportNote,
      busy: t('plans.exporting'),
      failed: (error) => t('plans.exportFailed', { reason: describeError(error, i18n) }),
      download: () => ctx.api.download(`/api/v1/plans/${encodeURIComponent(plan.id)}/stops.csv?lang=${encodeURIComponent(i18n.locale)}`),
      fallbackName: 'binpulse-plan.csv',
    });
  }

  void load();
  const timer = setInterval(() => {
    const plan = selected();
    if (plan) void refreshProgress(plan);
  }, PROGRESS_REFRESH_MS);
  return {
    unmount() {
      clearInterval(timer);
      window.removeEventListener('afterprint', afterPrint);
      picker.destroy();
      map?.destroy();
      loading += 1;
    },
  };
};

/** #/health: the engineers' screen: every device's connectivity, power, signal and faults, filterable; dead letters. */
import type { Alert, DeviceWithState, Subdistrict } from '../../../../shared/contracts/index.ts';
import { allows } from '../../core/access.ts';
import {
  facetCounts,
  filterDevices,
  formatHealthFilter,
  healthCounts,
  LOW_BATTERY_PERCENT,
  parseHealthFilter,
  SIGNAL_FAIR_FROM_DBM,
  type HealthFilter,
} from '../../core/health.ts';
import { areaOutages, NO_OUTAGES, type AreaOutages } from '../../core/health-status.ts';
import { SUBDISTRICTS } from '../../../../shared/vocabulary.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, emptyState, errorState, kpi, loadingState, pageHeader, segmented } from '../widgets.ts';
import type { ViewContext, ViewMount } from './context.ts';
import { createDeadLetters } from './dead-letters.ts';
import { deviceTable } from './health-table.ts';

const PAGE_SIZE = 25;

/** The open area outages, and a key that changes only when they do (the board changes far more often). */
function outagesOf(ctx: ViewContext): { outages: AreaOutages; key: string } {
  if (!ctx.alerts) return { outages: NO_OUTAGES, key: '' };
  const open: Alert[] = ctx.alerts.board.list().filter((a) => a.type === 'area_outage');
  return { outages: areaOutages(open), key: open.map((a) => a.id).sort().join(',') };
}

export const mountHealth: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t = i18n.t.bind(i18n);
  document.title = t('page.title', { view: t('nav.health') });
  let filter: HealthFilter = parseHealthFilter(query);
  let page = 0;
  let typing: ReturnType<typeof setTimeout> | undefined;
  let outages = outagesOf(ctx);
  const updated = h('span', null, t('health.loadingFleet'));
  const kpis = h('div', { class: 'kpis' });
  const filters = h('div', { class: 'filters', 'data-filters': '' });
  const count = h('span', { class: 'card-count', 'data-count': '' });
  const tableBox = h('div', { class: 'table-wrap' });
  const pager = h('div', { class: 'pager' });
  const deadLetters = allows(ctx.access, 'deadletters:read') ? createDeadLetters(ctx) : undefined;

  root.append(
    pageHeader(t('nav.health'), h('span', null, t('health.subtitle'), ' · ', updated)),
    kpis,
    card({ title: t('health.devices'), subtitle: t('health.devicesSub'), actions: [count], body: [filters, tableBox, pager], id: 'devices' }),
  );
  if (deadLetters) root.append(deadLetters.element);
  fill(tableBox, loadingState(t('health.loadingDevices')));

  const setFilter = (next: HealthFilter) => {
    filter = next;
    page = 0;
    replaceQuery('health', formatHealthFilter(filter));
    render();
  };

  function renderFilters(devices: readonly DeviceWithState[]): void {
    const search = h('input', {
      type: 'search',
      name: 'q',
      placeholder: t('health.search'),
      value: filter.text ?? '',
      'aria-label': t('health.searchLabel'),
      oninput: (e: Event) => {
        clearTimeout(typing);
        const text = (e.target as HTMLInputElement).value;
        typing = setTimeout(() => setFilter({ ...filter, text }), 250);
      },
    });
    const subdistrict = h(
      'select',
      {
        name: 'subdistrict',
        'aria-label': t('health.filter.subdistrict'),
        onchange: (e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          const { subdistrict: _old, ...rest } = filter;
          setFilter(value ? { ...rest, subdistrict: value as Subdistrict } : rest);
        },
      },
      h('option', { value: '' }, t('health.filter.allSubdistricts')),
      SUBDISTRICTS.map((s) => h('option', { value: s, selected: filter.subdistrict === s }, t(`subdistrict.${s}`))),
    );
    const check = (key: 'faults' | 'lowBattery' | 'weakSignal', n: number) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: key, checked: filter[key] === true, onchange: (e: Event) => setFilter({ ...filter, [key]: (e.target as HTMLInputElement).checked || undefined }) }),
        t(`health.filter.${key}`),
        h('span', { class: 'count' }, i18n.number(n)),
      );
    const counts = facetCounts(devices, filter);
    const kind = segmented(
      [
        { value: 'all', label: t('health.filter.allKinds'), count: counts.kind.all },
        { value: 'box', label: t('health.filter.boxes'), count: counts.kind.box },
        { value: 'camera', label: t('health.filter.cameras'), count: counts.kind.camera },
        { value: 'scale', label: t('health.filter.scales'), count: counts.kind.scale },
      ],
      filter.kind ?? 'all',
      (value) => {
        const { kind: _old, ...rest } = filter;
        setFilter(value === 'all' ? rest : { ...rest, kind: value });
      },
      'kind',
      t('health.filter.kind'),
    );
    const status = segmented(
      [
        { value: 'all', label: t('health.filter.anyStatus'), count: counts.status.all },
        { value: 'online', label: t('health.online'), count: counts.status.online },
        { value: 'offline', label: t('health.offline'), count: counts.status.offline },
      ],
      filter.status ?? 'all',
      (value) => {
        const { status: _old, ...rest } = filter;
        setFilter(value === 'all' ? rest : { ...rest, status: value });
      },
      'status',
      t('health.filter.status'),
    );
    fill(
      filters,
      kind,
      status,
      subdistrict,
      check('faults', counts.faults),
      check('lowBattery', counts.lowBattery),
      check('weakSignal', counts.weakSignal),
      search,
    );
  }

  function renderKpis(devices: readonly DeviceWithState[]): void {
    const c = healthCounts(devices, outages.outages);
    const n = (value: number) => i18n.number(value);
    const offlineSplit = c.offlineBy.map(({ cause, count }) => t(`health.offlineBy.${cause}`, { count })).join(' · ');
    fill(
      kpis,
      kpi({
        id: 'online',
        label: t('health.kpi.online'),
        value: t('health.kpi.onlineValue', { online: c.online, total: c.total }),
        sub: t('health.kpi.onlineSub', { boxesOnline: c.boxes.online, boxes: c.boxes.total, camerasOnline: c.cameras.online, cameras: c.cameras.total }),
        tone: c.offline > 0 ? 'warn' : 'good',
      }),
      kpi({ id: 'offline', label: t('health.kpi.offline'), value: n(c.offline), sub: c.offline > 0 ? offlineSplit : t('health.kpi.offlineNone'), tone: c.offline > 0 ? 'bad' : 'good' }),
      kpi({ id: 'faults', label: t('health.kpi.faults'), value: n(c.withFaults), sub: t('health.kpi.faultsSub'), tone: c.withFaults > 0 ? 'warn' : 'good' }),
      kpi({ id: 'low-battery', label: t('health.kpi.lowBattery'), value: n(c.lowBattery), sub: t('health.kpi.lowBatterySub', { percent: i18n.percent(LOW_BATTERY_PERCENT / 100) }), tone: c.lowBattery > 0 ? 'warn' : 'good' }),
      kpi({
        id: 'weak-signal',
        label: t('health.kpi.weakSignal'),
        value: n(c.weakSignal),
        sub: t('health.kpi.weakSignalSub', { threshold: t('unit.dbm', { value: SIGNAL_FAIR_FROM_DBM }) }),
        tone: c.weakSignal > 0 ? 'warn' : 'good',
        data: { count: String(c.weakSignal) },
      }),
      kpi({ id: 'streams', label: t('health.kpi.streams'), value: n(c.cameras.streamDown), sub: t('health.kpi.streamsSub', { count: c.cameras.online }), tone: c.cameras.streamDown > 0 ? 'bad' : 'good' }),
    );
  }

  function renderUpdated(fetchedAt: number, error: string | null): void {
    const params = { time: i18n.time(fetchedAt), offset: i18n.offsetLabel };
    updated.textContent = error ? t('health.refreshFailed', { ...params, error }) : t('time.updated', params);
  }

  function render(): void {
    const snapshot = ctx.fleet.snapshot;
    if (snapshot.fetchedAt === 0) {
      if (snapshot.error !== null) fill(tableBox, errorState(i18n, snapshot.error, () => void ctx.fleet.refresh()));
      return;
    }
    renderUpdated(snapshot.fetchedAt, snapshot.error);
    renderKpis(snapshot.devices);
    // Not while someone is typing in the search box: a redraw would take the input from under them.
    const typingNow = document.activeElement instanceof HTMLInputElement && document.activeElement.name === 'q';
    if (!typingNow || filters.childElementCount === 0) renderFilters(snapshot.devices);
    const shown = filterDevices(snapshot.devices, filter);
    count.textContent = t('health.devicesCount', { shown: shown.length, count: snapshot.devices.length });
    count.dataset.count = String(shown.length);
    if (shown.length === 0) {
      fill(tableBox, emptyState(t('health.empty'), t('health.emptyText')));
      fill(pager);
      return;
    }
    const pages = Math.ceil(shown.length / PAGE_SIZE);
    page = Math.min(page, pages - 1);
    fill(tableBox, deviceTable(shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), outages.outages, Date.now(), i18n));
    fill(
      pager,
      h('span', null, t('health.pager', { from: page * PAGE_SIZE + 1, to: Math.min(shown.length, (page + 1) * PAGE_SIZE), total: shown.length })),
      h('button', { type: 'button', class: 'btn btn-small btn-secondary', disabled: page === 0, onclick: () => { page -= 1; render(); } }, t('health.previous')),
      h('button', { type: 'button', class: 'btn btn-small btn-secondary', disabled: page >= pages - 1, onclick: () => { page += 1; render(); } }, t('health.next')),
    );
  }

  const unsubscribe = ctx.fleet.subscribe(() => render());
  // An area outage opening or clearing changes the reason shown for its devices.
  const unsubscribeAlerts = ctx.alerts?.subscribe(() => {
    const next = outagesOf(ctx);
    if (next.key === outages.key) return;
    outages = next;
    render();
  });
  deadLetters?.start();
  return {
    unmount() {
      unsubscribe();
      unsubscribeAlerts?.();
      clearTimeout(typing);
      deadLetters?.stop();
    },
  };
};

/**
 * #/operations: the recycling operators' screen. Compact KPIs over three panes that fit a
 * 1366×768 office screen without scrolling: the fill-level map, the boxes to empty beside it
 * (scrolling inside its card) and the live alerts.
 */
import { alertFilterQuery, parseAlertFilter } from '../../core/alerts-board.ts';
import { boxesToEmpty } from '../../core/boxes-to-empty.ts';
import { TO_EMPTY_THRESHOLD } from '../../core/fill-scale.ts';
import type { FleetSnapshot } from '../fleet-feed.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, errorState, kpi, pageHeader, type Tone } from '../widgets.ts';
import { createAlertsPanel } from './alerts-panel.ts';
import type { ViewMount } from './context.ts';
import { createOpsMap, mapLegend } from './ops-map.ts';
import { createToEmptyTable } from './to-empty.ts';

export const mountOperations: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t = i18n.t.bind(i18n);
  document.title = t('page.title', { view: t('nav.operations') });
  const updated = h('span', { 'data-updated': '' }, t('ops.loadingFleet'));
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  const kpis = h('div', { class: 'kpis ops-kpis' });
  const mapBox = h('div', { class: 'map', 'data-map': 'operations' });
  const mapCount = h('span', { class: 'card-count' });
  const mapCard = card({ title: t('ops.map.title'), subtitle: t('ops.map.subtitle'), actions: [mapCount], body: [mapBox, mapLegend(i18n)], class: 'map-card', id: 'map' });
  let map: ReturnType<typeof createOpsMap> | undefined;
  const alerts = ctx.alerts
    ? createAlertsPanel(ctx, {
        filter: parseAlertFilter(query, ctx.me.role),
        onFilter: (filter) => replaceQuery('operations', alertFilterQuery(filter, ctx.me.role)),
        onLocate: (id) => map?.focus(id),
      })
    : undefined;
  const toEmpty = createToEmptyTable({ i18n, api: ctx.api, onSelect: (id) => map?.focus(id) });

  root.append(
    h(
      'div',
      { class: 'ops' },
      pageHeader(t('ops.title'), h('span', null, t('ops.subtitle'), ' · ', updated)),
      banner,
      kpis,
      h('div', { class: `ops-grid${alerts ? '' : ' no-alerts'}` }, mapCard, toEmpty.element, alerts?.element),
    ),
  );
  map = createOpsMap(mapBox, ctx.config, i18n);

  function renderKpis(snapshot: FleetSnapshot): void {
    const summary = snapshot.summary;
    const due = boxesToEmpty(snapshot.devices).length;
    const counts = ctx.alerts?.board.counts();
    const boxes = snapshot.devices.filter((d) => d.kind === 'box');
    const cameras = snapshot.devices.filter((d) => d.kind === 'camera');
    const onlineKpi = (id: string, label: string, list: typeof boxes) => {
      const online = list.filter((d) => d.state.online).length;
      const tone: Tone = online < list.length ? 'warn' : 'good';
      return kpi({ id, label, value: t('ops.kpi.ofTotal', { value: online, total: list.length }), sub: t('ops.kpi.offline', { count: list.length - online }), tone });
    };
    const kg = summary?.depositedKgToday;
    fill(
      kpis,
      kpi({
        id: 'to-empty',
        label: t('ops.kpi.toEmpty'),
        value: i18n.number(due),
        sub: t('ops.kpi.toEmptySub', { percent: i18n.percent(TO_EMPTY_THRESHOLD) }),
        tone: due > 0 ? 'bad' : 'good',
        data: { value: String(due) },
      }),
      counts &&
        kpi({
          id: 'alerts',
          label: t('ops.kpi.alerts'),
          value: i18n.number(counts.total),
          sub: t('ops.kpi.alertsSub', { critical: counts.critical, warning: counts.warning, info: counts.info }),
          tone: counts.critical > 0 ? 'bad' : counts.warning > 0 ? 'warn' : 'good',
        }),
      onlineKpi('boxes-online', t('ops.kpi.boxesOnline'), boxes),
      onlineKpi('cameras-online', t('ops.kpi.camerasOnline'), cameras),
      kpi({
        id: 'deposited-today',
        label: t('ops.kpi.recycledToday'),
        value: kg == null ? '–' : i18n.tonnes(kg),
        sub: kg == null && summary ? t('ops.kpi.storeUnavailable') : t('ops.kpi.sinceMidnight', { offset: i18n.offsetLabel }),
        tone: 'info',
      }),
    );
  }

  const unsubscribeFleet = ctx.fleet.subscribe((snapshot) => {
    banner.hidden = snapshot.error === null;
    if (snapshot.error !== null && snapshot.fetchedAt === 0) {
      fill(kpis);
      fill(banner, errorState(i18n, snapshot.error, () => void ctx.fleet.refresh()));
      return;
    }
    banner.textContent = snapshot.error === null ? '' : t('ops.staleData', { time: i18n.time(snapshot.fetchedAt), error: snapshot.error });
    updated.textContent = t('time.updated', { time: i18n.time(snapshot.fetchedAt), offset: i18n.offsetLabel });
    const boxes = snapshot.devices.filter((d) => d.kind === 'box').length;
    mapCount.textContent = t('ops.map.count', { boxes: t('ops.map.boxes', { count: boxes }), cameras: t('ops.map.cameras', { count: snapshot.devices.length - boxes }) });
    renderKpis(snapshot);
    map?.update(snapshot.devices);
    toEmpty.update(snapshot.devices);
  });
  const unsubscribeAlerts = ctx.alerts?.subscribe(() => {
    alerts?.render();
    if (ctx.fleet.snapshot.fetchedAt > 0) renderKpis(ctx.fleet.snapshot);
  });

  return {
    unmount() {
      unsubscribeFleet();
      unsubscribeAlerts?.();
      map?.destroy();
    },
  };
};

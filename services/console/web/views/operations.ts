/** #/operations: the recycling operators' screen: KPIs, the fill-level map, live alerts, boxes to empty. */
import { boxesToEmpty } from '../../core/boxes-to-empty.ts';
import { formatTime, offsetLabel } from '../../core/district-time.ts';
import { formatTonnes } from '../../core/tonnage-chart.ts';
import type { FleetSnapshot } from '../fleet-feed.ts';
import { fill, h } from '../dom.ts';
import { card, errorState, kpi, pageHeader } from '../widgets.ts';
import { createAlertsPanel } from './alerts-panel.ts';
import type { ViewMount } from './context.ts';
import { createOpsMap, mapLegend } from './ops-map.ts';
import { createToEmptyTable } from './to-empty.ts';

export const mountOperations: ViewMount = (root, ctx) => {
  document.title = 'Operations · BinPulse';
  const offset = ctx.config.utcOffsetMinutes;
  const updated = h('span', { 'data-updated': '' }, 'Loading the fleet…');
  const banner = h('div', { class: 'banner', role: 'alert', hidden: true });
  const kpis = h('div', { class: 'kpis' });
  const mapBox = h('div', { class: 'map', 'data-map': 'operations' });
  const mapCount = h('span', { class: 'card-count' });
  const mapCard = card({ title: 'Boxes by fill level', subtitle: 'Colour of the fullest compartment; click a marker for details', actions: [mapCount], body: [mapBox, mapLegend()], class: 'map-card', id: 'map' });
  const alerts = ctx.alerts ? createAlertsPanel(ctx) : undefined;
  let map: ReturnType<typeof createOpsMap> | undefined;
  const toEmpty = createToEmptyTable({ utcOffsetMinutes: offset, onSelect: (id) => map?.focus(id) });

  root.append(
    pageHeader('Recycling operations', h('span', null, 'Fill levels, live alerts and the boxes to empty · ', updated)),
    banner,
    kpis,
    h('div', { class: 'ops-grid' }, mapCard, alerts?.element),
    toEmpty.element,
  );
  map = createOpsMap(mapBox, ctx.config);

  function renderKpis(snapshot: FleetSnapshot): void {
    const summary = snapshot.summary;
    const due = boxesToEmpty(snapshot.devices).length;
    const counts = ctx.alerts?.board.counts();
    const boxes = snapshot.devices.filter((d) => d.kind === 'box');
    const cameras = snapshot.devices.filter((d) => d.kind === 'camera');
    const online = (list: typeof boxes) => list.filter((d) => d.state.online).length;
    fill(
      kpis,
      kpi({ id: 'to-empty', label: 'Boxes to empty', value: String(due), sub: 'a compartment at 90 % or more', tone: due > 0 ? 'bad' : 'good', data: { value: String(due) } }),
      counts &&
        kpi({
          id: 'alerts',
          label: 'Open alerts',
          value: String(counts.total),
          sub: `${counts.critical} critical · ${counts.warning} warning · ${counts.info} info`,
          tone: counts.critical > 0 ? 'bad' : counts.warning > 0 ? 'warn' : 'good',
        }),
      kpi({ id: 'boxes-online', label: 'Boxes online', value: `${online(boxes)} / ${boxes.length}`, sub: `${boxes.length - online(boxes)} offline`, tone: online(boxes) < boxes.length ? 'warn' : 'good' }),
      kpi({ id: 'cameras-online', label: 'Camera points online', value: `${online(cameras)} / ${cameras.length}`, sub: `${cameras.length - online(cameras)} offline`, tone: online(cameras) < cameras.length ? 'warn' : 'good' }),
      kpi({
        id: 'deposited-today',
        label: 'Recycled today',
        value: summary?.depositedKgToday == null ? '–' : formatTonnes(summary.depositedKgToday),
        sub: summary?.depositedKgToday == null && summary ? 'time-series store unavailable' : `since 00:00 ${offsetLabel(offset)}`,
        tone: 'info',
      }),
    );
  }

  const unsubscribeFleet = ctx.fleet.subscribe((snapshot) => {
    banner.hidden = snapshot.error === null;
    if (snapshot.error !== null && snapshot.fetchedAt === 0) {
      fill(kpis);
      fill(banner, errorState(snapshot.error, () => void ctx.fleet.refresh()));
      return;
    }
    banner.textContent = snapshot.error === null ? '' : `Showing data from ${formatTime(snapshot.fetchedAt, offset)}: ${snapshot.error}`;
    updated.textContent = `updated ${formatTime(snapshot.fetchedAt, offset)} ${offsetLabel(offset)}, every 15 s`;
    mapCount.textContent = `${snapshot.devices.filter((d) => d.kind === 'box').length} boxes · ${snapshot.devices.filter((d) => d.kind === 'camera').length} camera points`;
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

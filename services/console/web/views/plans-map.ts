/**
 * The plan's routes on a map: each vehicle's stops joined in driving order by a line in its own
 * colour (core/plan-view.ts), with numbered stop markers, from its transfer station (a square
 * marker) and back; a plan made before routes named their depot starts at its first stop. Each
 * line is an SVG path with class `bp-route` and `data-vehicle`, so a test counts the routes drawn.
 */
import * as L from 'leaflet';
import type { I18n } from '../../core/i18n/translator.ts';
import type { ConsoleConfig } from '../../core/page.ts';
import { clockTime, type RouteView } from '../../core/plan-view.ts';
import { escapeHtml, h } from '../dom.ts';

export interface PlanMap {
  /** Draws the routes; fits the map to them when `planId` differs from the last shown (a progress refresh keeps the user's zoom). */
  show(routes: readonly RouteView[], planId?: string): void;
  /** Brings one vehicle's route to the front and fits the map to it. */
  focus(vehicleId: string): void;
  destroy(): void;
}

export function createPlanMap(container: HTMLElement, config: ConsoleConfig, i18n: I18n): PlanMap {
  const map = L.map(container, { zoomSnap: 0.25, minZoom: 10, maxZoom: 18, zoomControl: false, attributionControl: config.tileUrl !== null });
  container.setAttribute('aria-label', i18n.t('plans.map.label'));
  L.control.zoom({ zoomInTitle: i18n.t('ops.map.zoomIn'), zoomOutTitle: i18n.t('ops.map.zoomOut') }).addTo(map);
  if (config.tileUrl !== null) {
    const host = /^https?:\/\/([^/]+)/.exec(config.tileUrl)?.[1]?.replaceAll('{s}.', '') ?? i18n.t('ops.map.tileServer');
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: escapeHtml(i18n.t('ops.map.attribution', { host })) }).addTo(map);
  } else {
    container.classList.add('no-tiles');
  }
  const layers = L.layerGroup().addTo(map);
  const lines = new Map<string, L.Polyline>();
  let shownPlan: string | undefined;

  function stopIcon(sequence: number, colour: string, ink: string): L.DivIcon {
    const body = h('span', { class: 'bp-stop-body', style: { background: colour, color: ink } }, String(sequence));
    return L.divIcon({ className: 'bp-stop', html: body, iconSize: [20, 20], iconAnchor: [10, 10] });
  }

  /** One square per transfer station, however many routes start there. */
  function depotMarker(depotId: string, depot: { name: string; position: { lat: number; lon: number } }): L.Marker {
    const icon = L.divIcon({ className: 'bp-depot', html: h('span', { class: 'bp-depot-body' }, i18n.t('plans.depotMark')), iconSize: [20, 20], iconAnchor: [10, 10] });
    const marker = L.marker([depot.position.lat, depot.position.lon], { icon, title: i18n.t('plans.depotTitle', { name: depot.name }), keyboard: false });
    marker.on('add', () => marker.getElement()?.setAttribute('data-depot', depotId));
    return marker;
  }

  return {
    show(routes, planId) {
      layers.clearLayers();
      lines.clear();
      const all: L.LatLngExpression[] = [];
      const depots = new Set<string>();
      for (const view of routes) {
        const { depot, depotId } = view.route;
        const home = depot === undefined ? [] : [[depot.position.lat, depot.position.lon] as [number, number]];
        const points = [...home, ...view.stops.map(({ stop }) => [stop.position.lat, stop.position.lon] as [number, number]), ...home];
        all.push(...points);
        if (depot !== undefined && !depots.has(depotId)) {
          depots.add(depotId);
          depotMarker(depotId, depot).addTo(layers);
        }
        const line = L.polyline(points, { color: view.colour, weight: 4, opacity: 0.85, ...(view.dash && { dashArray: view.dash }), className: 'bp-route' }).addTo(layers);
        line.getElement()?.setAttribute('data-vehicle', view.route.vehicleId);
        // An element: a string tooltip is HTML to Leaflet.
        line.bindTooltip(h('span', null, `${view.route.plate} · ${view.route.vehicleId}`), { sticky: true });
        lines.set(view.route.vehicleId, line);
        for (const { stop } of view.stops) {
          L.marker([stop.position.lat, stop.position.lon], {
            icon: stopIcon(stop.sequence, view.colour, view.ink),
            title: i18n.t('plans.stopTitle', { sequence: String(stop.sequence), name: stop.name, eta: clockTime(stop.eta, i18n.utcOffsetMinutes) }),
            keyboard: false,
          }).addTo(layers);
        }
      }
      if (all.length > 0 && planId !== shownPlan) map.fitBounds(L.latLngBounds(all), { padding: [24, 24], animate: false });
      shownPlan = planId;
    },
    focus(vehicleId) {
      const line = lines.get(vehicleId);
      if (!line) return;
      line.bringToFront();
      map.fitBounds(line.getBounds(), { padding: [32, 32], animate: false });
      container.scrollIntoView({ block: 'nearest' });
    },
    destroy() {
      map.remove();
    },
  };
}

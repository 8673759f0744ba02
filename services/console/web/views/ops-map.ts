/**
 * The operators' map: every box as a circle coloured by its fullest compartment, every camera
 * point as a ring. Markers that would overlap are drawn as one group (core/map-layout.ts:
 * clusterPoints), coloured by its fullest box; the subdistrict names sit in their own pane above
 * the markers and are moved off them (placeLabels). Tiles only when CONSOLE_TILE_URL is set;
 * without them (offline, the default) the map draws the subdistricts from the devices' positions.
 */
import * as L from 'leaflet';
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import { FILL_BANDS, fillBand, fillText, TO_EMPTY_THRESHOLD } from '../../core/fill-scale.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { clusterPoints, markerPriority, placeLabels, subdistrictAreas, summariseCluster, type LabelBox, type Obstacle, type ScreenCluster } from '../../core/map-layout.ts';
import type { ConsoleConfig } from '../../core/page.ts';
import { escapeHtml, h } from '../dom.ts';
import { devicePopup } from './popups.ts';

export interface OpsMap {
  update(devices: readonly DeviceWithState[]): void;
  /** Centres a device and opens its popup (from the boxes-to-empty list or an alert). */
  focus(deviceId: string): void;
  destroy(): void;
}

const CAMERA_COLOUR = '#4c5fd5';
const OFFLINE_STROKE = '#46515c';
/** Markers closer than this (screen pixels) are grouped: a group's icon is about this wide. */
const CLUSTER_RADIUS_PX = 28;
/** From this zoom on every device is drawn on its own (a street: the operator wants each box). */
const CLUSTER_OFF_ZOOM = 17;
const MAX_ZOOM = 18;
const LABEL_PANE = 'bp-labels';

type Entry = { marker: L.CircleMarker; device: DeviceWithState };

function markerStyle(device: DeviceWithState): L.CircleMarkerOptions {
  const online = device.state.online;
  if (device.kind === 'camera') {
    return { radius: 6.5, color: online ? CAMERA_COLOUR : '#8a94a0', weight: 2.5, fillColor: '#ffffff', fillOpacity: 1, dashArray: online ? '' : '3 2' };
  }
  const level = device.state.maxFillingLevel;
  const band = fillBand(level, device.state.compartments.some((c) => c.overflow === true));
  return {
    radius: level !== null && level >= TO_EMPTY_THRESHOLD ? 7.5 : 6,
    fillColor: band.colour,
    fillOpacity: online ? 0.95 : 0.5,
    color: online ? '#ffffff' : OFFLINE_STROKE,
    weight: online ? 1.2 : 1.6,
    dashArray: online ? '' : '2 2',
  };
}

/** Leaflet's metric scale, with the unit in the user's language ("500 m" / "500 米"). */
function scaleControl(i18n: I18n): L.Control {
  const Scale = L.Control.Scale.extend({
    _updateMetric(this: { _getRoundNum(n: number): number; _updateScale(el: HTMLElement, text: string, ratio: number): void; _mScale: HTMLElement }, maxMeters: number) {
      const meters = this._getRoundNum(maxMeters);
      const text = meters < 1000 ? i18n.t('ops.map.scaleMetres', { value: meters }) : i18n.t('ops.map.scaleKilometres', { value: meters / 1000 });
      this._updateScale(this._mScale, text, meters / maxMeters);
    },
  });
  return new (Scale as unknown as typeof L.Control.Scale)({ imperial: false, position: 'bottomright' });
}

/** The icon of a group: its device count on the colour of its fullest box (a ring for camera points only). */
function clusterIcon(devices: readonly DeviceWithState[], i18n: I18n): { icon: L.DivIcon; tooltip: HTMLElement } {
  const summary = summariseCluster(devices, TO_EMPTY_THRESHOLD);
  const size = devices.length < 10 ? 24 : devices.length < 50 ? 28 : 32;
  const band = summary.boxes === 0 ? undefined : fillBand(summary.fullest?.level ?? null, summary.fullest?.overflow ?? false);
  const lines = [
    i18n.t('ops.cluster.devices', { count: devices.length }),
    summary.boxes > 0 && (summary.fullest ? i18n.t('ops.cluster.fullest', { fill: fillText(summary.fullest.level, summary.fullest.overflow, i18n) }) : i18n.t('ops.cluster.noReading')),
    summary.due > 0 && i18n.t('ops.cluster.due', { count: summary.due }),
    summary.cameras > 0 && i18n.t('ops.cluster.cameras', { count: summary.cameras }),
    i18n.t('ops.cluster.zoom'),
  ].filter((line): line is string => typeof line === 'string');
  const body = h(
    'span',
    {
      class: `bp-cluster-body${band ? '' : ' is-cameras'}${summary.due > 0 ? ' is-due' : ''}`,
      style: band ? { background: band.colour, color: band.ink, width: `${size}px`, height: `${size}px` } : { width: `${size}px`, height: `${size}px` },
      'aria-label': lines.join(' · '),
      'data-cluster': '',
      'data-count': String(devices.length),
      'data-boxes': String(summary.boxes),
      'data-fullest': summary.fullest === null ? '' : String(summary.fullest.level),
    },
    i18n.number(devices.length),
  );
  return {
    icon: L.divIcon({ className: 'bp-cluster', html: body, iconSize: [size, size], iconAnchor: [size / 2, size / 2] }),
    tooltip: h('div', { class: 'bp-cluster-tip' }, lines.map((line) => h('div', null, line))),
  };
}

export function createOpsMap(container: HTMLElement, config: ConsoleConfig, i18n: I18n): OpsMap {
  const map = L.map(container, { zoomSnap: 0.25, minZoom: 10, maxZoom: MAX_ZOOM, zoomControl: false, attributionControl: config.tileUrl !== null });
  container.setAttribute('aria-label', i18n.t('ops.map.label'));
  L.control.zoom({ zoomInTitle: i18n.t('ops.map.zoomIn'), zoomOutTitle: i18n.t('ops.map.zoomOut') }).addTo(map);
  if (config.tileUrl !== null) {
    const host = /^https?:\/\/([^/]+)/.exec(config.tileUrl)?.[1]?.replaceAll('{s}.', '') ?? i18n.t('ops.map.tileServer');
    // Leaflet takes the attribution as HTML only: the host comes from configuration, so it is escaped.
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: escapeHtml(i18n.t('ops.map.attribution', { host })) }).addTo(map);
  } else {
    container.classList.add('no-tiles');
  }
  scaleControl(i18n).addTo(map);
  // Above the markers and groups, below tooltips and popups; never catches a click.
  map.createPane(LABEL_PANE).style.zIndex = '620';

  const areas = L.layerGroup().addTo(map);
  const singles = L.layerGroup().addTo(map);
  const groups = L.layerGroup().addTo(map);
  const markers = new Map<string, Entry>();
  const labels: { marker: L.Marker; centre: L.LatLng; id: string }[] = [];
  /** The device whose popup is open stays on its own marker. */
  const isolated = new Set<string>();
  let framed = false;
  /** What the labels keep off: the markers and groups of the last regrouping (screen pixels). */
  let lastObstacles: Obstacle[] = [];

  function drawAreas(devices: readonly DeviceWithState[]): void {
    const tiles = config.tileUrl !== null;
    for (const area of subdistrictAreas(devices)) {
      if (area.outline.length >= 3) {
        L.polygon(area.outline.map((p) => [p.lat, p.lon] as [number, number]), {
          color: '#97a8b6', weight: 1.2, dashArray: '5 4', fillColor: '#f8fafb', fillOpacity: tiles ? 0.08 : 0.9, interactive: false,
        }).addTo(areas);
      }
      const centre = L.latLng(area.centre.lat, area.centre.lon);
      // iconSize undefined: the label takes its text's size (CSS centres it on the point).
      const label = h('span', { 'data-area': area.subdistrict }, i18n.t(`subdistrict.${area.subdistrict}`));
      const marker = L.marker(centre, {
        pane: LABEL_PANE,
        icon: L.divIcon({ className: 'bp-area-label', html: label, iconSize: undefined }),
        interactive: false,
        keyboard: false,
      }).addTo(areas);
      labels.push({ marker, centre, id: area.subdistrict });
    }
  }

  function addGroup(cluster: ScreenCluster<Entry>): Obstacle {
    const devices = cluster.members.map((m) => m.device);
    const { icon, tooltip } = clusterIcon(devices, i18n);
    const bounds = L.latLngBounds(devices.map((d) => [d.lat, d.lon] as [number, number]));
    L.marker(cluster.members[0]!.marker.getLatLng(), { icon, riseOnHover: true, keyboard: true })
      .bindTooltip(tooltip, { direction: 'top', offset: [0, -14] })
      .on('click', () => map.fitBounds(bounds, { padding: [48, 48], maxZoom: CLUSTER_OFF_ZOOM }))
      .addTo(groups);
    return { x: cluster.x, y: cluster.y, radius: ((icon.options.iconSize as L.PointTuple)[0] ?? 28) / 2 + 3 };
  }

  /** Regroups the markers for the current zoom and moves the labels off them. */
  function regroup(): void {
    if (!framed) return;
    const zoom = map.getZoom();
    const points = [...markers.entries()].map(([id, entry]) => {
      const p = map.project(entry.marker.getLatLng(), zoom);
      return { id, x: p.x, y: p.y, item: entry };
    });
    const radius = zoom >= CLUSTER_OFF_ZOOM ? 0 : CLUSTER_RADIUS_PX;
    const result = clusterPoints(points, radius, { priority: (entry) => markerPriority(entry.device), isolated });
    const shown = new Set(result.singles.map((s) => s.id));
    for (const [id, entry] of markers) {
      if (shown.has(id)) {
        if (!singles.hasLayer(entry.marker)) singles.addLayer(entry.marker);
      } else if (singles.hasLayer(entry.marker)) {
        singles.removeLayer(entry.marker);
      }
    }
    // The fullest boxes on top, where an operator's eye goes; camera points (small rings) above all.
    const bottomUp = [...result.singles].sort((a, b) => Number(a.item.device.kind === 'camera') - Number(b.item.device.kind === 'camera') || markerPriority(a.item.device) - markerPriority(b.item.device));
    for (const single of bottomUp) single.item.marker.bringToFront();
    groups.clearLayers();
    const obstacles: Obstacle[] = result.singles.map((s) => ({ x: s.x, y: s.y, radius: (s.item.marker.options.radius ?? 6) + 2 }));
    for (const cluster of result.clusters) obstacles.push(addGroup(cluster));
    lastObstacles = obstacles;
    placeAreaLabels();
    container.dataset.singles = String(result.singles.length);
    container.dataset.clusters = String(result.clusters.length);
  }

  /** Puts each subdistrict name near its centre, off the markers and groups, inside the visible map. */
  function placeAreaLabels(): void {
    const zoom = map.getZoom();
    const boxes: LabelBox[] = labels.map(({ marker, centre, id }) => {
      const inner = marker.getElement()?.firstElementChild as HTMLElement | null;
      const p = map.project(centre, zoom);
      return { id, x: p.x, y: p.y, width: (inner?.offsetWidth ?? 70) + 6, height: (inner?.offsetHeight ?? 18) + 4 };
    });
    const view = map.getPixelBounds();
    const margin = 4;
    const within = { left: view.min!.x + margin, top: view.min!.y + margin, right: view.max!.x - margin, bottom: view.max!.y - margin };
    const placed = placeLabels(boxes, lastObstacles, { within });
    placed.forEach((box, i) => labels[i]!.marker.setLatLng(map.unproject([box.x, box.y], zoom)));
  }

  function update(fleet: readonly DeviceWithState[]): void {
    // The operations map is the collection fleet's: boxes and camera points. Weighbridges stand at
    // transfer stations and the sorting centre (the mass-balance view is theirs).
    const devices = fleet.filter((d) => d.kind === 'box' || d.kind === 'camera');
    if (!framed && devices.length > 0) {
      drawAreas(devices);
      map.fitBounds(L.latLngBounds(devices.map((d) => [d.lat, d.lon] as [number, number])), { padding: [24, 24], animate: false });
      framed = true;
    }
    const seen = new Set<string>();
    for (const device of devices) {
      seen.add(device.id);
      const known = markers.get(device.id);
      if (known) {
        known.device = device;
        known.marker.setStyle(markerStyle(device));
        continue;
      }
      const entry: Entry = {
        device,
        marker: L.circleMarker([device.lat, device.lon], { ...markerStyle(device), className: `bp-marker bp-marker-${device.kind}` }),
      };
      entry.marker.bindPopup(() => devicePopup(entry.device, i18n), {
        minWidth: 280,
        maxWidth: 340,
        maxHeight: Math.max(220, container.clientHeight - 80),
        // Room for the zoom buttons at the top left; the popup pans into view whole, title first.
        autoPanPaddingTopLeft: [56, 16],
        autoPanPaddingBottomRight: [16, 16],
      });
      // An element, not a string: Leaflet puts a string tooltip in as HTML, and the name is anyone's text.
      entry.marker.bindTooltip(() => h('span', null, entry.device.name), { direction: 'top', offset: [0, -6] });
      // Leaflet draws a new path element each time the marker is added back after grouping.
      entry.marker.on('add', () => entry.marker.getElement()?.setAttribute('data-device', device.id));
      entry.marker.on('popupopen', () => isolated.add(device.id));
      entry.marker.on('popupclose', () => isolated.delete(device.id));
      markers.set(device.id, entry);
    }
    for (const [id, entry] of markers) {
      if (seen.has(id)) continue;
      singles.removeLayer(entry.marker);
      markers.delete(id);
    }
    container.dataset.boxes = String(devices.filter((d) => d.kind === 'box').length);
    container.dataset.cameras = String(devices.filter((d) => d.kind === 'camera').length);
    regroup();
  }

  map.on('zoomend', regroup);
  // Panning moves no marker, but may push a label out of view.
  map.on('moveend', placeAreaLabels);

  return {
    update,
    focus(deviceId) {
      const entry = markers.get(deviceId);
      if (!entry) return;
      isolated.add(deviceId);
      // Without animation the view is final before the popup opens, so its auto-pan is right.
      map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 16), { animate: false });
      regroup();
      entry.marker.openPopup();
      container.scrollIntoView({ block: 'nearest' });
    },
    destroy() {
      map.remove();
    },
  };
}

/** The legend under the map: the fill bands, groups, the camera ring, the offline outline. */
export function mapLegend(i18n: I18n): HTMLElement {
  const dot = (colour: string, extra = '') => h('span', { class: `legend-dot ${extra}`, style: { background: colour } });
  return h(
    'div',
    { class: 'legend', 'aria-label': i18n.t('ops.legend.label') },
    h('span', { class: 'legend-title' }, i18n.t('ops.legend.title')),
    FILL_BANDS.map((band) => h('span', { class: 'legend-item', 'data-band': band.key }, dot(band.colour), i18n.t(`fillBand.${band.key}`))),
    h('span', { class: 'legend-sep' }),
    h('span', { class: 'legend-item' }, h('span', { class: 'legend-cluster' }, i18n.number(12)), i18n.t('ops.legend.cluster')),
    h('span', { class: 'legend-item' }, h('span', { class: 'legend-ring' }), i18n.t('ops.legend.camera')),
    h('span', { class: 'legend-item' }, dot('#c6ccd2', 'legend-offline'), i18n.t('ops.legend.offline')),
  );
}

/**
 * The operators' map: every box as a circle coloured by its fullest compartment, every camera
 * point as a ring. Tiles only when CONSOLE_TILE_URL is set; without them (offline, the default)
 * the map draws the district and its subdistricts from the devices' own positions.
 */
import * as L from 'leaflet';
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import { fillBand, FILL_BANDS } from '../../core/fill-scale.ts';
import { subdistrictEnglish, subdistrictName } from '../../core/labels.ts';
import { subdistrictAreas } from '../../core/map-layout.ts';
import type { ConsoleConfig } from '../../core/page.ts';
import { h } from '../dom.ts';
import { devicePopup } from './popups.ts';

export interface OpsMap {
  update(devices: readonly DeviceWithState[]): void;
  /** Centres a device and opens its popup (from the boxes-to-empty list). */
  focus(deviceId: string): void;
  destroy(): void;
}

const CAMERA_COLOUR = '#4c5fd5';
const OFFLINE_STROKE = '#46515c';

function overflowing(device: DeviceWithState): boolean {
  return device.state.compartments.some((c) => c.overflow === true);
}

function markerStyle(device: DeviceWithState): L.CircleMarkerOptions {
  const online = device.state.online;
  if (device.kind === 'camera') {
    return { radius: 6.5, color: online ? CAMERA_COLOUR : '#8a94a0', weight: 2.5, fillColor: '#ffffff', fillOpacity: 1, dashArray: online ? undefined : '3 2' };
  }
  const level = device.state.maxFillingLevel;
  const band = fillBand(level, overflowing(device));
  return {
    radius: level !== null && level >= 0.9 ? 7.5 : 6,
    fillColor: band.colour,
    fillOpacity: online ? 0.95 : 0.5,
    color: online ? '#ffffff' : OFFLINE_STROKE,
    weight: online ? 1.2 : 1.6,
    dashArray: online ? undefined : '2 2',
  };
}

export function createOpsMap(container: HTMLElement, config: ConsoleConfig): OpsMap {
  const map = L.map(container, { zoomSnap: 0.25, minZoom: 10, maxZoom: 18, attributionControl: config.tileUrl !== null });
  if (config.tileUrl !== null) {
    const host = /^https?:\/\/([^/]+)/.exec(config.tileUrl)?.[1]?.replaceAll('{s}.', '') ?? 'tile server';
    L.tileLayer(config.tileUrl, { maxZoom: 19, attribution: `Map tiles © ${host}` }).addTo(map);
  } else {
    container.classList.add('no-tiles');
  }
  L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
  const areas = L.layerGroup().addTo(map);
  const markers = new Map<string, { marker: L.CircleMarker; device: DeviceWithState }>();
  let framed = false;

  function drawAreas(devices: readonly DeviceWithState[]): void {
    const tiles = config.tileUrl !== null;
    for (const area of subdistrictAreas(devices)) {
      if (area.outline.length >= 3) {
        L.polygon(area.outline.map((p) => [p.lat, p.lon] as [number, number]), {
          color: '#97a8b6', weight: 1.2, dashArray: '5 4', fillColor: '#f8fafb', fillOpacity: tiles ? 0.08 : 0.9, interactive: false,
        }).addTo(areas);
      }
      const label = h('span', null, subdistrictName(area.subdistrict), h('small', null, subdistrictEnglish(area.subdistrict)));
      L.marker([area.centre.lat, area.centre.lon], {
        icon: L.divIcon({ className: 'bp-area-label', html: label, iconSize: [120, 34], iconAnchor: [60, 17] }),
        interactive: false,
        keyboard: false,
      }).addTo(areas);
    }
  }

  function update(devices: readonly DeviceWithState[]): void {
    if (!framed && devices.length > 0) {
      drawAreas(devices);
      const bounds = L.latLngBounds(devices.map((d) => [d.lat, d.lon] as [number, number]));
      map.fitBounds(bounds, { padding: [24, 24] });
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
      const entry = {
        device,
        marker: L.circleMarker([device.lat, device.lon], { ...markerStyle(device), className: `bp-marker bp-marker-${device.kind}` }),
      };
      entry.marker.bindPopup(() => devicePopup(entry.device, config.utcOffsetMinutes), { minWidth: 280, maxWidth: 340 });
      entry.marker.bindTooltip(() => `${entry.device.name}`, { direction: 'top', offset: [0, -6] });
      entry.marker.addTo(map);
      entry.marker.getElement()?.setAttribute('data-device', device.id);
      markers.set(device.id, entry);
    }
    for (const [id, entry] of markers) {
      if (seen.has(id)) continue;
      entry.marker.remove();
      markers.delete(id);
    }
    // The fullest boxes on top, where an operator's eye goes; cameras above all.
    const ordered = [...markers.values()].sort((a, b) => rank(a.device) - rank(b.device));
    for (const { marker } of ordered) marker.bringToFront();
  }

  return {
    update,
    focus(deviceId) {
      const entry = markers.get(deviceId);
      if (!entry) return;
      map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 15));
      entry.marker.openPopup();
      container.scrollIntoView({ behavior: 'smooth', block: 'center' });
    },
    destroy() {
      map.remove();
    },
  };
}

function rank(device: DeviceWithState): number {
  return device.kind === 'camera' ? 2 : (device.state.maxFillingLevel ?? -1);
}

/** The legend under the map: the fill bands, the camera ring, the offline outline. */
export function mapLegend(): HTMLElement {
  const dot = (colour: string, extra = '') => h('span', { class: `legend-dot ${extra}`, style: { background: colour } });
  return h(
    'div',
    { class: 'legend', 'aria-label': 'Map legend' },
    h('span', { class: 'legend-title' }, 'Fullest compartment'),
    FILL_BANDS.map((band) => h('span', { class: 'legend-item' }, dot(band.colour), band.label)),
    h('span', { class: 'legend-sep' }),
    h('span', { class: 'legend-item' }, h('span', { class: 'legend-ring' }), 'Camera point'),
    h('span', { class: 'legend-item' }, dot('#c6ccd2', 'legend-offline'), 'Offline (last reading)'),
  );
}

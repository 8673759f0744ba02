/** What a map marker says when clicked: the box and its compartments, or the camera point and its stream. */
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import { formatAgo, formatShort } from '../../core/district-time.ts';
import { formatUptime } from '../../core/health.ts';
import { CAMERA_POINT_LABELS, subdistrictName } from '../../core/labels.ts';
import { h } from '../dom.ts';
import { categoryChip, fillBar, pill } from '../widgets.ts';

function lastReport(device: DeviceWithState, utcOffsetMinutes: number): HTMLElement {
  const now = Date.now();
  const { online, lastSeen } = device.state;
  return h(
    'div',
    { class: 'popup-status' },
    pill(online ? 'Online' : 'Offline', online ? 'good' : 'bad'),
    h('span', null, lastSeen ? `last report ${formatShort(lastSeen, now, utcOffsetMinutes)} (${formatAgo(lastSeen, now)})` : 'never reported'),
  );
}

export function devicePopup(device: DeviceWithState, utcOffsetMinutes: number): HTMLElement {
  const header = [
    h('div', { class: 'popup-title' }, device.name),
    h('div', { class: 'popup-sub' }, `${device.id} · ${device.community} · ${subdistrictName(device.subdistrict)}`),
    h('div', { class: 'popup-addr' }, device.address),
  ];
  if (device.kind === 'camera') {
    const { streamOk, frameRate, uptimeS } = device.state;
    return h(
      'div',
      { class: 'popup', 'data-popup': device.id },
      header,
      h('div', { class: 'popup-kind' }, CAMERA_POINT_LABELS[device.cameraPointType ?? 'existing']),
      h(
        'dl',
        { class: 'popup-facts' },
        h('dt', null, 'Video stream'),
        h('dd', null, streamOk === null ? '–' : pill(streamOk ? 'OK' : 'Down', streamOk ? 'good' : 'bad')),
        h('dt', null, 'Frame rate'),
        h('dd', null, frameRate === null ? '–' : `${frameRate} fps`),
        h('dt', null, 'Uptime'),
        h('dd', null, formatUptime(uptimeS)),
      ),
      h('div', { class: 'popup-meta' }, `Responsible: ${device.responsiblePerson} · grid ${device.gridCell}`),
      lastReport(device, utcOffsetMinutes),
    );
  }
  const readings = new Map(device.state.compartments.map((c) => [c.category, c]));
  return h(
    'div',
    { class: 'popup', 'data-popup': device.id },
    header,
    h(
      'table',
      { class: 'popup-compartments' },
      h('thead', null, h('tr', null, h('th', null, 'Compartment'), h('th', null, 'Fill level'), h('th', { class: 'num' }, 'Weight'))),
      h(
        'tbody',
        null,
        device.compartments.map((spec) => {
          const reading = readings.get(spec.category);
          return h(
            'tr',
            null,
            h('td', null, categoryChip(spec.category)),
            h('td', null, fillBar(reading?.fillingLevel ?? null, reading?.overflow ?? false)),
            h('td', { class: 'num' }, reading ? `${reading.weightKg.toFixed(1)} / ${spec.capacityKg} kg` : `– / ${spec.capacityKg} kg`),
          );
        }),
      ),
    ),
    h('div', { class: 'popup-meta' }, `Responsible: ${device.responsiblePerson} · grid ${device.gridCell}`),
    lastReport(device, utcOffsetMinutes),
  );
}

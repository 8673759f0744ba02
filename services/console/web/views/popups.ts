/** What a map marker says when clicked: the box and its compartments, or the camera point and its stream. */
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { cameraStream, formatUptime, lastKnownStreamText } from '../../core/health-status.ts';
import { h } from '../dom.ts';
import { categoryChip, fillBar, pill } from '../widgets.ts';

function lastReport(device: DeviceWithState, i18n: I18n, now: number): HTMLElement {
  const { online, lastSeen } = device.state;
  return h(
    'div',
    { class: 'popup-status' },
    pill(i18n.t(online ? 'ops.online' : 'ops.offline'), online ? 'good' : 'bad'),
    h('span', null, lastSeen ? i18n.t('ops.popup.lastReport', { time: i18n.short(lastSeen, now), ago: i18n.ago(lastSeen, now) }) : i18n.t('ops.popup.neverReported')),
  );
}

export function devicePopup(device: DeviceWithState, i18n: I18n): HTMLElement {
  const t = i18n.t.bind(i18n);
  const now = Date.now();
  const header = [
    h('div', { class: 'popup-title' }, device.name),
    h('div', { class: 'popup-sub' }, `${device.id} · ${device.community} · ${t(`subdistrict.${device.subdistrict}`)}`),
    h('div', { class: 'popup-addr' }, device.address),
  ];
  const meta = h('div', { class: 'popup-meta' }, t('ops.popup.responsible', { person: device.responsiblePerson, gridCell: device.gridCell }));
  if (device.kind === 'camera') {
    // An offline camera's stream is only what it last reported, never "OK" now.
    const stream = cameraStream(device);
    const facts =
      stream.kind === 'live'
        ? [
            h('dt', null, t('ops.popup.stream')),
            h('dd', null, pill(t(stream.ok ? 'ops.popup.streamOk' : 'ops.popup.streamDown'), stream.ok ? 'good' : 'bad')),
            h('dt', null, t('ops.popup.frameRate')),
            h('dd', null, stream.frameRate === null ? '–' : t('unit.fps', { value: i18n.number(stream.frameRate, 0) })),
            h('dt', null, t('ops.popup.uptime')),
            h('dd', null, formatUptime(stream.uptimeS, i18n)),
          ]
        : [
            h('dt', null, t('ops.popup.stream')),
            h('dd', { class: 'muted', 'data-stream': stream.kind }, stream.kind === 'last-known' ? lastKnownStreamText(stream, i18n, now) : '–'),
          ];
    return h(
      'div',
      { class: 'popup', 'data-popup': device.id },
      header,
      h('div', { class: 'popup-kind' }, t(`cameraPoint.${device.cameraPointType ?? 'existing'}`)),
      h('dl', { class: 'popup-facts' }, facts),
      meta,
      lastReport(device, i18n, now),
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
      h('thead', null, h('tr', null, h('th', null, t('ops.popup.compartment')), h('th', null, t('ops.popup.fill')), h('th', { class: 'num' }, t('ops.popup.weight')))),
      h(
        'tbody',
        null,
        device.compartments.map((spec) => {
          const reading = readings.get(spec.category);
          return h(
            'tr',
            null,
            h('td', null, categoryChip(spec.category, i18n)),
            h('td', null, fillBar(reading?.fillingLevel ?? null, reading?.overflow ?? false, i18n)),
            h('td', { class: 'num' }, t('unit.kgOfCapacity', { value: reading ? i18n.number(reading.weightKg, 1) : '–', capacity: i18n.number(spec.capacityKg) })),
          );
        }),
      ),
    ),
    meta,
    lastReport(device, i18n, now),
  );
}

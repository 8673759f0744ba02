/**
 * The health view's device table: one row per device with its connectivity (and why it is
 * offline, since when), power, signal, faults and camera stream. An offline camera's stream is
 * only its last report, and reads so.
 */
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import { hasFaults, isLowBattery, signalQuality } from '../../core/health.ts';
import { cameraStream, formatUptime, isStreamDown, lastKnownStreamText, offlineStatus, type AreaOutages, type OutageArea } from '../../core/health-status.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { h } from '../dom.ts';
import { pill } from '../widgets.ts';

export function deviceTable(devices: readonly DeviceWithState[], outages: AreaOutages, now: number, i18n: I18n): HTMLElement {
  const t = i18n.t.bind(i18n);
  const headers = [
    t('health.col.device'),
    t('health.col.kind'),
    t('health.col.place'),
    t('health.col.status'),
    t('health.col.lastSeen'),
    t('health.col.power'),
    t('health.col.signal'),
    t('health.col.faults'),
    t('health.col.stream'),
  ];
  return h(
    'table',
    { class: 'table', 'data-table': 'devices' },
    h('thead', null, h('tr', null, headers.map((text) => h('th', null, text)))),
    h(
      'tbody',
      null,
      devices.map((d) =>
        h(
          'tr',
          { 'data-device': d.id, 'data-kind': d.kind, 'data-online': String(d.state.online) },
          h('td', null, h('div', { class: 'cell-title' }, d.name), h('div', { class: 'cell-sub' }, d.id)),
          h('td', null, t(`deviceKind.${d.kind}`)),
          h('td', null, h('div', null, t(`subdistrict.${d.subdistrict}`)), h('div', { class: 'cell-sub' }, d.community)),
          h('td', null, status(d, outages, now, i18n)),
          h('td', null, h('div', null, i18n.short(d.state.lastSeen, now)), h('div', { class: 'cell-sub' }, i18n.ago(d.state.lastSeen, now))),
          h('td', null, power(d, i18n)),
          h('td', null, signal(d, i18n)),
          h('td', null, hasFaults(d) ? faultChips(d, i18n) : h('span', { class: 'muted' }, t('health.noFaults'))),
          h('td', null, d.kind === 'camera' ? camera(d, now, i18n) : h('span', { class: 'muted' }, '–')),
        ),
      ),
    ),
  );
}

function areaLabel(area: OutageArea, i18n: I18n): string {
  return area.level === 'community' ? area.name : i18n.t(`subdistrict.${area.name}`);
}

/** Online since …, or offline with the reason (explained in the title) and since when. */
function status(d: DeviceWithState, outages: AreaOutages, now: number, i18n: I18n): HTMLElement {
  const t = i18n.t.bind(i18n);
  const offline = offlineStatus(d, outages);
  if (!offline) {
    return h('div', { 'data-status': 'online' }, pill(t('health.online'), 'good'), d.state.statusChangedAt && h('div', { class: 'cell-sub' }, t('health.since', { time: i18n.short(d.state.statusChangedAt, now) })));
  }
  const reason = t(`health.reason.${offline.cause}`);
  const help = offline.area ? t('health.reasonHelp.area_outage', { area: areaLabel(offline.area, i18n) }) : t(`health.reasonHelp.${offline.cause}`);
  const detail = offline.since === null ? reason : t('health.offlineSince', { reason, time: i18n.short(offline.since, now) });
  return h(
    'div',
    { 'data-status': 'offline', 'data-reason': offline.cause },
    pill(t('health.offline'), 'bad'),
    h('div', { class: 'cell-sub offline-reason', title: help }, detail),
  );
}

function power(d: DeviceWithState, i18n: I18n): HTMLElement | string {
  const t = i18n.t.bind(i18n);
  const { powerSource, batteryPercent } = d.state;
  if (batteryPercent === null) return powerSource === null ? '–' : t(`health.power.${powerSource}`);
  const percent = i18n.percent(batteryPercent / 100);
  return h(
    'span',
    { class: `battery${isLowBattery(d) ? ' is-low' : ''}`, title: t('health.power.title', { source: t(`health.power.${powerSource ?? 'battery'}`), percent }) },
    h('span', { class: 'battery-body' }, h('span', { class: 'battery-level', style: { width: `${Math.max(4, batteryPercent)}%` } })),
    percent,
    powerSource === 'solar' && h('span', { class: 'cell-sub' }, ` ${t('health.power.solar')}`),
  );
}

function signal(d: DeviceWithState, i18n: I18n): HTMLElement | string {
  const quality = signalQuality(d.state.rssiDbm);
  if (quality === 'none') return '–';
  return h(
    'span',
    { class: `signal signal-${quality}`, title: i18n.t(`health.signal.${quality}`), 'data-signal': quality },
    h('span', { class: 'bars' }, h('i'), h('i'), h('i')),
    i18n.t('unit.dbm', { value: d.state.rssiDbm! }),
  );
}

function faultChips(d: DeviceWithState, i18n: I18n): HTMLElement {
  const chips = d.state.activeFaults.map((f) => pill(i18n.t(`fault.${f}`), 'warn'));
  if (isStreamDown(d) && !d.state.activeFaults.includes('stream_lost')) chips.push(pill(i18n.t('health.stream.down'), 'bad'));
  return h('div', { class: 'chips' }, chips);
}

/** Live stream state for an online camera; for an offline one only what it last said, and when. */
function camera(d: DeviceWithState, now: number, i18n: I18n): HTMLElement {
  const t = i18n.t.bind(i18n);
  const stream = cameraStream(d);
  if (stream.kind === 'no-heartbeat') return h('span', { class: 'muted' }, t('health.stream.noHeartbeat'));
  const fps = stream.frameRate === null ? null : t('unit.fps', { value: stream.frameRate });
  if (stream.kind === 'last-known') {
    return h('div', { class: 'stream-last-known muted', 'data-stream': 'last-known', title: t('health.stream.lastKnownHelp') }, lastKnownStreamText(stream, i18n, now));
  }
  const uptime = stream.uptimeS === null ? null : formatUptime(stream.uptimeS, i18n);
  const sub = fps !== null && uptime !== null ? t('health.stream.fpsUptime', { fps, uptime }) : uptime !== null ? t('health.stream.uptime', { uptime }) : fps;
  return h(
    'div',
    { 'data-stream': stream.ok ? 'ok' : 'down' },
    pill(stream.ok ? t('health.stream.ok') : t('health.stream.down'), stream.ok ? 'good' : 'bad'),
    sub !== null && h('div', { class: 'cell-sub' }, sub),
  );
}

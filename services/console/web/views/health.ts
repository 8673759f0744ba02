/** #/health: the engineers' screen: every device's connectivity, power, signal and faults, filterable; dead letters. */
import type { DeviceWithState, Subdistrict } from '../../../../shared/contracts/index.ts';
import { SUBDISTRICTS } from '../../core/vocabulary.ts';
import { allows } from '../../core/access.ts';
import { formatAgo, formatShort, formatTime, offsetLabel } from '../../core/district-time.ts';
import {
  facetCounts,
  filterDevices,
  formatHealthFilter,
  formatUptime,
  hasFaults,
  healthCounts,
  isLowBattery,
  parseHealthFilter,
  signalQuality,
  type HealthFilter,
} from '../../core/health.ts';
import { FAULT_LABELS, subdistrictName } from '../../core/labels.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, emptyState, errorState, kpi, loadingState, pageHeader, pill, segmented } from '../widgets.ts';
import type { ViewMount } from './context.ts';
import { createDeadLetters } from './dead-letters.ts';

const PAGE_SIZE = 25;

export const mountHealth: ViewMount = (root, ctx, query) => {
  document.title = 'Device health · BinPulse';
  const offset = ctx.config.utcOffsetMinutes;
  let filter: HealthFilter = parseHealthFilter(query);
  let page = 0;
  let typing: ReturnType<typeof setTimeout> | undefined;
  const updated = h('span', null, 'Loading the fleet…');
  const kpis = h('div', { class: 'kpis' });
  const filters = h('div', { class: 'filters', 'data-filters': '' });
  const count = h('span', { class: 'card-count', 'data-count': '' });
  const tableBox = h('div', { class: 'table-wrap' });
  const pager = h('div', { class: 'pager' });
  const deadLetters = allows(ctx.access, 'deadletters:read') ? createDeadLetters(ctx) : undefined;

  root.append(
    pageHeader('Device health', h('span', null, 'Connectivity, power, signal and faults of every box and camera point · ', updated)),
    kpis,
    card({ title: 'Devices', subtitle: 'Offline and faulty devices first', actions: [count], body: [filters, tableBox, pager], id: 'devices' }),
  );
  if (deadLetters) root.append(deadLetters.element);
  fill(tableBox, loadingState('Loading devices…'));

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
      placeholder: 'Search id, name, community, person',
      value: filter.text ?? '',
      'aria-label': 'Search devices',
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
        'aria-label': 'Subdistrict',
        onchange: (e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          const { subdistrict: _old, ...rest } = filter;
          setFilter(value ? { ...rest, subdistrict: value as Subdistrict } : rest);
        },
      },
      h('option', { value: '' }, 'All subdistricts'),
      SUBDISTRICTS.map((s) => h('option', { value: s, selected: filter.subdistrict === s }, subdistrictName(s))),
    );
    const check = (key: 'faults' | 'lowBattery', label: string, n: number) =>
      h(
        'label',
        { class: 'check' },
        h('input', { type: 'checkbox', name: key, checked: filter[key] === true, onchange: (e: Event) => setFilter({ ...filter, [key]: (e.target as HTMLInputElement).checked || undefined }) }),
        label,
        h('span', { class: 'count' }, String(n)),
      );
    const counts = facetCounts(devices, filter);
    fill(
      filters,
      segmented(
        [
          { value: 'all', label: 'All kinds', count: counts.kind.all },
          { value: 'box', label: 'Boxes', count: counts.kind.box },
          { value: 'camera', label: 'Cameras', count: counts.kind.camera },
        ],
        filter.kind ?? 'all',
        (value) => {
          const { kind: _old, ...rest } = filter;
          setFilter(value === 'all' ? rest : { ...rest, kind: value });
        },
        'kind',
      ),
      segmented(
        [
          { value: 'all', label: 'Any status', count: counts.status.all },
          { value: 'online', label: 'Online', count: counts.status.online },
          { value: 'offline', label: 'Offline', count: counts.status.offline },
        ],
        filter.status ?? 'all',
        (value) => {
          const { status: _old, ...rest } = filter;
          setFilter(value === 'all' ? rest : { ...rest, status: value });
        },
        'status',
      ),
      subdistrict,
      check('faults', 'Has faults', counts.faults),
      check('lowBattery', 'Low battery', counts.lowBattery),
      search,
    );
  }

  function renderKpis(devices: readonly DeviceWithState[]): void {
    const c = healthCounts(devices);
    fill(
      kpis,
      kpi({ id: 'online', label: 'Devices online', value: `${c.online} / ${c.total}`, sub: `boxes ${c.boxes.online}/${c.boxes.total} · cameras ${c.cameras.online}/${c.cameras.total}`, tone: c.offline > 0 ? 'warn' : 'good' }),
      kpi({ id: 'offline', label: 'Offline', value: String(c.offline), sub: 'no message within the timeout', tone: c.offline > 0 ? 'bad' : 'good' }),
      kpi({ id: 'faults', label: 'With faults', value: String(c.withFaults), sub: 'active fault or video stream down', tone: c.withFaults > 0 ? 'warn' : 'good' }),
      kpi({ id: 'low-battery', label: 'Low battery', value: String(c.lowBattery), sub: 'below 20 %', tone: c.lowBattery > 0 ? 'warn' : 'good' }),
      kpi({ id: 'streams', label: 'Camera streams down', value: String(c.cameras.streamDown), sub: `of ${c.cameras.total} camera points`, tone: c.cameras.streamDown > 0 ? 'bad' : 'good' }),
    );
  }

  function render(): void {
    const snapshot = ctx.fleet.snapshot;
    if (snapshot.fetchedAt === 0) {
      if (snapshot.error !== null) fill(tableBox, errorState(snapshot.error, () => void ctx.fleet.refresh()));
      return;
    }
    updated.textContent = `updated ${formatTime(snapshot.fetchedAt, offset)} ${offsetLabel(offset)}${snapshot.error ? ` (refresh failed: ${snapshot.error})` : ''}`;
    renderKpis(snapshot.devices);
    // Not while someone is typing in the search box: a redraw would take the input from under them.
    const typingNow = document.activeElement instanceof HTMLInputElement && document.activeElement.name === 'q';
    if (!typingNow || filters.childElementCount === 0) renderFilters(snapshot.devices);
    const shown = filterDevices(snapshot.devices, filter);
    count.textContent = `${shown.length} of ${snapshot.devices.length} devices`;
    count.dataset.count = String(shown.length);
    if (shown.length === 0) {
      fill(tableBox, emptyState('No device matches', 'Widen the filters to see more devices.'));
      fill(pager);
      return;
    }
    const pages = Math.ceil(shown.length / PAGE_SIZE);
    page = Math.min(page, pages - 1);
    const now = Date.now();
    fill(tableBox, deviceTable(shown.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), now));
    fill(
      pager,
      h('span', null, `${page * PAGE_SIZE + 1}–${Math.min(shown.length, (page + 1) * PAGE_SIZE)} of ${shown.length}`),
      h('button', { type: 'button', class: 'btn btn-small btn-secondary', disabled: page === 0, onclick: () => { page -= 1; render(); } }, '‹ Previous'),
      h('button', { type: 'button', class: 'btn btn-small btn-secondary', disabled: page >= pages - 1, onclick: () => { page += 1; render(); } }, 'Next ›'),
    );
  }

  function deviceTable(devices: readonly DeviceWithState[], now: number): HTMLElement {
    return h(
      'table',
      { class: 'table', 'data-table': 'devices' },
      h('thead', null, h('tr', null, ['Device', 'Kind', 'Subdistrict · community', 'Status', 'Last seen', 'Power', 'Signal', 'Faults', 'Camera stream'].map((t) => h('th', null, t)))),
      h(
        'tbody',
        null,
        devices.map((d) => {
          const s = d.state;
          const quality = signalQuality(s.rssiDbm);
          return h(
            'tr',
            { 'data-device': d.id, 'data-kind': d.kind, 'data-online': String(s.online) },
            h('td', null, h('div', { class: 'cell-title' }, d.name), h('div', { class: 'cell-sub' }, d.id)),
            h('td', null, d.kind === 'box' ? 'Box' : 'Camera'),
            h('td', null, h('div', null, subdistrictName(d.subdistrict)), h('div', { class: 'cell-sub' }, d.community)),
            h('td', null, pill(s.online ? 'Online' : 'Offline', s.online ? 'good' : 'bad'), s.statusChangedAt && h('div', { class: 'cell-sub' }, `since ${formatShort(s.statusChangedAt, now, offset)}`)),
            h('td', null, h('div', null, formatShort(s.lastSeen, now, offset)), h('div', { class: 'cell-sub' }, formatAgo(s.lastSeen, now))),
            h('td', null, power(d)),
            h('td', null, quality === 'unknown' ? '–' : h('span', { class: `signal signal-${quality}`, title: quality }, h('span', { class: 'bars' }, h('i'), h('i'), h('i')), `${s.rssiDbm} dBm`)),
            h('td', null, hasFaults(d) ? faultChips(d) : h('span', { class: 'muted' }, 'none')),
            h('td', null, d.kind === 'camera' ? camera(d) : h('span', { class: 'muted' }, '–')),
          );
        }),
      ),
    );
  }

  const unsubscribe = ctx.fleet.subscribe(() => render());
  deadLetters?.start();
  return {
    unmount() {
      unsubscribe();
      clearTimeout(typing);
      deadLetters?.stop();
    },
  };
};

function power(d: DeviceWithState): HTMLElement | string {
  const { powerSource, batteryPercent } = d.state;
  if (batteryPercent === null) return powerSource === null ? '–' : powerSource === 'mains' ? 'Mains' : powerSource;
  const low = isLowBattery(d);
  return h(
    'span',
    { class: `battery${low ? ' is-low' : ''}`, title: `${powerSource ?? 'battery'} ${batteryPercent} %` },
    h('span', { class: 'battery-body' }, h('span', { class: 'battery-level', style: { width: `${Math.max(4, batteryPercent)}%` } })),
    `${Math.round(batteryPercent)} %`,
    powerSource === 'solar' && h('span', { class: 'cell-sub' }, ' solar'),
  );
}

function faultChips(d: DeviceWithState): HTMLElement {
  const chips = d.state.activeFaults.map((f) => pill(FAULT_LABELS[f], 'warn'));
  if (d.kind === 'camera' && d.state.streamOk === false && !d.state.activeFaults.includes('stream_lost')) chips.push(pill('Stream down', 'bad'));
  return h('div', { class: 'chips' }, chips);
}

function camera(d: DeviceWithState): HTMLElement {
  const { streamOk, frameRate, uptimeS } = d.state;
  return h(
    'div',
    null,
    streamOk === null ? h('span', { class: 'muted' }, 'no heartbeat yet') : pill(streamOk ? 'Stream OK' : 'Stream down', streamOk ? 'good' : 'bad'),
    h('div', { class: 'cell-sub' }, [frameRate !== null ? `${frameRate} fps` : null, uptimeS !== null ? `up ${formatUptime(uptimeS)}` : null].filter(Boolean).join(' · ')),
  );
}

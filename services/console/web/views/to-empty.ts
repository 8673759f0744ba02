/** The boxes to empty, fullest first; a row click shows the box on the map. */
import type { DeviceWithState } from '../../../../shared/contracts/index.ts';
import { boxesToEmpty } from '../../core/boxes-to-empty.ts';
import { formatAgo, formatShort } from '../../core/district-time.ts';
import { subdistrictName } from '../../core/labels.ts';
import { fill, h } from '../dom.ts';
import { card, categoryChip, emptyState, fillBar, pill } from '../widgets.ts';

const THRESHOLDS = [
  { value: '0.9', label: '≥ 90 %' },
  { value: '0.8', label: '≥ 80 %' },
  { value: '0.7', label: '≥ 70 %' },
];

export function createToEmptyTable(options: { utcOffsetMinutes: number; onSelect: (deviceId: string) => void }): {
  element: HTMLElement;
  update(devices: readonly DeviceWithState[]): void;
} {
  let threshold = 0.9;
  let last: readonly DeviceWithState[] = [];
  const select = h(
    'select',
    {
      'aria-label': 'Fill level threshold',
      name: 'threshold',
      onchange: (event: Event) => {
        threshold = Number((event.target as HTMLSelectElement).value);
        update(last);
      },
    },
    THRESHOLDS.map((t) => h('option', { value: t.value }, t.label)),
  );
  const count = h('span', { class: 'card-count' });
  const body = h('div', { class: 'table-wrap table-scroll' });
  const element = card({
    title: 'Boxes to empty',
    subtitle: 'Fullest compartment first · click a row to see the box on the map',
    actions: [count, h('label', { class: 'inline-label' }, 'Fill level ', select)],
    body,
    id: 'to-empty',
  });

  function update(devices: readonly DeviceWithState[]): void {
    last = devices;
    const rows = boxesToEmpty(devices, threshold);
    count.textContent = `${rows.length} ${rows.length === 1 ? 'box' : 'boxes'}`;
    count.dataset.count = String(rows.length);
    if (rows.length === 0) {
      fill(body, emptyState('Nothing to empty', `No box has a compartment at ${Math.round(threshold * 100)} % or more right now.`));
      return;
    }
    const now = Date.now();
    fill(
      body,
      h(
        'table',
        { class: 'table', 'data-table': 'to-empty' },
        h(
          'thead',
          null,
          h('tr', null, ['#', 'Box', 'Community', 'Subdistrict', 'Compartment', 'Fill level', 'Responsible', 'Last report'].map((t) => h('th', null, t))),
        ),
        h(
          'tbody',
          null,
          rows.map((row, i) =>
            h(
              'tr',
              { class: 'is-clickable', 'data-device': row.id, tabindex: 0, onclick: () => options.onSelect(row.id), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && options.onSelect(row.id) },
              h('td', { class: 'num muted' }, String(i + 1)),
              h('td', null, h('div', { class: 'cell-title' }, row.name), h('div', { class: 'cell-sub' }, row.id)),
              h('td', null, row.community),
              h('td', null, subdistrictName(row.subdistrict)),
              h('td', null, categoryChip(row.category), row.alsoDue.map((c) => categoryChip(c.category, `${Math.floor(c.fillingLevel * 100)} %`))),
              h('td', null, fillBar(row.fillingLevel, row.overflow)),
              h('td', null, h('div', { class: 'cell-title' }, row.responsiblePerson), h('div', { class: 'cell-sub' }, row.gridCell)),
              h('td', null, row.online ? '' : pill('Offline', 'bad'), h('span', { title: formatAgo(row.lastSeen, now) }, ` ${formatShort(row.lastSeen, now, options.utcOffsetMinutes)}`)),
            ),
          ),
        ),
      ),
    );
  }

  return { element, update };
}

/** The console's building blocks: cards, KPI tiles, states, fill bars, chips. */
import type { WasteCategory } from '../../../shared/contracts/index.ts';
import { fillBand } from '../core/fill-scale.ts';
import type { I18n } from '../core/i18n/translator.ts';
import { CATEGORY_COLOURS } from '../core/category-colours.ts';
import { h } from './dom.ts';

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export function pageHeader(title: string, subtitle: Node | string, ...actions: Node[]): HTMLElement {
  return h('div', { class: 'page-header' }, h('div', null, h('h1', null, title), h('p', { class: 'page-sub' }, subtitle)), h('div', { class: 'page-actions' }, actions));
}

export function kpi(options: { label: string; value: string; sub?: Node | string; tone?: Tone; id: string; data?: Record<string, string> }): HTMLElement {
  return h(
    'div',
    { class: `kpi tone-${options.tone ?? 'neutral'}`, 'data-kpi': options.id, dataset: options.data ?? {} },
    h('div', { class: 'kpi-label' }, options.label),
    h('div', { class: 'kpi-value' }, options.value),
    options.sub !== undefined && h('div', { class: 'kpi-sub' }, options.sub),
  );
}

export function card(options: { title: string; subtitle?: Node | string; actions?: Node[]; body: Node[] | Node; class?: string; id?: string }): HTMLElement {
  return h(
    'section',
    { class: `card ${options.class ?? ''}`, 'data-card': options.id },
    h(
      'header',
      { class: 'card-header' },
      h('div', null, h('h2', null, options.title), options.subtitle !== undefined && h('p', { class: 'card-sub' }, options.subtitle)),
      options.actions && h('div', { class: 'card-actions' }, options.actions),
    ),
    h('div', { class: 'card-body' }, options.body),
  );
}

export function emptyState(title: string, text: string): HTMLElement {
  return h('div', { class: 'state state-empty', role: 'status' }, h('div', { class: 'state-icon' }, '✓'), h('div', { class: 'state-title' }, title), h('p', null, text));
}

export function errorState(i18n: I18n, message: string, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'state state-error', role: 'alert' },
    h('div', { class: 'state-icon' }, '!'),
    h('div', { class: 'state-title' }, i18n.t('state.loadFailed')),
    h('p', null, message),
    retry && h('button', { class: 'btn btn-secondary', type: 'button', onclick: () => retry() }, i18n.t('state.retry')),
  );
}

export function loadingState(text: string): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status' }, h('div', { class: 'spinner' }), h('p', null, text));
}

/** A short bar in the band's colour and the percentage (or the one overflow wording), for tables and popups. */
export function fillBar(level: number | null, overflow: boolean, i18n: I18n): HTMLElement {
  const band = fillBand(level, overflow);
  const width = level === null ? 0 : Math.min(100, Math.max(2, level * 100));
  return h(
    'span',
    { class: `fillbar${overflow ? ' is-overflow' : ''}`, title: i18n.t(`fillBand.${band.key}`) },
    h('span', { class: 'fillbar-track' }, h('span', { class: 'fillbar-value', style: { width: `${width}%`, background: band.colour } })),
    h('span', { class: 'fillbar-text' }, overflow ? i18n.t('fill.overflow') : i18n.percent(level)),
  );
}

export function categoryChip(category: WasteCategory, i18n: I18n, suffix?: string): HTMLElement {
  return h(
    'span',
    { class: 'chip' },
    h('span', { class: 'swatch', style: { background: CATEGORY_COLOURS[category] } }),
    i18n.t(`category.${category}`),
    suffix !== undefined && h('span', { class: 'chip-suffix' }, suffix),
  );
}

export function pill(text: string, tone: Tone): HTMLElement {
  return h('span', { class: `pill pill-${tone}` }, text);
}

/** A segmented control: one of a few options, with optional counts. */
export function segmented<T extends string>(
  options: readonly { value: T; label: string; count?: number }[],
  selected: T,
  onSelect: (value: T) => void,
  /** The control's test hook and URL-stable name. */
  name: string,
  /** What a screen reader announces, in the user's language. */
  label: string,
): HTMLElement {
  return h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': label, 'data-control': name },
    options.map((o) =>
      h(
        'button',
        {
          type: 'button',
          class: o.value === selected ? 'is-selected' : '',
          'aria-pressed': String(o.value === selected),
          'data-value': o.value,
          onclick: () => onSelect(o.value),
        },
        o.label,
        o.count !== undefined && h('span', { class: 'count' }, String(o.count)),
      ),
    ),
  );
}

/** Hand-drawn charts: SVG for the daily stacks (axes, band, partial day), HTML bars for shares. Every text in the viewer's language. */
import type { I18n } from '../../core/i18n/translator.ts';
import { CATEGORY_COLOURS } from '../../core/category-colours.ts';
import { axisLabels, bandText, dayTick, labelEvery, type TonnageChart } from '../../core/tonnage-chart.ts';
import { h, s } from '../dom.ts';

const W = 960;
const H = 340;
const M = { top: 26, right: 18, bottom: 50, left: 64 };

/** Daily tonnage stacked by category, with the district's band behind the bars. */
export function dailyStackChart(chart: TonnageChart, i18n: I18n): SVGSVGElement {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (kg: number) => M.top + plotH * (1 - kg / chart.axis.max);
  const n = Math.max(1, chart.days.length);
  const slot = plotW / n;
  const barW = Math.min(58, slot * 0.64);
  const every = labelEvery(n);

  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': i18n.t('tonnage.chart.label'), 'data-chart': 'daily' });
  svg.append(
    s('defs', null, s('pattern', { id: 'partial-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' }, s('rect', { width: 3, height: 6, fill: 'rgba(255,255,255,0.55)' }))),
  );
  if (chart.band) {
    const top = y(chart.band.highKg);
    const bottom = y(chart.band.lowKg);
    svg.append(
      s('rect', { class: 'band', x: M.left, y: top, width: plotW, height: bottom - top }),
      s('line', { class: 'band-edge', x1: M.left, x2: M.left + plotW, y1: top, y2: top }),
      s('line', { class: 'band-edge', x1: M.left, x2: M.left + plotW, y1: bottom, y2: bottom }),
      s('text', { class: 'band-label', x: M.left + plotW - 6, y: top - 6, 'text-anchor': 'end' }, i18n.t('tonnage.chart.bandLabel', { band: bandText(chart.band, i18n) })),
    );
  }
  for (const tick of axisLabels(chart.axis, i18n)) {
    svg.append(
      s('line', { class: tick.kg === 0 ? 'axis-line' : 'grid-line', x1: M.left, x2: M.left + plotW, y1: y(tick.kg), y2: y(tick.kg) }),
      s('text', { class: 'tick', x: M.left - 8, y: y(tick.kg) + 4, 'text-anchor': 'end' }, tick.label),
    );
  }
  chart.days.forEach((day, i) => {
    const x = M.left + slot * i + (slot - barW) / 2;
    const group = s('g', { class: `bar${day.partial ? ' is-partial' : ''}`, 'data-day': day.day, 'data-kg': String(day.kg) });
    for (const seg of day.segments) {
      const top = y(seg.toKg);
      const title = i18n.t('tonnage.chart.barTitle', { day: i18n.day(day.day, 'long'), category: i18n.t(`category.${seg.category}`), tonnes: i18n.tonnes(seg.kg) });
      group.append(s('rect', { x, y: top, width: barW, height: Math.max(0.5, y(seg.fromKg) - top), fill: CATEGORY_COLOURS[seg.category] }, s('title', null, title)));
    }
    if (day.partial && day.kg > 0) group.append(s('rect', { x, y: y(day.kg), width: barW, height: y(0) - y(day.kg), fill: 'url(#partial-hatch)' }));
    if (day.kg > 0) group.append(s('text', { class: 'bar-value', x: x + barW / 2, y: y(day.kg) - 6, 'text-anchor': 'middle' }, i18n.number(day.kg / 1000, 1)));
    if (i % every === 0 || day.partial) {
      const tick = dayTick(day, i18n);
      group.append(
        s('text', { class: 'tick', 'data-tick': 'date', x: x + barW / 2, y: H - M.bottom + 18, 'text-anchor': 'middle' }, tick.date),
        s('text', { class: 'tick tick-sub', 'data-tick': 'weekday', x: x + barW / 2, y: H - M.bottom + 33, 'text-anchor': 'middle' }, tick.sub),
      );
    }
    svg.append(group);
  });
  if (chart.totalKg === 0) {
    svg.append(s('text', { class: 'chart-empty', x: M.left + plotW / 2, y: M.top + plotH / 2, 'text-anchor': 'middle' }, i18n.t('tonnage.chart.empty')));
  }
  return svg;
}

/** The legend of the daily chart: categories in stacking order, the band, the partial day. */
export function dailyLegend(chart: TonnageChart, i18n: I18n): HTMLElement {
  return h(
    'div',
    { class: 'legend' },
    chart.categories.map((c) => h('span', { class: 'legend-item', 'data-category': c }, h('span', { class: 'legend-square', style: { background: CATEGORY_COLOURS[c] } }), i18n.t(`category.${c}`))),
    chart.band && h('span', { class: 'legend-item' }, h('span', { class: 'legend-square legend-band' }), i18n.t('tonnage.legend.band')),
    chart.days.some((d) => d.partial) && h('span', { class: 'legend-item' }, h('span', { class: 'legend-square legend-partial' }), i18n.t('tonnage.legend.today')),
  );
}

/** Horizontal bars: label, bar (share of the largest), tonnes and share of the total. */
export function shareBars(items: readonly { key: string; label: Node | string; colour: string; kg: number; share: number }[], name: string, i18n: I18n): HTMLElement {
  const max = Math.max(1, ...items.map((i) => i.kg));
  return h(
    'ul',
    { class: 'hbars', 'data-chart': name },
    items.map((item) =>
      h(
        'li',
        { 'data-key': item.key, 'data-kg': String(item.kg), class: item.kg === 0 ? 'is-zero' : '' },
        h('span', { class: 'hbar-label' }, item.label),
        h('span', { class: 'hbar-track' }, h('span', { class: 'hbar-value', style: { width: `${(item.kg / max) * 100}%`, background: item.colour } })),
        h('span', { class: 'hbar-num' }, i18n.tonnes(item.kg), h('small', null, i18n.t('tonnage.share', { value: i18n.number(item.share * 100, 1) }))),
      ),
    ),
  );
}

/** #/tonnage: the managers' screen: recycled tonnage by day, category and subdistrict for a date range, with CSV export. */
import type { Subdistrict, TonnageReport } from '../../../../shared/contracts/index.ts';
import { SUBDISTRICTS } from '../../core/vocabulary.ts';
import { addDays, defaultTonnageRange, localDay, offsetLabel } from '../../core/district-time.ts';
import { CATEGORY_COLOURS, CATEGORY_LABELS, subdistrictEnglish, subdistrictName } from '../../core/labels.ts';
import { buildTonnageChart, formatCount, formatTonnes, type TonnageChart } from '../../core/tonnage-chart.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, errorState, kpi, loadingState, pageHeader } from '../widgets.ts';
import { dailyLegend, dailyStackChart, shareBars } from './charts.ts';
import type { ViewMount } from './context.ts';

/** Today's bar grows while the range includes today. */
const REFRESH_MS = 60_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Range {
  from: string;
  to: string;
  subdistrict?: Subdistrict;
}

function parseRange(query: string, fallback: Range): Range {
  const params = new URLSearchParams(query);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const subdistrict = params.get('subdistrict');
  const range: Range = DAY.test(from) && DAY.test(to) && from <= to ? { from, to } : { from: fallback.from, to: fallback.to };
  if (subdistrict && (SUBDISTRICTS as readonly string[]).includes(subdistrict)) range.subdistrict = subdistrict as Subdistrict;
  return range;
}

function rangeQuery(range: Range): string {
  const params = new URLSearchParams({ from: range.from, to: range.to });
  if (range.subdistrict) params.set('subdistrict', range.subdistrict);
  return params.toString();
}

export const mountTonnage: ViewMount = (root, ctx, query) => {
  document.title = 'Tonnage · BinPulse';
  const offset = ctx.config.utcOffsetMinutes;
  const today = () => localDay(Date.now(), offset);
  let range = parseRange(query, defaultTonnageRange(Date.now(), offset));
  let loading = 0;

  const fromInput = h('input', { type: 'date', name: 'from', value: range.from, max: today(), 'aria-label': 'From', required: true });
  const toInput = h('input', { type: 'date', name: 'to', value: range.to, max: today(), 'aria-label': 'To', required: true });
  const subdistrictSelect = h(
    'select',
    { name: 'subdistrict', 'aria-label': 'Subdistrict' },
    h('option', { value: '' }, 'Whole district'),
    SUBDISTRICTS.map((s) => h('option', { value: s, selected: range.subdistrict === s }, `${subdistrictName(s)} · ${subdistrictEnglish(s)}`)),
  );
  const exportButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'export-csv', onclick: () => void exportCsv() }, 'Export CSV');
  const exportNote = h('span', { class: 'muted small', role: 'status' });
  const apply = (next: Range) => {
    range = next;
    fromInput.value = range.from;
    toInput.value = range.to;
    replaceQuery('tonnage', rangeQuery(range));
    void load();
  };
  const onInputs = () => {
    const from = fromInput.value;
    const to = toInput.value;
    if (!DAY.test(from) || !DAY.test(to)) return;
    const next: Range = from <= to ? { from, to } : { from: to, to: from };
    if (subdistrictSelect.value) next.subdistrict = subdistrictSelect.value as Subdistrict;
    apply(next);
  };
  fromInput.addEventListener('change', onInputs);
  toInput.addEventListener('change', onInputs);
  subdistrictSelect.addEventListener('change', onInputs);
  const quick = (label: string, days: number) =>
    h('button', { type: 'button', class: 'btn btn-small btn-secondary', onclick: () => apply({ ...range, from: addDays(today(), -days), to: today() }) }, label);
  const controls = h(
    'form',
    { class: 'range-controls', onsubmit: (e: Event) => e.preventDefault() },
    h('label', null, 'From', fromInput),
    h('label', null, 'To', toInput),
    h('label', null, 'Area', subdistrictSelect),
    h('div', { class: 'quick' }, quick('7 days + today', 7), quick('30 days', 30), quick('90 days', 90)),
  );

  const kpis = h('div', { class: 'kpis' });
  const content = h('div', { class: 'tonnage-content' }, loadingState('Loading the tonnage report…'));
  root.append(
    pageHeader('Recycling tonnage', `Deposited kilograms by district-local day (${offsetLabel(offset)}), category and subdistrict`, exportNote, exportButton),
    card({ title: 'Date range', body: controls, class: 'card-controls', id: 'range' }),
    kpis,
    content,
  );

  async function load(): Promise<void> {
    const ticket = ++loading;
    content.classList.add('is-loading');
    try {
      const report = await ctx.api.get<TonnageReport>(`/api/v1/reports/tonnage?${rangeQuery(range)}`);
      if (ticket !== loading) return;
      render(report);
    } catch (error) {
      if (ticket !== loading) return;
      fill(kpis);
      fill(content, errorState(describeError(error), () => void load()));
    } finally {
      if (ticket === loading) content.classList.remove('is-loading');
    }
  }

  function render(report: TonnageReport): void {
    const chart = buildTonnageChart(report, { today: today(), districtWide: range.subdistrict === undefined });
    const days = chart.days.length;
    fill(
      kpis,
      kpi({ id: 'total', label: 'Recycled in range', value: formatTonnes(chart.totalKg), sub: `${report.from} – ${report.to} · ${days} ${days === 1 ? 'day' : 'days'}`, tone: 'info', data: { kg: String(report.totalKg) } }),
      kpi({ id: 'average', label: 'Average per day', value: chart.averageKgPerDay === null ? '–' : formatTonnes(chart.averageKgPerDay), sub: 'completed days with deposits', tone: 'neutral' }),
      kpi({ id: 'deposits', label: 'Deposits', value: formatCount(chart.totalDeposits), sub: chart.totalDeposits > 0 ? `${(chart.totalKg / chart.totalDeposits).toFixed(2)} kg per deposit` : 'none in range', tone: 'neutral', data: { count: String(report.totalDeposits) } }),
      chart.band
        ? kpi({ id: 'in-band', label: 'Days within 60–80 t', value: `${chart.daysInBand} / ${chart.reportedDays}`, sub: 'completed days with deposits', tone: chart.reportedDays === 0 ? 'neutral' : chart.daysInBand === chart.reportedDays ? 'good' : 'warn' })
        : kpi({ id: 'area', label: 'Area', value: subdistrictName(range.subdistrict!), sub: 'the district band applies district-wide only', tone: 'neutral' }),
    );
    fill(
      content,
      card({ title: 'Daily tonnage by category', subtitle: chart.band ? "Stacked by category; the shaded band is the district's 60–80 t a day" : `${subdistrictName(range.subdistrict!)} only`, body: [dailyStackChart(chart), dailyLegend(chart)], id: 'daily' }),
      h(
        'div',
        { class: 'two-col' },
        card({
          title: 'By category',
          subtitle: "Share of the range's tonnage",
          body: chart.byCategory.length > 0 ? shareBars(chart.byCategory.map((c) => ({ key: c.key, label: CATEGORY_LABELS[c.key], colour: CATEGORY_COLOURS[c.key], kg: c.kg, share: c.share })), 'by-category') : h('p', { class: 'muted' }, 'No deposits in this range.'),
          id: 'by-category',
        }),
        card({
          title: 'By subdistrict',
          subtitle: 'Where it was recycled',
          body: shareBars(chart.bySubdistrict.map((s) => ({ key: s.key, label: h('span', null, subdistrictName(s.key), h('small', null, subdistrictEnglish(s.key))), colour: '#12a37f', kg: s.kg, share: s.share })), 'by-subdistrict'),
          id: 'by-subdistrict',
        }),
      ),
      dailyTable(chart),
    );
  }

  function dailyTable(chart: TonnageChart): HTMLElement {
    return card({
      title: 'Daily totals',
      subtitle: 'The figures behind the chart, in tonnes',
      id: 'daily-table',
      body: h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-compact table-numbers' },
          h('thead', null, h('tr', null, h('th', null, 'Day'), chart.categories.map((c) => h('th', { class: 'num' }, CATEGORY_LABELS[c])), h('th', { class: 'num' }, 'Total'), h('th', { class: 'num' }, 'Deposits'))),
          h(
            'tbody',
            null,
            [...chart.days].reverse().map((day) =>
              h(
                'tr',
                { class: day.partial ? 'is-partial' : '' },
                h('td', null, day.day, day.partial && h('span', { class: 'muted' }, ' (today, so far)')),
                chart.categories.map((c) => h('td', { class: 'num' }, ((day.segments.find((s) => s.category === c)?.kg ?? 0) / 1000).toFixed(2))),
                h('td', { class: 'num strong' }, (day.kg / 1000).toFixed(2)),
                h('td', { class: 'num' }, formatCount(day.deposits)),
              ),
            ),
          ),
        ),
      ),
    });
  }

  async function exportCsv(): Promise<void> {
    exportButton.disabled = true;
    exportNote.textContent = 'Preparing CSV…';
    try {
      const { blob, filename } = await ctx.api.download(`/api/v1/reports/tonnage.csv?${rangeQuery(range)}`);
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: filename ?? 'binpulse-tonnage.csv' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      exportNote.textContent = '';
    } catch (error) {
      exportNote.textContent = `Export failed: ${describeError(error)}`;
    } finally {
      exportButton.disabled = false;
    }
  }

  void load();
  const timer = setInterval(() => range.to >= today() && void load(), REFRESH_MS);
  return {
    unmount() {
      clearInterval(timer);
      loading += 1;
    },
  };
};

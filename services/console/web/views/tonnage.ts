/** #/tonnage: the managers' screen: recycled tonnage by day, category and subdistrict for a date range, with CSV export. */
import type { Subdistrict, TonnageReport } from '../../../../shared/contracts/index.ts';
import { localDay } from '../../../../shared/units.ts';
import { dateFormats, rangeEnds } from '../../core/date-picker.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { CATEGORY_COLOURS } from '../../core/category-colours.ts';
import {
  bandText,
  buildTonnageChart,
  defaultTonnageRange,
  matchingQuickRange,
  MAX_RANGE_DAYS,
  orderedRange,
  QUICK_RANGE_DAYS,
  quickRange,
  rangeDays,
  type TonnageChart,
} from '../../core/tonnage-chart.ts';
import { SUBDISTRICTS } from '../../../../shared/vocabulary.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, errorState, kpi, loadingState, pageHeader } from '../widgets.ts';
import { dailyLegend, dailyStackChart, shareBars } from './charts.ts';
import type { ViewMount } from './context.ts';
import { datePicker } from './date-picker.ts';
import { exportFile } from '../save-file.ts';
import { parseReportRange, reportRangeQuery, type ReportRange } from '../../core/report-range.ts';

/** Today's bar grows while the range includes today. */
const REFRESH_MS = 60_000;


export const mountTonnage: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t: I18n['t'] = (key, params) => i18n.t(key, params);
  const formats = dateFormats(i18n.locale);
  document.title = t('page.title', { view: t('nav.tonnage') });
  const today = () => localDay(Date.now(), i18n.utcOffsetMinutes);
  let range = parseReportRange(query, defaultTonnageRange(today()));
  let loading = 0;

  const onPicked = () => {
    const next: ReportRange = orderedRange(fromPicker.value, toPicker.value);
    if (range.subdistrict) next.subdistrict = range.subdistrict;
    apply(next);
  };
  const fromPicker = datePicker({ name: 'from', label: t('tonnage.range.from'), value: range.from, max: today(), i18n, onChange: onPicked });
  const toPicker = datePicker({ name: 'to', label: t('tonnage.range.to'), value: range.to, max: today(), i18n, onChange: onPicked });
  const subdistrictSelect = h(
    'select',
    { name: 'subdistrict', id: 'tonnage-area' },
    h('option', { value: '' }, t('tonnage.range.wholeDistrict')),
    SUBDISTRICTS.map((s) => h('option', { value: s, selected: range.subdistrict === s }, t(`subdistrict.${s}`))),
  );
  subdistrictSelect.addEventListener('change', () => {
    const next: ReportRange = { from: range.from, to: range.to };
    if (subdistrictSelect.value) next.subdistrict = subdistrictSelect.value as Subdistrict;
    apply(next);
  });
  const quickButtons = QUICK_RANGE_DAYS.map((days) =>
    h(
      'button',
      { type: 'button', class: 'btn btn-small btn-secondary', 'data-quick': String(days), title: t('tonnage.quick.title', { count: days }), onclick: () => apply({ ...range, ...quickRange(today(), days) }) },
      t('tonnage.quick.days', { count: days }),
    ),
  );
  const exportButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'export-csv', onclick: () => void exportCsv() }, t('tonnage.export'));
  const exportNote = h('span', { class: 'muted small', role: 'status' });
  const controls = h(
    'form',
    { class: 'range-controls', onsubmit: (e: Event) => e.preventDefault() },
    fromPicker.element,
    toPicker.element,
    h('div', { class: 'range-field' }, h('label', { for: 'tonnage-area' }, t('tonnage.range.area')), subdistrictSelect),
    h('div', { class: 'quick', role: 'group', 'aria-label': t('tonnage.quick.label') }, quickButtons),
  );

  const kpis = h('div', { class: 'kpis tonnage-kpis' });
  const content = h('div', { class: 'tonnage-content' }, loadingState(t('tonnage.loading')));
  root.append(
    pageHeader(t('tonnage.title'), t('tonnage.subtitle', { offset: i18n.offsetLabel }), exportNote, exportButton),
    card({ title: t('tonnage.range.title'), body: controls, class: 'card-controls', id: 'range' }),
    kpis,
    content,
  );

  function apply(next: ReportRange): void {
    range = next;
    replaceQuery('tonnage', reportRangeQuery(range));
    void load();
  }

  /** The controls show the range: the pickers' days and max, the pressed quick range. */
  function showRange(): void {
    const day = today();
    for (const picker of [fromPicker, toPicker]) picker.setMax(day);
    fromPicker.set(range.from);
    toPicker.set(range.to);
    const quick = matchingQuickRange(range, day);
    for (const button of quickButtons) button.setAttribute('aria-pressed', String(button.dataset.quick === String(quick)));
  }

  async function load(): Promise<void> {
    const ticket = ++loading;
    showRange();
    if (rangeDays(range) > MAX_RANGE_DAYS) {
      fill(kpis);
      fill(content, errorState(i18n, t('tonnage.range.tooLong', { count: MAX_RANGE_DAYS })));
      return;
    }
    content.classList.add('is-loading');
    try {
      const report = await ctx.api.get<TonnageReport>(`/api/v1/reports/tonnage?${reportRangeQuery(range)}`);
      if (ticket !== loading) return;
      render(report);
    } catch (error) {
      if (ticket !== loading) return;
      fill(kpis);
      fill(content, errorState(i18n, describeError(error, i18n), () => void load()));
    } finally {
      if (ticket === loading) content.classList.remove('is-loading');
    }
  }

  function render(report: TonnageReport): void {
    const chart = buildTonnageChart(report, { today: today(), districtWide: range.subdistrict === undefined });
    const ends = rangeEnds(report.from, report.to, today(), formats);
    const completedDays = t('tonnage.kpi.completedDays');
    fill(
      kpis,
      kpi({
        id: 'total',
        label: t('tonnage.kpi.total'),
        value: i18n.tonnes(chart.totalKg),
        sub: report.from === report.to ? ends.from : t('tonnage.range.span', { ...ends, count: chart.days.length }),
        tone: 'info',
        data: { kg: String(report.totalKg), from: report.from, to: report.to },
      }),
      kpi({ id: 'average', label: t('tonnage.kpi.average'), value: chart.averageKgPerDay === null ? '–' : i18n.tonnes(chart.averageKgPerDay), sub: completedDays, tone: 'neutral' }),
      kpi({
        id: 'deposits',
        label: t('tonnage.kpi.deposits'),
        value: i18n.number(chart.totalDeposits),
        sub: chart.totalDeposits > 0 ? t('tonnage.kpi.perDeposit', { kg: i18n.kg(chart.totalKg / chart.totalDeposits, 2) }) : t('tonnage.kpi.noDeposits'),
        tone: 'neutral',
        data: { count: String(report.totalDeposits) },
      }),
      chart.band
        ? kpi({
            id: 'in-band',
            label: t('tonnage.kpi.inBand', { band: bandText(chart.band, i18n) }),
            value: t('tonnage.kpi.inBandValue', { days: chart.daysInBand, total: chart.reportedDays }),
            sub: completedDays,
            tone: chart.reportedDays === 0 ? 'neutral' : chart.daysInBand === chart.reportedDays ? 'good' : 'warn',
          })
        : kpi({ id: 'area', label: t('tonnage.kpi.area'), value: t(`subdistrict.${range.subdistrict!}`), sub: t('tonnage.kpi.bandDistrictOnly'), tone: 'neutral' }),
    );
    fill(
      content,
      card({
        title: t('tonnage.daily.title'),
        subtitle: chart.band ? t('tonnage.daily.withBand', { band: bandText(chart.band, i18n) }) : t('tonnage.daily.oneArea', { area: t(`subdistrict.${range.subdistrict!}`) }),
        body: [dailyStackChart(chart, i18n), dailyLegend(chart, i18n)],
        id: 'daily',
      }),
      h(
        'div',
        { class: 'two-col' },
        card({
          title: t('tonnage.byCategory.title'),
          subtitle: t('tonnage.byCategory.subtitle'),
          body:
            chart.byCategory.length > 0
              ? shareBars(chart.byCategory.map((c) => ({ key: c.key, label: t(`category.${c.key}`), colour: CATEGORY_COLOURS[c.key], kg: c.kg, share: c.share })), 'by-category', i18n)
              : h('p', { class: 'muted' }, t('tonnage.empty')),
          id: 'by-category',
        }),
        card({
          title: t('tonnage.bySubdistrict.title'),
          subtitle: t('tonnage.bySubdistrict.subtitle'),
          body: shareBars(chart.bySubdistrict.map((s) => ({ key: s.key, label: t(`subdistrict.${s.key}`), colour: '#12a37f', kg: s.kg, share: s.share })), 'by-subdistrict', i18n),
          id: 'by-subdistrict',
        }),
      ),
      dailyTable(chart),
    );
  }

  function dailyTable(chart: TonnageChart): HTMLElement {
    const tonnes = (kg: number) => i18n.number(kg / 1000, 2);
    return card({
      title: t('tonnage.table.title'),
      subtitle: t('tonnage.table.subtitle'),
      id: 'daily-table',
      body: h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-compact table-numbers' },
          h(
            'thead',
            null,
            h('tr', null, h('th', null, t('tonnage.table.day')), chart.categories.map((c) => h('th', { class: 'num' }, t(`category.${c}`))), h('th', { class: 'num' }, t('tonnage.table.total')), h('th', { class: 'num' }, t('tonnage.table.deposits'))),
          ),
          h(
            'tbody',
            null,
            [...chart.days].reverse().map((day) =>
              h(
                'tr',
                { class: day.partial ? 'is-partial' : '', 'data-day': day.day },
                h('td', null, i18n.day(day.day, 'long'), day.partial && h('span', { class: 'muted' }, ' ', t('tonnage.table.todaySoFar'))),
                chart.categories.map((c) => h('td', { class: 'num' }, tonnes(day.segments.find((s) => s.category === c)?.kg ?? 0))),
                h('td', { class: 'num strong' }, tonnes(day.kg)),
                h('td', { class: 'num' }, i18n.number(day.deposits)),
              ),
            ),
          ),
        ),
      ),
    });
  }

  async function exportCsv(): Promise<void> {
    // The CSV's headers and names in the console's language; its codes and numbers stay machine-readable.
    await exportFile({
      button: exportButton,
      note: exportNote,
      busy: t('tonnage.exporting'),
      failed: (error) => t('tonnage.exportFailed', { reason: describeError(error, i18n) }),
      download: () => ctx.api.download(`/api/v1/reports/tonnage.csv?${reportRangeQuery(range)}&lang=${encodeURIComponent(i18n.locale)}`),
      fallbackName: 'binpulse-tonnage.csv',
    });
  }

  void load();
  const timer = setInterval(() => range.to >= today() && void load(), REFRESH_MS);
  return {
    unmount() {
      clearInterval(timer);
      fromPicker.destroy();
      toPicker.destroy();
      loading += 1;
    },
  };
};

/**
 * #/mass-balance: the managers' check on the whole chain (issue 14): the kg at each stage from the
 * boxes to the sorting centre, the recovery rate, the recovered tonnes per day against the
 * district's 60–80 t band, each day's legs against their tolerances, and the trips to look at.
 */
import type { LegBalance, MassBalanceDay, MassBalanceReport, Subdistrict, TripBalance } from '../../../../shared/contracts/index.ts';
import { localDay } from '../../../../shared/units.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { attentionCount, flowStages, recoveredAsTonnage } from '../../core/mass-balance-view.ts';
import { bandText, buildTonnageChart, defaultTonnageRange, MAX_RANGE_DAYS, orderedRange, rangeDays } from '../../core/tonnage-chart.ts';
import { SUBDISTRICTS } from '../../../../shared/vocabulary.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, errorState, kpi, loadingState, pageHeader } from '../widgets.ts';
import { dailyLegend, dailyStackChart } from './charts.ts';
import type { ViewMount } from './context.ts';
import { datePicker } from './date-picker.ts';
import { exportFile } from '../save-file.ts';
import { parseReportRange, reportRangeQuery, type ReportRange } from '../../core/report-range.ts';

const STAGE_COLOURS: Record<string, string> = {
  deposited: '#5b8def',
  collected: '#3f7be0',
  weighedIn: '#2b6cb0',
  shipped: '#23808a',
  received: '#12a37f',
  recovered: '#0f8a5f',
  residue: '#a0a7b4',
};

export const mountMassBalance: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t: I18n['t'] = (key, params) => i18n.t(key, params);
  document.title = t('page.title', { view: t('nav.mass-balance') });
  const today = () => localDay(Date.now(), i18n.utcOffsetMinutes);
  let range = parseReportRange(query, defaultTonnageRange(today()));
  let loading = 0;

  const onPicked = () => apply({ ...orderedRange(fromPicker.value, toPicker.value), ...(range.subdistrict && { subdistrict: range.subdistrict }) });
  const fromPicker = datePicker({ name: 'from', label: t('tonnage.range.from'), value: range.from, max: today(), i18n, onChange: onPicked });
  const toPicker = datePicker({ name: 'to', label: t('tonnage.range.to'), value: range.to, max: today(), i18n, onChange: onPicked });
  const area = h(
    'select',
    { name: 'subdistrict', id: 'ledger-area' },
    h('option', { value: '' }, t('ledger.range.wholeDistrict')),
    SUBDISTRICTS.map((s) => h('option', { value: s, selected: range.subdistrict === s }, t(`subdistrict.${s}`))),
  );
  area.addEventListener('change', () => apply({ from: range.from, to: range.to, ...(area.value && { subdistrict: area.value as Subdistrict }) }));
  const exportButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'export-csv', onclick: () => void exportCsv() }, t('ledger.export'));
  const exportNote = h('span', { class: 'muted small', role: 'status' });
  const controls = h(
    'form',
    { class: 'range-controls', onsubmit: (e: Event) => e.preventDefault() },
    fromPicker.element,
    toPicker.element,
    h('div', { class: 'range-field' }, h('label', { for: 'ledger-area' }, t('ledger.range.area')), area),
  );
  const kpis = h('div', { class: 'kpis ledger-kpis' });
  const content = h('div', { class: 'ledger-content' }, loadingState(t('ledger.loading')));
  root.append(
    pageHeader(t('ledger.title'), t('ledger.subtitle', { offset: i18n.offsetLabel }), exportNote, exportButton),
    card({ title: t('tonnage.range.title'), body: controls, class: 'card-controls', id: 'range' }),
    kpis,
    content,
  );

  function apply(next: ReportRange): void {
    range = next;
    replaceQuery('mass-balance', reportRangeQuery(range));
    void load();
  }

  async function load(): Promise<void> {
    const ticket = ++loading;
    fromPicker.set(range.from);
    toPicker.set(range.to);
    if (rangeDays(range) > MAX_RANGE_DAYS) {
      fill(kpis);
      fill(content, errorState(i18n, t('tonnage.range.tooLong', { count: MAX_RANGE_DAYS })));
      return;
    }
    content.classList.add('is-loading');
    try {
      const report = await ctx.api.get<MassBalanceReport>(`/api/v1/reports/mass-balance?${reportRangeQuery(range)}`);
      if (ticket === loading) render(report);
    } catch (error) {
      if (ticket !== loading) return;
      fill(kpis);
      fill(content, errorState(i18n, describeError(error, i18n), () => void load()));
    } finally {
      if (ticket === loading) content.classList.remove('is-loading');
    }
  }

  function render(report: MassBalanceReport): void {
    const chart = buildTonnageChart(recoveredAsTonnage(report), { today: today(), districtWide: range.subdistrict === undefined });
    const attention = attentionCount(report);
    fill(
      kpis,
      kpi({
        id: 'recovery-rate',
        label: t('ledger.kpi.recoveryRate'),
        value: report.recoveryRate === null ? '–' : t('tonnage.share', { value: i18n.number(report.recoveryRate * 100, 1) }),
        sub: t('ledger.kpi.recoveryRateHint'),
        tone: 'info',
        data: { rate: String(report.recoveryRate ?? '') },
      }),
      kpi({ id: 'recovered-per-day', label: t('ledger.kpi.recoveredPerDay'), value: chart.averageKgPerDay === null ? '–' : i18n.tonnes(chart.averageKgPerDay), sub: t('tonnage.kpi.completedDays'), tone: 'neutral' }),
      chart.band
        ? kpi({
            id: 'in-band',
            label: t('ledger.kpi.inBand', { band: bandText(chart.band, i18n) }),
            value: t('ledger.kpi.inBandValue', { days: chart.daysInBand, total: chart.reportedDays }),
            sub: t('tonnage.kpi.completedDays'),
            tone: chart.reportedDays === 0 ? 'neutral' : chart.daysInBand === chart.reportedDays ? 'good' : 'warn',
          })
        : kpi({ id: 'area', label: t('ledger.range.area'), value: t(`subdistrict.${range.subdistrict!}`), sub: t('ledger.kpi.bandDistrictOnly'), tone: 'neutral' }),
      kpi({ id: 'attention', label: t('ledger.kpi.attention'), value: attention === 0 ? t('ledger.kpi.none') : i18n.number(attention), tone: attention === 0 ? 'good' : 'warn', data: { count: String(attention) } }),
    );
    fill(
      content,
      card({ title: t('ledger.flow.title'), subtitle: t('ledger.flow.subtitle'), body: flow(report), id: 'flow' }),
      card({
        title: t('ledger.daily.title'),
        subtitle: chart.band ? t('ledger.daily.subtitle', { band: bandText(chart.band, i18n) }) : t('tonnage.daily.oneArea', { area: t(`subdistrict.${range.subdistrict!}`) }),
        body: [dailyStackChart(chart, i18n), dailyLegend(chart, i18n)],
        id: 'daily',
      }),
      legsTable(report.days),
      tripsTable(report),
    );
  }

  /** Stepped horizontal bars, one per stage, the change from the stage before beside each. */
  function flow(report: MassBalanceReport): HTMLElement {
    const stages = flowStages(report.totals);
    const max = Math.max(1, ...stages.map((s) => s.kg));
    return h(
      'ul',
      { class: 'hbars ledger-flow', 'data-chart': 'flow', 'aria-label': t('ledger.flow.label') },
      stages.map((s) =>
        h(
          'li',
          { 'data-stage': s.stage, 'data-kg': String(s.kg) },
          h('span', { class: 'hbar-label' }, t(`ledger.stage.${s.stage}`)),
          h('span', { class: 'hbar-track' }, h('span', { class: 'hbar-value', style: { width: `${(s.kg / max) * 100}%`, background: STAGE_COLOURS[s.stage]! } })),
          h(
            'span',
            { class: 'hbar-num' },
            i18n.tonnes(s.kg),
            s.changeKg !== null &&
              h('small', null, t('ledger.flow.change', { change: signedTonnes(s.changeKg), share: s.changeShare === null ? '–' : t('tonnage.share', { value: i18n.number(s.changeShare * 100, 1) }) })),
          ),
        ),
      ),
    );
  }

  function signedTonnes(kg: number): string {
    return kg > 0 ? `+${i18n.tonnes(kg)}` : kg < 0 ? `−${i18n.tonnes(-kg)}` : i18n.tonnes(0);
  }

  function legCell(leg: LegBalance): HTMLElement {
    const status = leg.toleranceKg === null ? t('ledger.leg.stock') : t(leg.within === false ? 'ledger.leg.out' : 'ledger.leg.within', { tolerance: i18n.kg(leg.toleranceKg) });
    return h(
      'td',
      { class: `num${leg.within === false ? ' is-out' : ''}`, 'data-leg': leg.leg, 'data-within': String(leg.within) },
      t('ledger.leg.cell', { loss: i18n.kg(leg.lossKg), status }),
    );
  }

  function legsTable(days: readonly MassBalanceDay[]): HTMLElement {
    const legs = days[0]?.legs.map((l) => l.leg) ?? [];
    return card({
      title: t('ledger.legs.title'),
      subtitle: t('ledger.legs.subtitle'),
      id: 'legs',
      body: h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-compact table-numbers ledger-legs' },
          h('thead', null, h('tr', null, h('th', null, t('ledger.legs.day')), legs.map((leg) => h('th', { class: 'num' }, t(`ledger.leg.${leg}`))))),
          h('tbody', null, [...days].reverse().map((day) => h('tr', { 'data-day': day.day }, h('td', null, i18n.day(day.day, 'long')), day.legs.map(legCell)))),
        ),
      ),
    });
  }

  function tripRow(trip: TripBalance): HTMLElement {
    return h(
      'tr',
      { 'data-status': trip.status, 'data-plate': trip.plate },
      h('td', null, trip.plate),
      h('td', null, i18n.day(trip.day, 'short')),
      h('td', { class: 'num' }, i18n.kg(trip.collectedKg)),
      h('td', { class: 'num' }, trip.weighedInKg === null ? '–' : i18n.kg(trip.weighedInKg)),
      h('td', { class: 'num' }, trip.lossKg === null ? '–' : i18n.kg(trip.lossKg)),
      h('td', null, trip.weighInTicketId ?? '–'),
      h('td', null, h('span', { class: `pill status-${trip.status}` }, t(`ledger.status.${trip.status}`))),
    );
  }

  function tripsTable(report: MassBalanceReport): HTMLElement {
    const head = ['plate', 'day', 'collected', 'weighedIn', 'loss', 'ticket', 'status'] as const;
    return card({
      title: t('ledger.trips.title'),
      subtitle: t('ledger.trips.subtitle', { within: report.tripCounts.within, open: report.tripCounts.open }),
      id: 'trips',
      body:
        report.trips.length === 0
          ? h('p', { class: 'muted' }, t('ledger.trips.none'))
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'table table-compact' },
                h('thead', null, h('tr', null, head.map((key) => h('th', { class: ['collected', 'weighedIn', 'loss'].includes(key) ? 'num' : '' }, t(`ledger.trips.${key}`))))),
                h('tbody', null, report.trips.map(tripRow)),
              ),
            ),
    });
  }

  async function exportCsv(): Promise<void> {
    await exportFile({
      button: exportButton,
      note: exportNote,
      failed: (error) => t('ledger.exportFailed', { reason: describeError(error, i18n) }),
      download: () => ctx.api.download(`/api/v1/reports/mass-balance.csv?${reportRangeQuery(range)}&lang=${encodeURIComponent(i18n.locale)}`),
      fallbackName: 'binpulse-mass-balance.csv',
    });
  }

  void load();
  return {
    unmount() {
      fromPicker.destroy();
      toPicker.destroy();
      loading += 1;
    },
  };
};

/**
 * #/participation: the managers' screen (issue 14): residents taking part per subdistrict and
 * community, against registered households, with the points pilot 新天地花苑 marked; CSV export.
 */
import type { CommunityParticipation, ParticipationReport, Subdistrict } from '../../../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../../../shared/units.ts';
import { isDay } from '../../core/date-picker.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import { rateTone, rateWidth, trendDirection } from '../../core/participation-view.ts';
import { SUBDISTRICTS } from '../../../../shared/vocabulary.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { replaceQuery } from '../router.ts';
import { card, errorState, kpi, loadingState, pageHeader, pill } from '../widgets.ts';
import type { ViewMount } from './context.ts';
import { datePicker } from './date-picker.ts';
import { exportFile } from '../save-file.ts';

interface Selection {
  to?: string;
  subdistrict?: Subdistrict;
}

function parseSelection(query: string): Selection {
  const params = new URLSearchParams(query);
  const selection: Selection = {};
  const to = params.get('to');
  const subdistrict = params.get('subdistrict');
  if (to && isDay(to)) selection.to = to;
  if (subdistrict && (SUBDISTRICTS as readonly string[]).includes(subdistrict)) selection.subdistrict = subdistrict as Subdistrict;
  return selection;
}

function selectionQuery(selection: Selection): string {
  const params = new URLSearchParams();
  if (selection.to) params.set('to', selection.to);
  if (selection.subdistrict) params.set('subdistrict', selection.subdistrict);
  return params.toString();
}

export const mountParticipation: ViewMount = (root, ctx, query) => {
  const { i18n } = ctx;
  const t: I18n['t'] = (key, params) => i18n.t(key, params);
  document.title = t('page.title', { view: t('nav.participation') });
  const today = () => localDay(Date.now(), i18n.utcOffsetMinutes);
  let selection = parseSelection(query);
  let loading = 0;

  const toPicker = datePicker({
    name: 'to',
    label: t('participation.to'),
    // The API's default: yesterday, the last complete day.
    value: selection.to ?? localDay(Date.now() - DAY_MS, i18n.utcOffsetMinutes),
    max: today(),
    i18n,
    onChange: (day) => apply({ ...selection, to: day }),
  });
  const subdistrictSelect = h(
    'select',
    { name: 'subdistrict', id: 'participation-area' },
    h('option', { value: '' }, t('participation.wholeDistrict')),
    SUBDISTRICTS.map((s) => h('option', { value: s, selected: selection.subdistrict === s }, t(`subdistrict.${s}`))),
  );
  subdistrictSelect.addEventListener('change', () => {
    const next: Selection = { ...(selection.to && { to: selection.to }) };
    if (subdistrictSelect.value) next.subdistrict = subdistrictSelect.value as Subdistrict;
    apply(next);
  });
  const exportButton = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'export-csv', onclick: () => void exportCsv() }, t('participation.export'));
  const exportNote = h('span', { class: 'muted small', role: 'status' });
  const controls = h(
    'form',
    { class: 'range-controls', onsubmit: (e: Event) => e.preventDefault() },
    toPicker.element,
    h('div', { class: 'range-field' }, h('label', { for: 'participation-area' }, t('participation.area')), subdistrictSelect),
  );
  const subtitle = h('span', null);
  const kpis = h('div', { class: 'kpis participation-kpis' });
  const content = h('div', { class: 'participation-content' }, loadingState(t('participation.loading')));
  root.append(
    pageHeader(t('participation.title'), subtitle, exportNote, exportButton),
    card({ title: t('participation.controls'), body: controls, class: 'card-controls', id: 'participation-controls' }),
    kpis,
    content,
  );

  function apply(next: Selection): void {
    selection = next;
    replaceQuery('participation', selectionQuery(selection));
    void load();
  }

  async function load(): Promise<void> {
    const ticket = ++loading;
    content.classList.add('is-loading');
    try {
      const report = await ctx.api.get<ParticipationReport>(`/api/v1/reports/participation?${selectionQuery(selection)}`);
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

  const percent = (rate: number | null) => (rate === null ? '–' : t('tonnage.share', { value: i18n.number(rate * 100, 0) }));

  function rateBar(rate: number | null): HTMLElement {
    return h(
      'span',
      { class: `rate-bar tone-${rateTone(rate)}`, 'data-rate': rate === null ? '' : String(rate) },
      h('span', { class: 'rate-track' }, h('span', { class: 'rate-value', style: { width: `${rateWidth(rate)}%` } })),
      h('span', { class: 'rate-num' }, percent(rate)),
    );
  }

  function trend(now: number, before: number, value: number | null): HTMLElement {
    const direction = trendDirection(value);
    const text = direction === 'none' ? t('participation.trend.none') : t(`participation.trend.${direction}`, { value: percent(Math.abs(value!)) });
    return h('span', { class: `trend trend-${direction}`, 'data-trend': direction, title: t('participation.trend.title', { now, before }) }, text);
  }

  function render(report: ParticipationReport): void {
    toPicker.set(report.to);
    fill(subtitle, t('participation.subtitle', { day: i18n.day(report.to, 'long') }));
    const total = report.total;
    fill(
      kpis,
      kpi({
        id: 'rate',
        label: t('participation.kpi.rate'),
        value: percent(total.rate),
        sub: total.households === null ? t('participation.notRegistered') : t('participation.kpi.rateSub', { active: i18n.number(total.active30d), households: i18n.number(total.households) }),
        tone: rateTone(total.rate) === 'neutral' ? 'neutral' : rateTone(total.rate) === 'good' ? 'good' : 'warn',
        data: { active30d: String(total.active30d), households: String(total.households ?? '') },
      }),
      kpi({ id: 'active7', label: t('participation.kpi.active7'), value: i18n.number(total.active7d), sub: trend(total.active7d, total.activePrevious7d, total.trend), tone: 'info' }),
      kpi({
        id: 'kg-per-active',
        label: t('participation.kpi.kgPerActive'),
        value: total.kgPerActive === null ? '–' : i18n.kg(total.kgPerActive, 1),
        sub: t('participation.kpi.kgPerActiveSub', { kg: i18n.tonnes(total.kg30d) }),
        tone: 'neutral',
      }),
      kpi({ id: 'points', label: t('participation.kpi.points'), value: i18n.number(total.points30d), sub: t('participation.kpi.pointsSub', { deposits: i18n.number(total.deposits30d) }), tone: 'neutral' }),
    );
    if (report.communities.length === 0) {
      fill(content, card({ title: t('participation.communities.title'), body: h('p', { class: 'muted' }, t('participation.empty')), id: 'communities' }));
      return;
    }
    fill(
      content,
      card({
        title: t('participation.bySubdistrict.title'),
        subtitle: t('participation.bySubdistrict.subtitle'),
        id: 'by-subdistrict',
        body: h(
          'ul',
          { class: 'rate-list' },
          report.subdistricts.map((s) =>
            h('li', { 'data-subdistrict': s.subdistrict }, h('span', { class: 'rate-label' }, t(`subdistrict.${s.subdistrict}`)), rateBar(s.rate), h('span', { class: 'muted small' }, t('participation.kpi.rateSub', { active: i18n.number(s.active30d), households: i18n.number(s.households ?? 0) }))),
          ),
        ),
      }),
      communityTable(report.communities),
    );
  }

  function communityTable(communities: readonly CommunityParticipation[]): HTMLElement {
    // The pilot first: it is the figure the district reports on.
    const rows = [...communities.filter((c) => c.pilot), ...communities.filter((c) => !c.pilot)];
    const num = (value: string) => h('td', { class: 'num' }, value);
    return card({
      title: t('participation.communities.title'),
      subtitle: t('participation.communities.subtitle'),
      id: 'communities',
      body: h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table table-compact table-numbers participation-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, t('participation.col.community')),
              h('th', null, t('participation.col.subdistrict')),
              h('th', { class: 'num' }, t('participation.col.households')),
              h('th', { class: 'num' }, t('participation.col.active7')),
              h('th', { class: 'num' }, t('participation.col.active30')),
              h('th', null, t('participation.col.rate')),
              h('th', { class: 'num' }, t('participation.col.kgPerActive')),
              h('th', { class: 'num' }, t('participation.col.points')),
              h('th', null, t('participation.col.trend')),
            ),
          ),
          h(
            'tbody',
            null,
            rows.map((c) =>
              h(
                'tr',
                { class: c.pilot ? 'is-pilot' : '', 'data-community': c.community, 'data-households': String(c.households ?? ''), 'data-active30': String(c.active30d) },
                h('td', null, c.community, c.pilot && [' ', pill(t('participation.pilot'), 'info')]),
                h('td', null, t(`subdistrict.${c.subdistrict}`)),
                num(c.households === null ? t('participation.notRegistered') : i18n.number(c.households)),
                num(i18n.number(c.active7d)),
                num(i18n.number(c.active30d)),
                h('td', null, rateBar(c.rate)),
                num(c.kgPerActive === null ? '–' : i18n.number(c.kgPerActive, 1)),
                num(i18n.number(c.points30d)),
                h('td', null, trend(c.active7d, c.activePrevious7d, c.trend)),
              ),
            ),
          ),
        ),
      ),
    });
  }

  async function exportCsv(): Promise<void> {
    await exportFile({
      button: exportButton,
      note: exportNote,
      busy: t('participation.exporting'),
      failed: (error) => t('participation.exportFailed', { reason: describeError(error, i18n) }),
      download: () => ctx.api.download(`/api/v1/reports/participation.csv?${selectionQuery(selection)}&lang=${encodeURIComponent(i18n.locale)}`),
      fallbackName: 'binpulse-participation.csv',
    });
  }

  void load();
  return {
    unmount() {
      toPicker.destroy();
      loading += 1;
    },
  };
};

/**
 * The boxes to empty, fullest first, as a compact list that scrolls inside its card (beside the
 * map, so both are on screen at 1366×768); a row click shows the box on the map. Each row says
 * when its compartment is forecast full ("full by 14:30 (±40 min)"), from one GET
 * /api/v1/forecasts per refresh; until that answers (or if it fails) the column shows "–".
 */
import type { DeviceWithState, ForecastList } from '../../../../shared/contracts/index.ts';
import { boxesToEmpty, forecastsForRows, fullForecastText, type BoxToEmpty, type FullForecast } from '../../core/boxes-to-empty.ts';
import { TO_EMPTY_THRESHOLD } from '../../core/fill-scale.ts';
import type { I18n } from '../../core/i18n/translator.ts';
import type { Api } from '../api.ts';
import { fill, h } from '../dom.ts';
import { card, categoryChip, emptyState, fillBar, pill } from '../widgets.ts';

/** The thresholds an operator can choose: the alert's 90 %, and the collection rounds' 70 %. */
const THRESHOLDS = [TO_EMPTY_THRESHOLD, 0.8, 0.7];
/** Every box forecast full within the forecasts' 14-day horizon, and the API's largest page. */
const FORECASTS_PATH = '/api/v1/forecasts?fullWithinH=336&limit=1000';

export function createToEmptyTable(options: { i18n: I18n; onSelect: (deviceId: string) => void; api?: Api }): {
  element: HTMLElement;
  update(devices: readonly DeviceWithState[]): void;
} {
  const { i18n } = options;
  const t = i18n.t.bind(i18n);
  let threshold = TO_EMPTY_THRESHOLD;
  let last: readonly DeviceWithState[] = [];
  /** The last forecasts fetched, kept for a threshold change (no refetch) and while the next fetch runs. */
  let forecasts: ForecastList['items'] | null = null;
  let fetching = 0;
  const select = h(
    'select',
    {
      'aria-label': t('ops.toEmpty.threshold'),
      name: 'threshold',
      onchange: (event: Event) => {
        threshold = Number((event.target as HTMLSelectElement).value);
        render();
      },
    },
    THRESHOLDS.map((value) => h('option', { value: String(value) }, t('ops.toEmpty.thresholdOption', { percent: i18n.percent(value) }))),
  );
  const count = h('span', { class: 'card-count' });
  const body = h('div', { class: 'table-wrap ops-scroll' });
  const element = card({
    title: t('ops.toEmpty.title'),
    subtitle: t('ops.toEmpty.subtitle'),
    actions: [count, select],
    body,
    class: 'to-empty-card',
    id: 'to-empty',
  });

  function row(box: BoxToEmpty, rank: number, now: number, forecast: FullForecast | undefined): HTMLElement {
    const select = () => options.onSelect(box.id);
    const subdistrict = t(`subdistrict.${box.subdistrict}`);
    const place = box.communityInName
      ? t('ops.toEmpty.placeInName', { subdistrict, person: box.responsiblePerson })
      : t('ops.toEmpty.place', { community: box.community, subdistrict, person: box.responsiblePerson });
    return h(
      'tr',
      { class: 'is-clickable', 'data-device': box.id, tabindex: 0, onclick: select, onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && select() },
      h('td', { class: 'num muted' }, i18n.number(rank)),
      h(
        'td',
        null,
        h(
          'div',
          { class: 'cell-title', title: t('ops.toEmpty.lastReport', { id: box.id, time: i18n.short(box.lastSeen, now), ago: i18n.ago(box.lastSeen, now) }) },
          // An offline box's reading may be stale: say so, with when it last reported.
          box.online ? null : pill(t('ops.toEmpty.offlineSince', { time: i18n.short(box.lastSeen, now) }), 'bad'),
          box.name,
        ),
        h('div', { class: 'cell-sub', 'data-place': '', title: `${box.community} · ${box.gridCell}` }, place),
      ),
      h('td', null, h('div', { class: 'chips' }, categoryChip(box.category, i18n), box.alsoDue.map((c) => categoryChip(c.category, i18n, i18n.percent(c.fillingLevel))))),
      h('td', null, fillBar(box.fillingLevel, box.overflow, i18n)),
      h(
        'td',
        { class: `forecast${forecast?.kind === 'full' ? ' is-full' : ''}`, 'data-forecast': forecast?.kind ?? 'loading', title: t('ops.toEmpty.forecastTitle') },
        forecast === undefined ? '–' : fullForecastText(forecast, now, i18n),
      ),
    );
  }

  function update(devices: readonly DeviceWithState[]): void {
    last = devices;
    render();
    if (options.api && boxesToEmpty(devices, Math.min(...THRESHOLDS)).length > 0) void fetchForecasts(options.api);
  }

  async function fetchForecasts(api: Api): Promise<void> {
    const ticket = ++fetching;
    try {
      const list = await api.get<ForecastList>(FORECASTS_PATH);
      if (ticket !== fetching) return;
      forecasts = list.items;
      render();
    } catch {
      // The list stands without its forecast column's values; the next refresh tries again.
    }
  }

  function render(): void {
    const rows = boxesToEmpty(last, threshold);
    count.textContent = t('ops.toEmpty.count', { count: rows.length });
    count.dataset.count = String(rows.length);
    if (rows.length === 0) {
      fill(body, emptyState(t('ops.toEmpty.none'), t('ops.toEmpty.noneText', { percent: i18n.percent(threshold) })));
      return;
    }
    const now = Date.now();
    const joined = forecasts !== null ? forecastsForRows(rows, forecasts, now) : new Map<string, FullForecast>();
    const headings = [t('ops.toEmpty.col.rank'), t('ops.toEmpty.col.box'), t('ops.toEmpty.col.compartment'), t('ops.toEmpty.col.fill'), t('ops.toEmpty.col.forecast')];
    fill(
      body,
      h(
        'table',
        { class: 'table table-compact', 'data-table': 'to-empty' },
        h('thead', null, h('tr', null, headings.map((text) => h('th', null, text)))),
        h('tbody', null, rows.map((box, i) => row(box, i + 1, now, joined.get(box.id)))),
      ),
    );
  }

  return { element, update };
}

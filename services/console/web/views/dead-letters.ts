/** Dead letters for engineers: rejected messages counted by reason, and the latest ones with their payloads. */
import type { DeadLetter, DeadLetterReason } from '../../../../shared/contracts/index.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { card, emptyState, errorState, loadingState } from '../widgets.ts';
import type { ViewContext } from './context.ts';

/** GET /api/v1/dead-letters (shared/contracts DeadLetterSummary). */
type Summary = { counts: Record<DeadLetterReason, number>; total: number; recent: DeadLetter[] };

const POLL_MS = 30_000;

export function createDeadLetters(ctx: ViewContext): { element: HTMLElement; start(): void; stop(): void } {
  const { i18n } = ctx;
  const t = i18n.t.bind(i18n);
  const body = h('div', { class: 'dead-letters' }, loadingState(t('health.deadLettersLoading')));
  const total = h('span', { class: 'card-count' });
  const element = card({ title: t('health.deadLetters'), subtitle: t('health.deadLettersSub'), actions: [total], body, id: 'dead-letters' });
  let timer: ReturnType<typeof setInterval> | undefined;

  async function load(): Promise<void> {
    try {
      render(await ctx.api.get<Summary>('/api/v1/dead-letters?limit=20'));
    } catch (error) {
      fill(body, errorState(i18n, describeError(error, i18n), () => void load()));
    }
  }

  function render(summary: Summary): void {
    total.textContent = t('health.deadLettersTotal', { count: summary.total });
    total.dataset.count = String(summary.total);
    if (summary.total === 0) {
      fill(body, emptyState(t('health.deadLettersEmpty'), t('health.deadLettersEmptyText')));
      return;
    }
    const max = Math.max(1, ...Object.values(summary.counts));
    const now = Date.now();
    fill(
      body,
      h(
        'div',
        { class: 'dl-grid' },
        h(
          'ul',
          { class: 'hbars', 'data-chart': 'dead-letter-reasons', 'aria-label': t('health.deadLettersChart') },
          (Object.entries(summary.counts) as [DeadLetterReason, number][])
            .sort((a, b) => b[1] - a[1])
            .map(([reason, n]) =>
              h(
                'li',
                { class: n === 0 ? 'is-zero' : '', 'data-reason': reason },
                h('span', { class: 'hbar-label' }, t(`deadLetter.${reason}`)),
                h('span', { class: 'hbar-track' }, h('span', { class: 'hbar-value', style: { width: `${(n / max) * 100}%`, background: '#c2410c' } })),
                h('span', { class: 'hbar-num' }, i18n.number(n)),
              ),
            ),
        ),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-compact' },
            h('thead', null, h('tr', null, [t('health.dl.received'), t('health.dl.device'), t('health.dl.reason'), t('health.dl.detail'), t('health.dl.payload')].map((text) => h('th', null, text)))),
            h(
              'tbody',
              null,
              summary.recent.map((letter) =>
                h(
                  'tr',
                  null,
                  h('td', { title: i18n.ago(letter.receivedAt, now) }, i18n.short(letter.receivedAt, now)),
                  h('td', null, letter.deviceId ?? h('span', { class: 'muted' }, t('health.dl.unknownDevice')), h('div', { class: 'cell-sub mono' }, letter.topic)),
                  h('td', null, t(`deadLetter.${letter.reason}`)),
                  // The server's validation detail (field paths, zod wording) stays as sent: engineers search for it.
                  h('td', { class: 'wrap' }, letter.detail),
                  h('td', null, h('code', { class: 'payload', title: letter.payloadPreview }, letter.payloadPreview)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  return {
    element,
    start() {
      void load();
      timer = setInterval(() => void load(), POLL_MS);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Dead letters for engineers: rejected messages counted by reason, and the latest ones with their payloads. */
import type { DeadLetter, DeadLetterReason } from '../../../../shared/contracts/index.ts';
import { formatAgo, formatShort } from '../../core/district-time.ts';
import { DEAD_LETTER_LABELS } from '../../core/labels.ts';
import { describeError } from '../api.ts';
import { fill, h } from '../dom.ts';
import { card, emptyState, errorState, loadingState } from '../widgets.ts';
import type { ViewContext } from './context.ts';

/** GET /api/v1/dead-letters (shared/contracts DeadLetterSummary). */
type Summary = { counts: Record<DeadLetterReason, number>; total: number; recent: DeadLetter[] };

const POLL_MS = 30_000;

export function createDeadLetters(ctx: ViewContext): { element: HTMLElement; start(): void; stop(): void } {
  const body = h('div', { class: 'dead-letters' }, loadingState('Loading dead letters…'));
  const total = h('span', { class: 'card-count' });
  const element = card({ title: 'Dead letters', subtitle: 'Messages the platform refused, by reason (all time), and the latest ones', actions: [total], body, id: 'dead-letters' });
  let timer: ReturnType<typeof setInterval> | undefined;

  async function load(): Promise<void> {
    try {
      render(await ctx.api.get<Summary>('/api/v1/dead-letters?limit=20'));
    } catch (error) {
      fill(body, errorState(describeError(error), () => void load()));
    }
  }

  function render(summary: Summary): void {
    total.textContent = `${summary.total.toLocaleString('en-US')} in total`;
    total.dataset.count = String(summary.total);
    if (summary.total === 0) {
      fill(body, emptyState('No dead letters', 'Every message so far matched the contracts.'));
      return;
    }
    const max = Math.max(1, ...Object.values(summary.counts));
    const now = Date.now();
    const offset = ctx.config.utcOffsetMinutes;
    fill(
      body,
      h(
        'div',
        { class: 'dl-grid' },
        h(
          'ul',
          { class: 'hbars', 'data-chart': 'dead-letter-reasons' },
          (Object.entries(summary.counts) as [DeadLetterReason, number][])
            .sort((a, b) => b[1] - a[1])
            .map(([reason, n]) =>
              h(
                'li',
                { class: n === 0 ? 'is-zero' : '', 'data-reason': reason },
                h('span', { class: 'hbar-label' }, DEAD_LETTER_LABELS[reason]),
                h('span', { class: 'hbar-track' }, h('span', { class: 'hbar-value', style: { width: `${(n / max) * 100}%`, background: '#c2410c' } })),
                h('span', { class: 'hbar-num' }, n.toLocaleString('en-US')),
              ),
            ),
        ),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table table-compact' },
            h('thead', null, h('tr', null, ['Received', 'Device', 'Reason', 'Detail', 'Payload'].map((t) => h('th', null, t)))),
            h(
              'tbody',
              null,
              summary.recent.map((letter) =>
                h(
                  'tr',
                  null,
                  h('td', { title: formatAgo(letter.receivedAt, now) }, formatShort(letter.receivedAt, now, offset)),
                  h('td', null, letter.deviceId ?? h('span', { class: 'muted' }, 'unknown'), h('div', { class: 'cell-sub mono' }, letter.topic)),
                  h('td', null, DEAD_LETTER_LABELS[letter.reason]),
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

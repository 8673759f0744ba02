/**
 * While a new demo fleet's history is still being written (GET /api/v1/summary → history), a
 * notice under the top bar says how far it is, so nobody mistakes half-filled reports for the
 * district's figures. Polls only while writing; the views fetch again once it is done.
 */
import type { I18n } from '../core/i18n/translator.ts';
import type { Api } from './api.ts';
import { h } from './dom.ts';

const POLL_MS = 3_000;

interface HistoryProgress {
  state: string;
  daysWritten: number;
  daysTotal: number;
}

function progressOf(summary: unknown): HistoryProgress | undefined {
  const history = (summary as { history?: Partial<HistoryProgress> } | null)?.history;
  if (history?.state === undefined || typeof history.daysWritten !== 'number' || typeof history.daysTotal !== 'number') return undefined;
  return history as HistoryProgress;
}

export function createHistoryNotice(api: Api, i18n: I18n, onDone: () => void): { element: HTMLElement; stop(): void } {
  const element = h('div', { class: 'history-notice', role: 'status', hidden: true, 'data-history': '' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let wasWriting = false;

  async function check(): Promise<void> {
    let progress: HistoryProgress | undefined;
    let failed = false;
    try {
      progress = progressOf(await api.get<unknown>('/api/v1/summary'));
    } catch {
      failed = true; // the views show fetch errors; the notice just looks again later
    }
    if (stopped) return;
    const writing = progress?.state === 'writing';
    element.hidden = !writing;
    if (writing && progress) {
      element.textContent = i18n.t('shell.history', { done: progress.daysWritten, total: progress.daysTotal });
      element.dataset.history = `${progress.daysWritten}/${progress.daysTotal}`;
    }
    if (wasWriting && !writing) onDone();
    wasWriting = writing;
    if (writing || failed) timer = setTimeout(() => void check(), POLL_MS);
  }

  void check();
  return {
    element,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

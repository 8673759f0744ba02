/**
 * The mass balance (issue 14) against the platform as a user runs it, with a week of demo history
 * and its chain after the box (weigh-ins, shipments, sorting reports, injected anomalies):
 * - the acceptance: the ledger raises one ledger_mismatch per injected light load or missing
 *   weigh-in (the history's log line lists them), and none for the rest: every other trip is
 *   within its tolerance, every day's shipments agree with what the sorting centre received;
 * - the managers' view in both languages shows the API's figures: the flow's seven stages, the
 *   recovery rate, the legs of each day, the trips to look at; nothing of the other language.
 * Screenshots at 1366×768 go to tests/artifacts/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, DemoHistoryStatus, MassBalanceReport } from '../../shared/contracts/index.ts';
import { localDay } from '../../shared/units.ts';
import type { Locale } from '../../services/console/core/i18n/locale.ts';
import { MESSAGES } from '../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../services/console/core/i18n/translator.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, ARTIFACTS, hasChromium, launchChromium, openTab, signIn } from './console-support.ts';
import { foreignFragments, otherLanguageText } from './language-scan.ts';

const OFFSET = 480;
const MANAGER = '陈静';
interface Injected {
  kind: 'light' | 'missing' | 'drift';
  atMs: number;
  plate?: string;
  scaleId: string;
}
let platform: RunningPlatform;
let browser: Browser;
let api: ReturnType<typeof adminApi>;
let managerToken: string;
let history: DemoHistoryStatus;
let injected: Injected[];
let report: MassBalanceReport;

const ledgerAlerts = async () => (await api<{ items: Alert[] }>('/api/v1/alerts?type=ledger_mismatch&limit=200')).items;

describe.runIf(hasChromium)('mass balance: the ledger against the demo history, and the managers\' view', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ DEMO_HISTORY_DAYS: '7' });
    api = adminApi(platform);
    managerToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'manager', name: MANAGER } })).token;
    history = await waitFor(
      async () => {
        const status = (await api<{ history?: DemoHistoryStatus }>('/api/v1/summary')).history;
        return status?.state === 'done' ? status : undefined;
      },
      300_000,
      'the demo history to be written',
    );
    const line = await waitFor(async () => platform.output().split('\n').find((l) => l.includes('demo history written')), 30_000, 'the history summary');
    injected = (JSON.parse(line) as { anomaliesInjected: Injected[] }).anomaliesInjected;
    // The ledger's first check after the history covers it all; it logs when it raised something.
    await waitFor(async () => (platform.output().includes('ledger checked') || injected.length === 0 ? true : undefined), 60_000, 'the ledger check');
    report = await api<MassBalanceReport>(`/api/v1/reports/mass-balance?from=${history.fromDay}&to=${history.toDay}`);
    browser = await launchChromium();
  }, 420_000);

  // A platform with a week of history can take a while to stop on a loaded machine.
  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  }, 90_000);

  it('one ledger_mismatch per injected light load or missing weigh-in, none for the rest', async () => {
    // The live simulator goes on today: only the history's days are compared with its injections.
    const lastDay = history.toDay!;
    const alerts = (await ledgerAlerts()).filter((a) => a.evidence.day === undefined || a.evidence.day <= lastDay);
    const trips = alerts.filter((a) => a.key.startsWith('ledger_mismatch:trip:'));
    const expected = injected.filter((a) => a.kind !== 'drift' && localDay(a.atMs, OFFSET) <= lastDay);
    expect(trips.map((a) => a.evidence.plate).sort()).toEqual(expected.map((a) => a.plate).sort());
    for (const anomaly of expected) {
      const alert = trips.find((a) => a.evidence.plate === anomaly.plate)!;
      expect(alert.message.code).toBe(anomaly.kind === 'light' ? 'ledger_mismatch.trip_light' : 'ledger_mismatch.missing_weigh_in');
      expect(alert.count).toBe(1);
    }
    // The days' shipments agree with the sorting centre: no day raised.
    expect(alerts.filter((a) => a.key.startsWith('ledger_mismatch:shipped_received:'))).toEqual([]);
    // A heavy scale only where a drift was injected.
    const drifted = new Set(injected.filter((a) => a.kind === 'drift').map((a) => a.scaleId));
    for (const alert of alerts.filter((a) => a.key.startsWith('ledger_mismatch:scale:'))) expect(drifted.has(alert.evidence.scaleId!)).toBe(true);
    // The balance says the same: the trips to look at are the injected ones; every stage has kg every day.
    expect(report.tripCounts.mismatch + report.tripCounts.missing_weigh_in).toBe(expected.length + alerts.filter((a) => a.key.startsWith('ledger_mismatch:scale:')).reduce((n, a) => n + a.count, 0));
    expect(report.tripCounts.within).toBeGreaterThan(200);
    for (const day of report.days) {
      for (const stage of ['depositedKg', 'collectedKg', 'weighedInKg', 'shippedKg', 'receivedKg', 'recoveredKg', 'residueKg'] as const) expect(day[stage], `${day.day} ${stage}`).toBeGreaterThan(0);
      expect(day.legs.find((l) => l.leg === 'shipped_received')!.within, day.day).toBe(true);
      expect(day.legs.find((l) => l.leg === 'received_sorted')!.within, day.day).toBe(true);
    }
    expect(report.recoveryRate).toBeGreaterThan(0.85);
    expect(report.recoveryRate).toBeLessThan(1);
  });

  it.each(['zh-CN', 'en'] as const)('in %s: the flow, the recovery rate, the legs and the trips, as the API says', async (locale: Locale) => {
    const i18n = createI18n(locale, OFFSET);
    const { context, page, errors } = await openTab(browser, locale === 'en' ? 'en-US' : 'zh-CN', { width: 1366, height: 768 });
    await signIn(page, platform, managerToken, MANAGER);
    await page.locator('.nav a[data-view="mass-balance"]', { hasText: i18n.t('nav.mass-balance') }).click();
    await page.locator('[data-chart=flow]').waitFor();
    await page.goto(`${platform.baseUrl}/#/mass-balance?from=${history.fromDay}&to=${history.toDay}`);
    await page.locator(`[data-card=legs] tr[data-day="${history.fromDay}"]`).waitFor();
    expect(await page.title()).toBe(i18n.t('page.title', { view: i18n.t('nav.mass-balance') }));

    const stages = await page.locator('[data-chart=flow] li').evaluateAll((items) => items.map((li) => [li.getAttribute('data-stage'), Number(li.getAttribute('data-kg'))]));
    expect(stages).toEqual([
      ['deposited', report.totals.depositedKg],
      ['collected', report.totals.collectedKg],
      ['weighedIn', report.totals.weighedInKg],
      ['shipped', report.totals.shippedKg],
      ['received', report.totals.receivedKg],
      ['recovered', report.totals.recoveredKg],
      ['residue', report.totals.residueKg],
    ]);
    expect(await page.locator('[data-chart=flow] li[data-stage=weighedIn] .hbar-label').textContent()).toBe(i18n.t('ledger.stage.weighedIn'));
    expect(await page.locator('[data-kpi=recovery-rate] .kpi-value').textContent()).toBe(i18n.t('tonnage.share', { value: i18n.number(report.recoveryRate! * 100, 1) }));
    expect(await page.locator('[data-card=legs] tbody tr').count()).toBe(report.days.length);
    expect(await page.locator('[data-card=legs] td[data-within=false][data-leg=shipped_received]').count()).toBe(0);
    expect(await page.locator('[data-card=trips] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-plate')))).toEqual(report.trips.map((t) => t.plate));
    // The band is drawn on the daily chart, and named in the card's subtitle.
    expect(await page.locator('[data-chart=daily] rect.band').count()).toBe(1);
    expect(await page.locator('[data-card=daily]').textContent()).toContain(i18n.t('ledger.band', { low: 60, high: 80 }));

    const text = (await page.locator('main').textContent()) ?? '';
    const names = [MANAGER, ...report.trips.flatMap((t) => [t.plate, t.weighInTicketId ?? ''])].filter(Boolean);
    expect(otherLanguageText(text, foreignFragments(MESSAGES, locale), names)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}mass-balance-${locale}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an operator has no mass balance view (the API still answers reports:read)', async () => {
    const operatorToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'operator', name: '王芳' } })).token;
    const { context, page } = await openTab(browser);
    await signIn(page, platform, operatorToken, '王芳');
    expect(await page.locator('.nav a[data-view="mass-balance"]').count()).toBe(0);
    await context.close();
    const res = await fetch(`${platform.baseUrl}/api/v1/reports/mass-balance.csv?from=${history.toDay}&to=${history.toDay}`, { headers: { authorization: `Bearer ${operatorToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });
});

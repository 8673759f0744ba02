/**
 * The managers' tonnage screen in both languages, in headless Chromium against the platform as a
 * user runs it: day labels, the console's own date picker (the native one would show the
 * browser's format), the CSV in the screen's language, and the total against the API. The
 * expected texts come from the same translator and Intl formats the console uses, so a label
 * left in the other language, or formatted by the browser's locale, shows. Screenshots at
 * 1366×768 (the district's office screens) go to tests/artifacts/.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TonnageReport } from '../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../shared/units.ts';
import { TONNAGE_CSV_COLUMNS } from '../../services/console/core/csv.ts';
import { addDays, addMonths, dateFormats, FIRST_DAY_OF_WEEK, rangeEnds, weekdayColumns } from '../../services/console/core/date-picker.ts';
import type { Locale } from '../../services/console/core/i18n/locale.ts';
import { MESSAGES } from '../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../services/console/core/i18n/translator.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, ARTIFACTS, hasChromium, launchChromium, openTab, signIn } from './console-support.ts';
import { foreignFragments, otherLanguageText } from './language-scan.ts';

const OFFSET = 480;
const MANAGER = '李明';
const SCREEN = { width: 1366, height: 768 };
const BROWSER_LOCALE: Record<Locale, 'zh-CN' | 'en-US'> = { 'zh-CN': 'zh-CN', en: 'en-US' };
let platform: RunningPlatform;
let browser: Browser;
let api: ReturnType<typeof adminApi>;
let managerToken: string;

/** Yesterday is final once the replay has passed it: the simulator caught up, or the written history is done. */
async function yesterdayIsFinal(): Promise<true | undefined> {
  if (platform.output().includes('caught up with the real clock')) return true;
  const summary = await api<{ history?: { state?: string } }>('/api/v1/summary');
  return summary.history?.state === 'done' ? true : undefined;
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allTextContents();
}

/** Opens a day field's calendar, moves with the keyboard, chooses with Enter. */
async function pickWithKeys(page: Page, name: 'from' | 'to', keys: string[]): Promise<void> {
  await page.locator(`input[name=${name}]`).click();
  await page.locator(`[data-picker=${name}] .datepicker-popover:not([hidden]) button[data-day]:focus`).waitFor();
  for (const key of keys) await page.keyboard.press(key);
  await page.keyboard.press('Enter');
  await page.locator(`[data-picker=${name}] .datepicker-popover[hidden]`).waitFor({ state: 'attached' });
}

describe.runIf(hasChromium)('tonnage view in the chosen language', () => {
  beforeAll(async () => {
    // Two days of history where the platform writes it; otherwise the replay from yesterday 00:00.
    platform = await startPlatformProcess({ SIM_SPEED: '2880', DEMO_HISTORY_DAYS: '2' });
    api = adminApi(platform);
    managerToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'manager', name: MANAGER } })).token;
    browser = await launchChromium();
    await waitFor(yesterdayIsFinal, 170_000, "yesterday's deposits to be complete");
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it.each(['zh-CN', 'en'] as const)('in %s: day labels, date picker, CSV and the total against the API', async (locale) => {
    const i18n = createI18n(locale, OFFSET);
    const formats = dateFormats(locale);
    const today = localDay(Date.now(), OFFSET);
    const yesterday = localDay(Date.now() - DAY_MS, OFFSET);
    const { context, page, errors } = await openTab(browser, BROWSER_LOCALE[locale], SCREEN);
    await signIn(page, platform, managerToken, MANAGER);
    expect(new URL(page.url()).hash).toBe('#/tonnage');
    await page.locator('[data-chart=daily] .bar').first().waitFor();
    await page.locator('[data-kpi=total]').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);
    expect(await page.title()).toBe(i18n.t('page.title', { view: i18n.t('nav.tonnage') }));

    // The default range: the last 7 complete days and today, its quick button pressed.
    const from = addDays(today, -7);
    expect(await page.locator('[data-kpi=total]').getAttribute('data-from')).toBe(from);
    expect(await page.locator('[data-quick="7"]').getAttribute('aria-pressed')).toBe('true');
    expect(await texts(page, '[data-quick]')).toEqual([7, 28, 30, 90].map((count) => i18n.t('tonnage.quick.days', { count })));

    // Day and weekday under each bar, as the translator writes them; today says so.
    const bars = await page.locator('[data-chart=daily] .bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-day')!));
    expect(bars).toEqual(Array.from({ length: 8 }, (_, i) => addDays(from, i)));
    expect(await texts(page, '[data-chart=daily] [data-tick=date]')).toEqual(bars.map((day) => i18n.day(day, 'short')));
    expect(await texts(page, '[data-chart=daily] [data-tick=weekday]')).toEqual(bars.map((day) => (day === today ? i18n.t('tonnage.chart.today') : i18n.day(day, 'weekday'))));
    expect((await texts(page, '[data-chart=daily] [data-tick=weekday]')).slice(0, 7).every((w) => (locale === 'zh-CN' ? /^周[一二三四五六日]$/ : /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/).test(w))).toBe(true);
    const axis = await texts(page, '[data-chart=daily] > text.tick');
    expect(axis.length).toBeGreaterThan(2);
    expect(axis.every((label) => label.endsWith(locale === 'zh-CN' ? ' 吨' : ' t'))).toBe(true);
    expect(await page.locator('[data-chart=daily] .band-label').textContent()).toBe(i18n.t('tonnage.chart.bandLabel', { band: i18n.t('tonnage.band', { low: 60, high: 80 }) }));
    await page.screenshot({ path: `${ARTIFACTS}tonnage-${locale}.png` });
    await page.screenshot({ path: `${ARTIFACTS}tonnage-${locale}-full.png`, fullPage: true });

    // The date fields show the day in the console's language, not the browser's format.
    expect(await page.locator('input[name=from]').inputValue()).toBe(formats.field(from));
    expect(await page.locator('input[name=to]').inputValue()).toBe(formats.field(today));
    expect(await page.locator('input[name=from]').getAttribute('type')).toBe('text');

    // The calendar: month title and weekday header via Intl, weeks from the locale's first day, nothing after today.
    await page.locator('input[name=to]').click();
    const calendar = page.locator('[data-picker=to] .datepicker-popover');
    await calendar.locator(`button[data-day="${today}"]:focus`).waitFor();
    expect(await calendar.locator('.datepicker-title').textContent()).toBe(formats.month(today));
    expect(await texts(page, '[data-picker=to] .datepicker-grid th')).toEqual(weekdayColumns(FIRST_DAY_OF_WEEK[locale]).map((w) => formats.weekday(w, 'short')));
    const days = await calendar.locator('button[data-day]').evaluateAll((buttons) => buttons.map((b) => ({ day: b.getAttribute('data-day')!, disabled: (b as HTMLButtonElement).disabled })));
    expect(days.filter((d) => d.disabled).map((d) => d.day)).toEqual(days.filter((d) => d.day > today).map((d) => d.day));
    expect(await calendar.locator('[data-action=next-month]').isDisabled()).toBe(true);
    expect(await calendar.locator(`button[data-day="${today}"]`).getAttribute('aria-label')).toBe(formats.full(today));
    // The open calendar holds nothing of the other language either.
    const pickerText = await calendar.evaluate((el) => [el.textContent ?? '', ...[...el.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))].join('\n'));
    expect(otherLanguageText(pickerText, foreignFragments(MESSAGES, locale), [])).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}tonnage-picker-${locale}.png` });
    // The month buttons turn the page, and the next one stops at today's month.
    await calendar.locator('[data-action=previous-month]').click();
    expect(await calendar.locator('.datepicker-title').textContent()).toBe(formats.month(addMonths(today, -1)));
    expect(await calendar.locator(`button[data-day="${addMonths(today, -1)}"]`).getAttribute('tabindex')).toBe('0');
    await calendar.locator('[data-action=next-month]').click();
    expect(await calendar.locator('.datepicker-title').textContent()).toBe(formats.month(today));
    // Escape closes it and gives the focus back to the field.
    await page.keyboard.press('Escape');
    await page.locator('[data-picker=to] .datepicker-popover[hidden]').waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('to');

    // Yesterday alone, chosen with the keyboard: from (today − 7) a week down and a day left; to (today) a day left.
    await pickWithKeys(page, 'from', ['ArrowDown', 'ArrowLeft']);
    await pickWithKeys(page, 'to', ['ArrowLeft']);
    expect(await page.locator('input[name=from]').inputValue()).toBe(formats.field(yesterday));
    expect(await page.locator('input[name=to]').inputValue()).toBe(formats.field(yesterday));
    await page.locator(`[data-kpi=total][data-from="${yesterday}"][data-to="${yesterday}"]`).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/tonnage?from=${yesterday}&to=${yesterday}`);
    expect(await page.locator('[data-quick][aria-pressed=true]').count()).toBe(0);

    // The manager's total is the API's.
    const report = await api<TonnageReport>(`/api/v1/reports/tonnage?from=${yesterday}&to=${yesterday}`);
    expect(report.totalKg).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-kpi=total]').getAttribute('data-kg'))).toBe(report.totalKg);
    expect(await page.locator('[data-kpi=total] .kpi-value').textContent()).toBe(i18n.tonnes(report.totalKg));
    expect(await page.locator('[data-kpi=deposits] .kpi-value').textContent()).toBe(i18n.number(report.totalDeposits));
    expect(await page.locator('[data-kpi=total] .kpi-sub').textContent()).toBe(rangeEnds(yesterday, yesterday, today, formats).from);
    expect(await page.locator('[data-card=daily-table]').locator(`tr[data-day="${yesterday}"] td`).first().textContent()).toBe(i18n.day(yesterday, 'long'));

    // The CSV comes in the screen's language: headers and names; codes and kilograms as the API has them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=export-csv]').click()]);
    expect(download.suggestedFilename()).toBe(`binpulse-tonnage-${yesterday}_${yesterday}.csv`);
    const csv = readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = csv.subarray(3).toString('utf8').trim().split('\r\n');
    expect(header).toBe(TONNAGE_CSV_COLUMNS.map((column) => i18n.t(`tonnage.csv.${column}`)).join(','));
    expect(lines.length).toBeGreaterThan(0);
    const cells = lines.map((line) => line.split(','));
    expect(cells.every((c) => c[0] === yesterday)).toBe(true);
    expect(cells.every((c) => c[2] === i18n.t(`subdistrict.${c[1] as 'hongmei'}`) && c[4] === i18n.t(`category.${c[3] as 'paper'}`))).toBe(true);
    expect(cells.reduce((sum, c) => sum + Number(c[5]), 0)).toBeCloseTo(report.totalKg, 1);
    expect(cells.reduce((sum, c) => sum + Number(c[6]), 0)).toBe(report.totalDeposits);

    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('takes a typed day in the language, and says why it refuses one after today', async () => {
    const formats = dateFormats('zh-CN');
    const today = localDay(Date.now(), OFFSET);
    const { context, page, errors } = await openTab(browser, 'zh-CN', SCREEN);
    await signIn(page, platform, managerToken, MANAGER);
    await page.locator('[data-kpi=total]').waitFor();
    const from = page.locator('input[name=from]');
    const day = addDays(today, -3);
    await from.fill(formats.field(day));
    await from.press('Enter');
    await page.locator(`[data-kpi=total][data-from="${day}"]`).waitFor();
    expect(await from.inputValue()).toBe(formats.field(day));

    await from.fill(formats.field(addDays(today, 1)));
    await from.press('Enter');
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-picker=from] .datepicker-error').textContent()).toBe(createI18n('zh-CN', OFFSET).t('tonnage.picker.afterMax', { max: formats.field(today) }));
    // The range did not change.
    expect(await page.locator('[data-kpi=total]').getAttribute('data-from')).toBe(day);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

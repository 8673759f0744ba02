/**
 * The plan view (issue 13) in headless Chromium against the platform as a user runs it: an
 * operator plans tomorrow's morning shift through the view; the map draws one line per vehicle
 * route, each vehicle's stop table lists its stops in the plan's order (compared with GET
 * /api/v1/plans/:id), the CSV has one row per stop; printing hides the navigation and the map.
 * The boxes-to-empty list shows each row's forecast ("full by 14:30 (±40 min)"). Screenshots at
 * 1366×768 go to tests/artifacts/plans-<locale>.png.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceWithState, Plan, PlanProgress, PlanRoute } from '../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../shared/units.ts';
import type { Locale } from '../../services/console/core/i18n/locale.ts';
import { MESSAGES } from '../../services/console/core/i18n/messages/index.ts';
import { createI18n } from '../../services/console/core/i18n/translator.ts';
import { planCsvHeader } from '../../services/console/core/plan-csv.ts';
import { clockTime, routeViews } from '../../services/console/core/plan-view.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, ARTIFACTS, hasChromium, launchChromium, openTab, signIn } from './console-support.ts';
import { foreignFragments, otherLanguageText, properNamesOf } from './language-scan.ts';

const OFFSET = 480;
const OPERATOR = '王芳';
const SCREEN = { width: 1366, height: 768 };
const BROWSER_LOCALE: Record<Locale, 'zh-CN' | 'en-US'> = { 'zh-CN': 'zh-CN', en: 'en-US' };
let platform: RunningPlatform;
let browser: Browser;
let api: ReturnType<typeof adminApi>;
let operatorToken: string;
let properNames: string[];
/** The plan the operator makes through the view (first test), read back by the others. */
let planId: string | undefined;

const routesWithStops = (plan: Plan): PlanRoute[] => plan.routes.filter((r) => r.stops.length > 0);

async function openPlan(page: Page, date: string, id: string): Promise<void> {
  await page.goto(`${platform.baseUrl}/#/plans?date=${date}&plan=${id}`);
  await page.locator(`.plans-view[data-plan="${id}"] [data-table=stops]`).first().waitFor();
}

describe.runIf(hasChromium)('plan view', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ SIM_SPEED: '2880', DEMO_HISTORY_DAYS: '1' });
    api = adminApi(platform);
    operatorToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'operator', name: OPERATOR } })).token;
    const devices = (await api<{ items: DeviceWithState[] }>('/api/v1/devices?limit=5000')).items;
    properNames = properNamesOf(devices, [OPERATOR]);
    browser = await launchChromium();
    // Boxes forecast full before tomorrow's shift, so the plan has stops for several vehicles.
    await waitFor(async () => ((await api<{ total: number }>('/api/v1/forecasts?fullWithinH=30&limit=1')).total >= 20 ? true : undefined), 200_000, 'boxes due by tomorrow');
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it('an operator plans tomorrow morning from the view; the map draws one route per vehicle, each stop table lists its stops in order', async () => {
    const tomorrow = localDay(Date.now() + DAY_MS, OFFSET);
    const i18n = createI18n('zh-CN', OFFSET);
    const { context, page, errors } = await openTab(browser, 'zh-CN', SCREEN);
    await signIn(page, platform, operatorToken, OPERATOR);
    await page.locator('.nav a[data-view=plans]').click();
    await page.locator('.plans-view[data-plans=loaded]').waitFor();
    expect(await page.title()).toBe(i18n.t('page.title', { view: i18n.t('nav.plans') }));
    await page.goto(`${platform.baseUrl}/#/plans?date=${tomorrow}`);
    await page.locator('.plans-view[data-plans=loaded]').waitFor();
    await page.locator('[data-action=plan-shift]').click();
    await page.locator('.plans-view[data-plan] [data-table=stops]').first().waitFor({ timeout: 60_000 });
    planId = (await page.locator('.plans-view').getAttribute('data-plan'))!;
    expect(new URL(page.url()).hash).toBe(`#/plans?date=${tomorrow}&plan=${planId}`);

    const plan = await api<Plan>(`/api/v1/plans/${planId}`);
    expect(plan.shift.date).toBe(tomorrow);
    expect(clockTime(plan.shift.startAt, OFFSET)).toBe('06:00');
    expect(plan.createdBy).toContain(OPERATOR);
    const routes = routesWithStops(plan);
    expect(routes.length, 'the demo fleet plans with several vehicles').toBeGreaterThan(1);

    // The plan is in the day's list, selected.
    await expect.poll(() => page.locator(`tr[data-plan="${planId}"].is-selected`).count()).toBe(1);

    // One SVG line per vehicle route, each in its own colour.
    const lines = await page.locator('[data-map=plan] path.bp-route').evaluateAll((paths) => paths.map((p) => ({ vehicle: p.getAttribute('data-vehicle'), stroke: p.getAttribute('stroke') })));
    expect(lines.map((l) => l.vehicle).sort()).toEqual(routes.map((r) => r.vehicleId).sort());
    expect(new Set(lines.map((l) => l.stroke)).size).toBe(routes.length);
    expect(lines.map((l) => l.stroke)).toEqual(routeViews(plan, null).map((v) => v.colour));
    // A numbered marker per stop, and a square per transfer station the routes start from.
    expect(await page.locator('[data-map=plan] .bp-stop').count()).toBe(plan.totals.stops);
    const depots = [...new Set(routes.map((r) => r.depotId))].sort();
    expect(routes.every((r) => r.depot !== undefined)).toBe(true);
    expect(await page.locator('[data-map=plan] [data-depot]').evaluateAll((els) => els.map((e) => e.getAttribute('data-depot')).sort())).toEqual(depots);
    // Each line runs from its depot through the stops and back: it ends where it starts.
    const ends = await page.locator('[data-map=plan] path.bp-route').evaluateAll((paths) =>
      paths.map((p) => {
        const points = (p.getAttribute('d') ?? '').match(/-?\d+(\.\d+)?/g) ?? [];
        return points.slice(0, 2).join(',') === points.slice(-2).join(',');
      }),
    );
    expect(ends).toEqual(routes.map(() => true));

    // Each vehicle's table: its stops in driving order, ETAs in district time.
    for (const route of routes) {
      const rows = page.locator(`[data-table=stops][data-vehicle="${route.vehicleId}"] tbody tr`);
      const shown = await rows.evaluateAll((trs) => trs.map((tr) => ({ device: tr.getAttribute('data-device'), sequence: Number(tr.getAttribute('data-sequence')), eta: tr.children[1]!.textContent })));
      const expected = [...route.stops].sort((a, b) => a.sequence - b.sequence).map((s) => ({ device: s.deviceId, sequence: s.sequence, eta: clockTime(s.eta, OFFSET) }));
      expect(shown, route.vehicleId).toEqual(expected);
    }

    // Proof of service: each stop's status and each route's completion as GET /progress states them
    // (tomorrow's shift has not begun: every stop pending, nothing complete).
    const progress = await api<PlanProgress>(`/api/v1/plans/${planId}/progress`);
    await page.locator('[data-table=stops] tbody tr[data-status]').first().waitFor();
    for (const route of progress.routes.filter((r) => r.stops.length > 0)) {
      const statuses = await page.locator(`[data-table=stops][data-vehicle="${route.vehicleId}"] tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
      expect(statuses, route.vehicleId).toEqual([...route.stops].sort((a, b) => a.sequence - b.sequence).map((s) => s.status));
      expect(await page.locator(`[data-route="${route.vehicleId}"] .completion`).getAttribute('data-completion')).toBe(String(route.completion));
    }
    expect(progress.totals.pending).toBe(plan.totals.stops);
    expect(await page.locator('[data-table=stops] tbody tr[data-status=pending]').count()).toBe(plan.totals.stops);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(['zh-CN', 'en'] as const)('in %s: the stops CSV has one row per stop, the page is in one language, printing hides the navigation and the map', async (locale) => {
    expect(planId, 'the first test made a plan').toBeDefined();
    const plan = await api<Plan>(`/api/v1/plans/${planId}`);
    const i18n = createI18n(locale, OFFSET);
    const { context, page, errors } = await openTab(browser, BROWSER_LOCALE[locale], SCREEN);
    await signIn(page, platform, operatorToken, OPERATOR);
    await openPlan(page, plan.shift.date, plan.id);
    expect(await page.locator('[data-table=stops]').count()).toBe(routesWithStops(plan).length);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=export-csv]').click()]);
    expect(download.suggestedFilename()).toBe(`binpulse-plan-${plan.shift.date}-0600.csv`);
    const csv = readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = csv.subarray(3).toString('utf8').trim().split('\r\n');
    expect(header).toBe(planCsvHeader(i18n).join(','));
    expect(lines).toHaveLength(plan.totals.stops);
    const expectedRows = routesWithStops(plan).flatMap((r) => [...r.stops].sort((a, b) => a.sequence - b.sequence).map((s) => `${r.vehicleId},${r.plate},${s.sequence},${clockTime(s.eta, OFFSET)},${s.deviceId},`));
    lines.forEach((line, i) => expect(line.startsWith(expectedRows[i]!), line).toBe(true));

    // Nothing of the other language (registry names and people aside).
    const text = await page.evaluate(() => [document.title, document.body.innerText, ...[...document.querySelectorAll('[title], [aria-label]')].map((el) => el.getAttribute('title') ?? el.getAttribute('aria-label') ?? '')].join('\n'));
    // Transfer stations are registry names too (the depot markers' titles).
    const stationNames = plan.routes.flatMap((r) => (r.depot ? [r.depot.name] : []));
    const names = [...new Set([...properNames, ...stationNames])].sort((a, b) => b.length - a.length);
    expect(otherLanguageText(text, foreignFragments(MESSAGES, locale), names)).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}plans-${locale}.png` });

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.locator('.nav').isVisible()).toBe(false);
    expect(await page.locator('[data-map=plan]').isVisible()).toBe(false);
    expect(await page.locator('[data-action=plan-shift]').isVisible()).toBe(false);
    expect(await page.locator('[data-table=stops]').first().isVisible()).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}plans-print-${locale}.png` });
    // "Print this route": only that vehicle's list is printed.
    const second = routesWithStops(plan)[1]!;
    await page.locator(`[data-route="${second.vehicleId}"] [data-action=print-route]`).evaluate((button) => {
      window.print = () => {}; // headless Chromium would open no dialog anyway; the stylesheet is what is tested
      (button as HTMLButtonElement).click();
    });
    expect(await page.locator('[data-table=stops]:visible').evaluateAll((tables) => tables.map((t) => t.getAttribute('data-vehicle')))).toEqual([second.vehicleId]);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('[data-table=stops]:visible').count()).toBe(routesWithStops(plan).length);
    expect(await page.locator('.nav').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(['zh-CN', 'en'] as const)('in %s: each box to empty says when its compartment is forecast full', async (locale) => {
    const i18n = createI18n(locale, OFFSET);
    const { context, page, errors } = await openTab(browser, BROWSER_LOCALE[locale], SCREEN);
    await signIn(page, platform, operatorToken, OPERATOR);
    // The 70 % threshold: rows below the full level have a time to be full by.
    await page.locator('[data-table=to-empty] tbody tr').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-card=to-empty] select[name=threshold]').selectOption('0.7');
    await page.locator('[data-table=to-empty] td[data-forecast=at]').first().waitFor({ timeout: 30_000 });
    const cells = await page
      .locator('[data-table=to-empty] td[data-forecast]')
      .evaluateAll((tds) => tds.map((td) => ({ kind: td.getAttribute('data-forecast'), text: td.textContent ?? '', overflowing: td.parentElement!.querySelector('.fillbar.is-overflow') !== null })));
    // A compartment the list shows overflowing is full, whatever the forecast's older level says.
    for (const cell of cells.filter((c) => c.overflowing)) expect(cell.kind).toBe('full');
    expect(cells.every((c) => c.kind !== 'loading')).toBe(true);
    const pattern = locale === 'en' ? /^full by (\d\d-\d\d )?\d\d:\d\d( \(±\d+ (min|h)\))?$/ : /^预计 (\d\d-\d\d )?\d\d:\d\d 满(（±\d+ (分钟|小时)）)?$/;
    for (const cell of cells) {
      if (cell.kind === 'full') expect(cell.text).toBe(i18n.t('ops.toEmpty.fullNow'));
      else if (cell.kind === 'unknown') expect(cell.text).toBe(i18n.t('ops.toEmpty.fullUnknown'));
      else expect(cell.text).toMatch(pattern);
    }
    // The forecasts have intervals: some row gives its ± minutes.
    expect(cells.some((c) => /±\d+/.test(c.text))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

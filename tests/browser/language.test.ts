/**
 * The console speaks the user's language: Chinese for a zh-CN browser, English for en-US, and a
 * switch in the top bar changes every visible string. Each view of each role is scanned for
 * text of the other language's catalogue (proper names from the registry aside: 新天地花苑 is
 * 新天地花苑 in English too), and screenshotted in both languages.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceWithState } from '../../shared/contracts/index.ts';
import { LOCALE_NAMES, type Locale } from '../../services/console/core/i18n/locale.ts';
import { MESSAGES } from '../../services/console/core/i18n/messages/index.ts';
import { startPlatformProcess, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, hasChromium, launchChromium, openTab, screenshot, signIn } from './console-support.ts';
import { foreignFragments, otherLanguageText, properNamesOf } from './language-scan.ts';

let platform: RunningPlatform;
let browser: Browser;
let properNames: string[];
const people = { operator: '王芳', engineer: '张伟', manager: '李明' } as const;
type Role = keyof typeof people;
const tokens = {} as Record<Role, string>;

/** What shows that a view has drawn its data, not just its frame. */
const LOADED: Record<string, string> = {
  operations: '[data-table=to-empty] tbody tr, [data-card=to-empty] .state-empty',
  health: '[data-table=devices] tbody tr',
  tonnage: '[data-kpi=total]',
  plans: '.plans-view[data-plans=loaded]',
  participation: '[data-kpi=rate]',
  'mass-balance': '[data-chart=flow]',
};

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[title], [placeholder], [aria-label]')].flatMap((el) =>
      ['title', 'placeholder', 'aria-label'].map((name) => el.getAttribute(name) ?? ''),
    );
    return [document.title, document.body.innerText, ...attributes].join('\n');
  });
}

async function views(page: Page): Promise<string[]> {
  return page.locator('.nav a').evaluateAll((links) => links.map((a) => a.getAttribute('data-view') ?? ''));
}

/** Opens each view of the signed-in role, checks it holds nothing of the other language, screenshots it. */
async function scanEveryView(page: Page, role: Role, locale: Locale): Promise<void> {
  const fragments = foreignFragments(MESSAGES, locale);
  for (const view of await views(page)) {
    await page.locator(`.nav a[data-view=${view}]`).click();
    await page.locator(LOADED[view]!).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(300); // the view's second data source (alerts, dead letters) lands
    const found = otherLanguageText(await visibleText(page), fragments, properNames);
    expect(found, `${role} ${view} in ${locale}`).toEqual([]);
    await screenshot(page, `${role}-${view}-${locale}`);
  }
}

describe.runIf(hasChromium)('console language', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ DEMO_HISTORY_DAYS: '3' });
    const api = adminApi(platform);
    for (const [role, name] of Object.entries(people) as [Role, string][]) {
      tokens[role] = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role, name } })).token;
    }
    properNames = properNamesOf((await api<{ items: DeviceWithState[] }>('/api/v1/devices?limit=5000')).items, Object.values(people));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it('finds the other language in a text, and not in proper names (the scan is not vacuous)', () => {
    const zh = foreignFragments(MESSAGES, 'zh-CN');
    expect(otherLanguageText('回收运营 Sign out', zh, [])).toEqual(['Sign out']);
    expect(otherLanguageText('新天地花苑 3号回收箱 在线', foreignFragments(MESSAGES, 'en'), ['新天地花苑 3号回收箱'])).toEqual(['在线']);
  });

  it.each(Object.keys(people) as Role[])('a %s sees every view in Chinese on a zh-CN browser, and in English after switching', async (role) => {
    const { context, page, errors } = await openTab(browser, 'zh-CN');
    await signIn(page, platform, tokens[role], people[role]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await scanEveryView(page, role, 'zh-CN');

    await page.locator('[data-control=language] button[data-locale=en]').click();
    await page.locator('[data-control=language] button[data-locale=en][aria-pressed=true]').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await scanEveryView(page, role, 'en');

    // Remembered: a reload keeps English although the browser prefers Chinese.
    await page.reload();
    await page.locator('.user-name', { hasText: people[role] }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('an en-US browser gets English from the sign-in page on, and can switch to Chinese there', async () => {
    const { context, page, errors } = await openTab(browser, 'en-US');
    await page.goto(`${platform.baseUrl}/`);
    await page.locator('#token').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(otherLanguageText(await visibleText(page), foreignFragments(MESSAGES, 'en'), [LOCALE_NAMES['zh-CN']])).toEqual([]);
    await screenshot(page, 'signin-en');
    await page.locator('[data-control=language] button[data-locale=zh-CN]').click();
    await page.locator('label[for=token]', { hasText: MESSAGES['zh-CN']['signin.tokenLabel'] as string }).waitFor();
    expect(otherLanguageText(await visibleText(page), foreignFragments(MESSAGES, 'zh-CN'), [LOCALE_NAMES.en])).toEqual([]);
    await screenshot(page, 'signin-zh-CN');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

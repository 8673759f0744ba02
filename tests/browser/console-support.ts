/**
 * What the console's browser test needs besides the platform process: headless Debian Chromium
 * through playwright-core (never a downloaded browser), API calls as the admin, and page error
 * collection. Without /usr/bin/chromium the test is skipped with a message, except under CI=true.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { RunningPlatform } from '../support/platform-process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  const message = `${CHROMIUM} not found: install Debian package chromium to run the console's browser test`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
}

export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  // launch() gives every run a fresh temporary profile (user-data dir), removed on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh tab as a person in the district has it (a Chinese browser unless told otherwise), with
 * a browser clock in another time zone, so any time shown in the browser's zone instead of
 * district time shows.
 */
export async function openTab(browser: Browser, locale: 'zh-CN' | 'en-US' = 'zh-CN', viewport = { width: 1440, height: 900 }): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, locale, timezoneId: 'Europe/Berlin', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
  return { context, page, errors };
}

export async function signIn(page: Page, platform: RunningPlatform, token: string, name: string): Promise<void> {
  await page.goto(`${platform.baseUrl}/`);
  await page.locator('#token').fill(token);
  await page.locator('button[type=submit]').click();
  await page.locator('.user-name', { hasText: name }).waitFor();
}

export function adminApi(platform: RunningPlatform) {
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${platform.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${platform.adminToken}`, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}

/**
 * The fonts Chromium actually drew an element's text with (DevTools protocol), so a page whose
 * Chinese falls back to boxes, or to a font outside the stylesheet's stack, is caught.
 */
export async function renderedFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts.filter((f) => f.glyphCount > 0).map((f) => f.familyName);
}

export async function screenshot(page: Page, view: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}console-${view}.png`, fullPage: true });
}

/**
 * The operators' screen in headless Chromium, on the office screens it is used on (1366×768,
 * 1440×900), in Chinese and in English: the map and the first boxes to empty both on screen
 * without scrolling, nearby markers grouped without covering the subdistrict names, a popup at
 * the map's top edge shown whole, and the live alerts filtered by device kind and type. The
 * simulated fleet replays yesterday and today fast over MQTT (SIM_SPEED=2880, no stored history)
 * with nobody emptying the boxes (SIM_COLLECTION=plan, no plans made), so boxes are full at any
 * hour the test runs (after the fixed rounds' morning round hardly any would be) and cameras have
 * reported city-appearance sightings by the time the tests look.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillColour } from '../../services/console/core/fill-scale.ts';
import type { Alert } from '../../shared/contracts/index.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, ARTIFACTS, hasChromium, launchChromium, signIn } from './console-support.ts';

const OPERATOR = '王芳';
let platform: RunningPlatform;
let browser: Browser;
let operatorToken: string;
let devices: { boxes: number; cameras: number };

type Rect = { top: number; bottom: number; left: number; right: number };
const inside = (inner: Rect, outer: Rect) => inner.top >= outer.top && inner.bottom <= outer.bottom && inner.left >= outer.left && inner.right <= outer.right;
const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const rectOf = (page: Page, selector: string): Promise<Rect> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });

/** A fresh tab in the language and on the screen given, signed in as the operator, the view loaded. */
async function operatorTab(locale: 'zh-CN' | 'en-US', width: number, height: number): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, locale, timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && errors.push(`console: ${message.text()}`));
  await signIn(page, platform, operatorToken, OPERATOR);
  await page.locator('[data-table=to-empty] tbody tr').first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-map=operations]')?.getAttribute('data-clusters') ?? 0) > 0);
  await page.locator('[data-card=alerts] .alert-item').first().waitFor({ timeout: 30_000 });
  return { context, page, errors };
}

describe.runIf(hasChromium)('operations view', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ SIM_SPEED: '2880', DEMO_HISTORY_DAYS: '0', SIM_COLLECTION: 'plan', AUTO_PLAN: 'off' });
    const api = adminApi(platform);
    operatorToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'operator', name: OPERATOR } })).token;
    devices = {
      boxes: (await api<{ total: number }>('/api/v1/devices?kind=box&limit=1')).total,
      cameras: (await api<{ total: number }>('/api/v1/devices?kind=camera&limit=1')).total,
    };
    browser = await launchChromium();
    // Full boxes to empty, and camera sightings beside the box alerts (what the kind filter is for).
    await waitFor(async () => ((await api<{ total: number }>('/api/v1/devices?kind=box&fillAbove=0.9&limit=1')).total >= 3 ? true : undefined), 200_000, 'boxes to empty');
    await waitFor(async () => {
      const open = (await api<{ items: Alert[] }>('/api/v1/alerts?status=open&kind=camera')).items;
      return open.length > 0 ? true : undefined;
    }, 200_000, 'an open camera alert');
  }, 450_000);

  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it.each([
    ['zh-CN', 1366, 768],
    ['en-US', 1366, 768],
    ['zh-CN', 1440, 900],
  ] as const)('in %s at %i×%i, the map and the first boxes to empty are on screen without scrolling', async (locale, width, height) => {
    const { context, page, errors } = await operatorTab(locale, width, height);
    const viewport = { top: 0, left: 0, bottom: height, right: width };
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight + 1)).toBe(true);
    expect(inside(await rectOf(page, '[data-map=operations]'), viewport)).toBe(true);
    expect(inside(await rectOf(page, '[data-table=to-empty] tbody tr'), viewport)).toBe(true);
    expect(inside(await rectOf(page, '[data-card=alerts] .alert-item'), viewport)).toBe(true);
    // Map and list side by side, not one under the other.
    const map = await rectOf(page, '[data-card=map]');
    const list = await rectOf(page, '[data-card=to-empty]');
    expect(list.left).toBeGreaterThanOrEqual(map.right);
    await page.locator('.live[data-live=live]').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}operations-${locale}-${width}x${height}.png` });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('speaks each language throughout, with one wording for an overflowing compartment', async () => {
    for (const [locale, title, overflow, hongmei] of [
      ['zh-CN', '回收运营', '溢出', '红梅街道'],
      ['en-US', 'Recycling operations', 'Overflowing', 'Hongmei'],
    ] as const) {
      const { context, page, errors } = await operatorTab(locale, 1366, 768);
      expect(await page.locator('h1').innerText()).toBe(title);
      expect(await page.locator('[data-area=hongmei]').innerText()).toBe(hongmei);
      const levels = await page.locator('[data-table=to-empty] .fillbar-text').allTextContents();
      expect(levels.length).toBeGreaterThan(0);
      for (const text of levels) expect(text === overflow || /^\d+%$/.test(text), text).toBe(true);
      const chrome = [
        ...(await page.locator('[data-card] h2, .kpi-label, [data-table=to-empty] th, .legend').allInnerTexts()),
        (await page.locator('.leaflet-control-zoom-in').getAttribute('title'))!,
      ];
      if (locale === 'en-US') for (const text of chrome) expect(text, text).not.toMatch(/[\u3400-\u9fff]/);
      else for (const text of chrome) expect(text, text).not.toMatch(/[A-Za-z]{3,}/);
      expect(errors).toEqual([]);
      await context.close();
    }
  }, 120_000);

  it('groups nearby markers, each device drawn once, coloured by the fullest box, and keeps the subdistrict names readable', async () => {
    const { context, page, errors } = await operatorTab('zh-CN', 1366, 768);
    const drawn = await page.evaluate(() => {
      const clusters = [...document.querySelectorAll<HTMLElement>('[data-cluster]')];
      return {
        singles: document.querySelectorAll('path.bp-marker[data-device]').length,
        grouped: clusters.reduce((n, c) => n + Number(c.dataset.count), 0),
        clusters: clusters.map((c) => ({ fullest: c.dataset.fullest ?? '', boxes: Number(c.dataset.boxes), colour: getComputedStyle(c).backgroundColor })),
      };
    });
    expect(drawn.clusters.length).toBeGreaterThan(0);
    expect(drawn.singles + drawn.grouped).toBe(devices.boxes + devices.cameras);
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    // An overflowing fullest box is coloured "full" too; the plain levels must match their band.
    for (const c of drawn.clusters.filter((c) => c.boxes > 0 && c.fullest !== '' && Number(c.fullest) < 1)) expect(c.colour).toBe(rgb(fillColour(Number(c.fullest))));

    const labels = await page.locator('[data-area]').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Rect));
    const groups = await page.locator('[data-cluster]').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as Rect));
    expect(labels.length).toBe(7);
    for (const label of labels) expect(groups.filter((g) => overlaps(label, g))).toEqual([]);
    // The names are drawn above the markers: in a pane over the marker pane.
    expect(await page.evaluate(() => Number(getComputedStyle(document.querySelector('.leaflet-bp-labels-pane')!).zIndex) > Number(getComputedStyle(document.querySelector('.leaflet-marker-pane')!).zIndex))).toBe(true);

    // A group opens up when clicked.
    const before = await page.locator('[data-map=operations]').getAttribute('data-singles');
    await page.locator('[data-cluster]').first().click();
    await page.waitForFunction((n) => document.querySelector('[data-map=operations]')?.getAttribute('data-singles') !== n, before);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('opens a popup at the top edge of the map whole, title and all', async () => {
    const { context, page, errors } = await operatorTab('zh-CN', 1366, 768);
    const map = await rectOf(page, '[data-map=operations]');
    // Open the group nearest the top edge: its devices are then drawn alone, the northernmost just under the edge.
    const groups = await page.locator('[data-cluster]').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().top));
    const nearestTop = groups.indexOf(Math.min(...groups));
    const before = await page.locator('[data-map=operations]').getAttribute('data-singles');
    await page.locator('[data-cluster]').nth(nearestTop).click();
    await page.waitForFunction((n) => document.querySelector('[data-map=operations]')?.getAttribute('data-singles') !== n, before);
    await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
    const top = await page.locator('path.bp-marker[data-device]').evaluateAll((paths, m) => {
      const shown = paths
        .map((p) => ({ id: p.getAttribute('data-device')!, rect: p.getBoundingClientRect() }))
        .filter(({ rect }) => rect.width > 0 && rect.top >= m.top && rect.bottom <= m.bottom && rect.left >= m.left + 60 && rect.right <= m.right - 20);
      return shown.map(({ id, rect }) => ({ id, top: rect.top })).sort((a, b) => a.top - b.top)[0]!;
    }, map);
    const gap = top.top - map.top;
    expect(gap).toBeLessThan(100);
    await page.locator(`path.bp-marker[data-device="${top.id}"]`).click();
    await page.locator(`.popup[data-popup="${top.id}"]`).waitFor();
    // Auto-pan runs on open; wait for the map to stop moving.
    await page.waitForFunction(() => !document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim'));
    await page.waitForTimeout(400);
    const wrapper = await rectOf(page, '.leaflet-popup-content-wrapper');
    // Taller than the room above the marker: it fits only because the map moved to make room.
    expect(wrapper.bottom - wrapper.top).toBeGreaterThan(gap);
    expect(inside(wrapper, map), JSON.stringify({ wrapper, map })).toBe(true);
    expect(inside(await rectOf(page, '.popup-title'), map)).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}operations-popup-top.png` });
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('starts the operator on box alerts, filters by device kind and type, and keeps the filter in the URL', async () => {
    const { context, page, errors } = await operatorTab('en-US', 1366, 768);
    const card = page.locator('[data-card=alerts]');
    const kinds = () => card.locator('.alert-item').evaluateAll((items) => [...new Set(items.map((i) => i.getAttribute('data-kind')))].sort());
    expect(await card.locator('[data-control=kind] button[aria-pressed=true]').getAttribute('data-value')).toBe('box');
    expect(await kinds()).not.toContain('camera');

    await card.locator('[data-control=kind] button[data-value=camera]').click();
    await card.locator('.alert-item[data-kind=camera]').first().waitFor();
    expect((await kinds()).filter((k) => k !== '')).toEqual(['camera']);
    expect(new URL(page.url()).hash).toBe('#/operations?alertKind=camera');

    const type = await card.locator('.alert-item[data-kind=camera]').first().getAttribute('data-type');
    await card.locator('select[name=alertType]').selectOption(type!);
    await page.waitForFunction((t) => [...document.querySelectorAll('[data-card=alerts] .alert-item')].every((i) => i.getAttribute('data-type') === t), type);
    expect(new URL(page.url()).hash).toBe(`#/operations?alertKind=camera&alertType=${type}`);
    // The hidden ones are counted, so nothing is silently missing.
    expect(await card.locator('.list-footer [data-hidden]').count()).toBe(1);

    await page.reload();
    await card.locator('.alert-item').first().waitFor();
    expect(await card.locator('[data-control=kind] button[aria-pressed=true]').getAttribute('data-value')).toBe('camera');
    expect(await card.locator('select[name=alertType]').inputValue()).toBe(type);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});

/**
 * The web console in headless Chromium against the platform as a user runs it: a new demo fleet
 * with one day of history (so yesterday's tonnage is complete once it is written), then people
 * sign in with tokens the admin created and work.
 * One platform for the whole file; every test opens its own browser context (fresh session).
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, BoxTelemetry, Summary, TonnageReport } from '../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../shared/units.ts';
import { hasMosquitto, mosquittoPub } from '../support/mosquitto.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, hasChromium, launchChromium, openTab, renderedFonts, screenshot, signIn } from './console-support.ts';

const NEW_BOX = 'box-9001';
let platform: RunningPlatform;
let browser: Browser;
let api: ReturnType<typeof adminApi>;
const people = { operator: '王芳', engineer: '张伟', manager: '李明' } as const;
/** GET /api/v1/devices: only the count matters here. */
type DeviceList = { total: number };
const tokens: Record<keyof typeof people, { id: string; token: string }> = {} as never;
let newBoxSecret: string;

describe.runIf(hasChromium && hasMosquitto)('web console', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ DEMO_HISTORY_DAYS: '1' });
    api = adminApi(platform);
    for (const [role, name] of Object.entries(people) as [keyof typeof people, string][]) {
      tokens[role] = await api<{ id: string; token: string }>('/api/v1/tokens', { method: 'POST', body: { role, name } });
    }
    browser = await launchChromium();
    // Yesterday's tonnage is final once the history is written.
    await waitFor(async () => ((await api<Summary>('/api/v1/summary')).history.state === 'done' ? true : undefined), 150_000, 'the demo history');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it('an operator signs in and sees a marker per box, the camera points and the boxes to empty, fullest first', async () => {
    const { context, page, errors } = await openTab(browser, 'en-US');
    await page.goto(`${platform.baseUrl}/`);
    await page.locator('#token').waitFor();
    await screenshot(page, 'signin');
    await signIn(page, platform, tokens.operator.token, people.operator);
    expect(new URL(page.url()).hash).toBe('#/operations');
    await page.locator('.user-role', { hasText: 'Recycling operator' }).waitFor();

    const boxes = (await api<DeviceList>('/api/v1/devices?kind=box&limit=5000')).total;
    const cameras = (await api<DeviceList>('/api/v1/devices?kind=camera&limit=5000')).total;
    expect(boxes).toBe(605);
    // Every device is drawn once: alone, or counted in a group of nearby markers.
    await page.locator(`[data-map=operations][data-boxes="${boxes}"][data-cameras="${cameras}"][data-clusters]`).waitFor();
    const drawn = await page.evaluate(() => document.querySelectorAll('path.bp-marker[data-device]').length + [...document.querySelectorAll<HTMLElement>('[data-cluster]')].reduce((n, c) => n + Number(c.dataset.count), 0));
    expect(drawn).toBe(boxes + cameras);

    const rows = page.locator('[data-table=to-empty] tbody tr');
    // Right after a fixed round (08–11, 14–17) hardly a box is at 90 %: then look from 70 %.
    const fullBoxes = (await api<{ total: number }>('/api/v1/devices?kind=box&fillAbove=0.9&limit=1')).total;
    const threshold = fullBoxes > 0 ? 90 : 70;
    if (threshold === 70) await page.locator('select[name=threshold]').selectOption('0.7');
    await rows.first().waitFor();
    const levels = (await rows.locator('.fillbar-text').allTextContents()).map((t) => (t === 'Overflowing' ? 100 : Number.parseInt(t, 10)));
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.every((l) => l >= threshold)).toBe(true);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    // A row shows its box on the map, with every compartment.
    const first = await rows.first().getAttribute('data-device');
    await page.locator(`[data-table=to-empty] tr[data-device="${first}"]`).click();
    const popup = page.locator(`.popup[data-popup="${first}"]`);
    await popup.waitFor();
    expect(await popup.locator('.popup-compartments tbody tr').count()).toBeGreaterThan(0);

    // Chinese place names, in a CJK font the page asked for.
    const body = await page.locator('body').innerText();
    // In English a subdistrict reads by its English name; communities keep their Chinese names.
    expect(body).toContain('Hongmei');
    // The first box to empty names its community (in its own name, or on a line of its own): in Chinese.
    const community = (await api<{ community: string }>(`/api/v1/devices/${first}`)).community;
    expect(community).toMatch(/^[\u4e00-\u9fff]/);
    expect(await rows.first().innerText()).toContain(community);
    const boxName = page.locator('[data-table=to-empty] tbody tr td:nth-child(2) .cell-title').first();
    expect(await boxName.innerText()).toMatch(/[\u4e00-\u9fff]/);
    expect(await renderedFonts(page, '[data-table=to-empty] tbody tr td:nth-child(2) .cell-title')).toEqual([expect.stringMatching(/Noto Sans CJK SC|PingFang SC|Microsoft YaHei/)]);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows a new alert live, and acknowledges and resolves it through the UI as the API records', async () => {
    const { context, page, errors } = await openTab(browser, 'en-US');
    await signIn(page, platform, tokens.operator.token, people.operator);
    const alertsCard = page.locator('[data-card=alerts]');
    await alertsCard.locator('.alert-item').first().waitFor();
    await alertsCard.locator('[data-control=severity] button[data-value=warning]').click();
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const provisioned = await api<{ secret: string }>('/api/v1/devices', {
      method: 'POST',
      body: {
        id: NEW_BOX, kind: 'box', name: '新天地花苑 9号回收箱', lat: 31.803, lon: 119.987, subdistrict: 'hongmei', community: '新天地花苑',
        address: '常州市天宁区红梅北路 18 号新天地花苑', compartments: [{ category: 'paper', capacityKg: 120 }, { category: 'plastic', capacityKg: 60 }],
        installedOn: '2026-11-01', gridCell: 'TN-HM-04', responsiblePerson: '陈静',
      },
    });
    newBoxSecret = provisioned.secret;
    const telemetry: BoxTelemetry = {
      ts: new Date().toISOString(),
      compartments: [{ category: 'paper', fillingLevel: 0.95, weightKg: 110 }, { category: 'plastic', fillingLevel: 0.3, weightKg: 18 }],
      temperatureC: 12.5, power: { source: 'mains' }, lid: 'closed', status: 'ok', signal: { rssiDbm: -71, network: '4g' },
    };
    const sent = await mosquittoPub(platform.mqttPort, ['-i', NEW_BOX, '-u', NEW_BOX, '-P', newBoxSecret, '-q', '1', '-t', `binpulse/v1/${NEW_BOX}/telemetry`, '-m', JSON.stringify(telemetry)]);
    expect(sent.code, sent.stderr).toBe(0);

    const item = alertsCard.locator(`.alert-item[data-device="${NEW_BOX}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await item.innerText()).toContain('新天地花苑');
    const alertId = (await item.getAttribute('data-alert-id'))!;

    await item.locator('[data-action=acknowledge]').click();
    await item.locator('input[name=note]').fill('清运车 3 号已出发 (crew 3 on the way)');
    await item.locator('[data-action=confirm-acknowledge]').click();
    await alertsCard.locator(`.alert-item[data-alert-id="${alertId}"][data-status=acknowledged]`).waitFor();
    const acknowledged = await api<Alert>(`/api/v1/alerts/${alertId}`);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledgeNote: '清运车 3 号已出发 (crew 3 on the way)', acknowledgedBy: `${people.operator} (operator)` });

    const again = alertsCard.locator(`.alert-item[data-alert-id="${alertId}"]`);
    await again.locator('[data-action=resolve]').click();
    await again.locator('input[name=reason]').fill('emptied by crew 3');
    await again.locator('[data-action=confirm-resolve]').click();
    await again.waitFor({ state: 'detached' });
    expect(await api<Alert>(`/api/v1/alerts/${alertId}`)).toMatchObject({ status: 'resolved', resolution: 'emptied by crew 3', resolvedBy: `${people.operator} (operator)` });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('an engineer gets the health view (no tonnage), filters devices, and sees dead letters by reason', async () => {
    // Something for the dead letters: the new box sends a payload that is not JSON.
    expect((await mosquittoPub(platform.mqttPort, ['-i', NEW_BOX, '-u', NEW_BOX, '-P', newBoxSecret, '-q', '1', '-t', `binpulse/v1/${NEW_BOX}/telemetry`, '-m', 'fill=95%'])).code).toBe(0);
    await waitFor(async () => ((await api<{ total: number }>('/api/v1/dead-letters')).total > 0 ? true : undefined), 10_000, 'a dead letter');

    const { context, page, errors } = await openTab(browser, 'en-US');
    await signIn(page, platform, tokens.engineer.token, people.engineer);
    expect(new URL(page.url()).hash).toBe('#/health');
    expect(await page.locator('.nav a').allTextContents()).not.toContain('Tonnage');

    const all = (await api<DeviceList>('/api/v1/devices?limit=5000')).total;
    const count = page.locator('[data-card=devices] .card-count');
    await page.locator(`[data-card=devices] .card-count[data-count="${all}"]`).waitFor();
    expect(await page.locator('[data-table=devices] tbody tr').count()).toBe(25);
    await page.locator('[data-card=dead-letters] li[data-reason=invalid_json]').waitFor();
    await page.locator('[data-card=dead-letters] td', { hasText: NEW_BOX }).first().waitFor();
    await page.locator('.live[data-live=live]').waitFor();
    await screenshot(page, 'health');

    await page.locator('[data-control=kind] button[data-value=camera]').click();
    await page.locator('select[name=subdistrict]').selectOption('hongmei');
    const cameras = (await api<DeviceList>('/api/v1/devices?kind=camera&subdistrict=hongmei')).total;
    await page.locator(`[data-card=devices] .card-count[data-count="${cameras}"]`).waitFor();
    expect(await count.innerText()).toContain(`${cameras} of ${all}`);
    expect(new Set(await page.locator('[data-table=devices] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))))).toEqual(new Set(['camera']));
    expect(new URL(page.url()).hash).toBe('#/health?kind=camera&subdistrict=hongmei');
    expect(await page.locator('[data-control=kind] button[aria-pressed=true]').getAttribute('data-value')).toBe('camera');

    await page.locator('[data-control=status] button[data-value=offline]').click();
    const offline = (await api<DeviceList>('/api/v1/devices?kind=camera&subdistrict=hongmei&online=false')).total;
    await page.locator(`[data-card=devices] .card-count[data-count="${offline}"]`).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("a manager's tonnage view totals what the API reports, exports it as CSV, and offers no alert actions", async () => {
    const { context, page, errors } = await openTab(browser, 'en-US');
    await signIn(page, platform, tokens.manager.token, people.manager);
    expect(new URL(page.url()).hash).toBe('#/tonnage');
    await page.locator('[data-chart=daily] .bar').first().waitFor();
    await page.locator('[data-kpi=total]').waitFor();
    await page.locator('.live[data-live=live]').waitFor();
    await screenshot(page, 'tonnage');

    const yesterday = localDay(Date.now() - DAY_MS, 480);
    await page.locator('input[name=from]').fill(yesterday);
    await page.locator('input[name=to]').fill(yesterday);
    await page.locator(`[data-kpi=total][data-from="${yesterday}"][data-to="${yesterday}"]`).waitFor();
    const report = await api<TonnageReport>(`/api/v1/reports/tonnage?from=${yesterday}&to=${yesterday}`);
    expect(report.totalKg).toBeGreaterThan(60_000);
    expect(Number(await page.locator('[data-kpi=total]').getAttribute('data-kg'))).toBe(report.totalKg);
    expect(await page.locator('[data-kpi=total] .kpi-value').innerText()).toBe(`${(report.totalKg / 1000).toFixed(2)} t`);
    expect(Number(await page.locator('[data-kpi=deposits]').getAttribute('data-count'))).toBe(report.totalDeposits);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action=export-csv]').click()]);
    expect(download.suggestedFilename()).toBe(`binpulse-tonnage-${yesterday}_${yesterday}.csv`);
    const csv = readFileSync((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').trim().split('\r\n');
    // In the console's language (English here); tests/browser/tonnage.test.ts covers both.
    expect(lines[0]).toBe('Day,Subdistrict code,Subdistrict,Category code,Category,Weight (kg),Deposits');
    expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0)).toBeCloseTo(report.totalKg, 1);

    await page.locator('.nav a[data-view=operations]').click();
    await page.locator('[data-card=alerts] .alert-item').first().waitFor();
    expect(await page.locator('[data-action=acknowledge], [data-action=resolve]').count()).toBe(0);

    await page.locator('[data-action=sign-out]').click();
    await page.locator('#token').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('binpulse.token'))).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('writes a screenshot of the operations view, and returns to sign-in when the token is revoked', async () => {
    const { context, page, errors } = await openTab(browser, 'en-US');
    await signIn(page, platform, tokens.operator.token, people.operator);
    await page.waitForFunction(() => {
      const map = document.querySelector<HTMLElement>('[data-map=operations]');
      return Number(map?.dataset.boxes) >= 605 && map?.dataset.clusters !== undefined;
    });
    await page.locator('[data-card=alerts] .alert-item').first().waitFor();
    await page.locator('[data-table=to-empty] tbody tr').first().waitFor();
    await page.locator('.live[data-live=live]').waitFor();
    await screenshot(page, 'operations');

    await api(`/api/v1/tokens/${tokens.operator.id}`, { method: 'DELETE' });
    await page.locator('.nav a[data-view=health]').click();
    await page.locator('#token').waitFor();
    expect(await page.locator('.form-error').innerText()).toContain('no longer valid');
    expect(await page.evaluate(() => sessionStorage.getItem('binpulse.token'))).toBeNull();
    // The refused requests are the only errors the browser saw.
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
    await context.close();
  }, 60_000);
});

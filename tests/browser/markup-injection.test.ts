/**
 * Issue 15 item 5: every device- or user-supplied string reaches the console as text. Two boxes
 * are registered with markup for a name (an <img> with onerror, a javascript: link, a <script>,
 * a <meta> refresh that would navigate the page, a <style> that would hide it), markup in their
 * community, address, responsible person and grid cell, and an admin token whose name is markup.
 * The boxes report full and raise a fault whose detail is markup; one fault too long to accept
 * is dead-lettered with its markup payload; a transfer station named with markup is the depot of
 * a plan made under that token. The views that show them (the ops map's tooltip and popup, boxes
 * to empty, the alerts panel, the health table, the dead letters, the user badge, the community
 * in the participation report, the plan's stops, planner, depot and route tooltip) must show the markup as text and contain no element
 * it would have made, run nothing, hide nothing and navigate nowhere.
 *
 * A fault's free-text detail reaches only the alert's English `title` (services/alerts/core/
 * titles.ts withDetail), which the console does not show (it says the alert from its message
 * code in the user's language): here it is checked in the API and, dead-lettered, as the
 * payload preview engineers read.
 *
 * Every payload carries `data-injected`, so one selector finds any element the markup made. The
 * console's Content-Security-Policy already stops inline handlers from running, so
 * window.__pwned staying undefined is the second line; the first is that no element exists.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, DeviceWithState, Plan } from '../../shared/contracts/index.ts';
import { DAY_MS, localDay } from '../../shared/units.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../support/platform-process.ts';
import { adminApi, ARTIFACTS, hasChromium, launchChromium, openTab, signIn } from './console-support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IMG_BOX = 'xss-box-01';
const SCRIPT_BOX = 'xss-box-02';
const NAMES: Record<string, string> = {
  [IMG_BOX]: '<img data-injected src=x onerror="window.__pwned=1"><a data-injected href="javascript:window.__pwned=2">点我</a>',
  [SCRIPT_BOX]: '<script data-injected>window.__pwned=3</script><meta data-injected http-equiv="refresh" content="0;url=/healthz">',
};
const COMMUNITY = '<style data-injected>body{display:none}</style>试验';
const ADDRESS = '<img data-injected src=x onerror="window.__pwned=4">常州市天宁区';
const PERSON = '<i data-injected>赵磊</i>';
const GRID_CELL = '<u data-injected>TN-X-01</u>';
const TOKEN_NAME = '<img data-injected src=x onerror="window.__pwned=6">管理员';
/** The transfer station the plan's vehicle starts from (a site's name is free text too). */
const STATION = 'ts-xss';
const STATION_NAME = '<img data-injected src=x onerror="window.__pwned=8">中转站';
const FAULT_DETAIL = '<img data-injected src=x onerror="window.__pwned=5">lid <b data-injected>jammed</b>';
/** Over the contract's 200 characters: the fault is dead-lettered and its payload previewed. */
const DEAD_DETAIL = `<svg data-injected onload="window.__pwned=7"></svg>${'x'.repeat(200)}`;

let platform: RunningPlatform;
let browser: Browser;
let api: ReturnType<typeof adminApi>;
let adminToken: string;
let planId: string;
let planDay: string;
const boxes: mqtt.MqttClient[] = [];

async function provision(id: string, lat: number, lon: number): Promise<string> {
  const body = {
    id, kind: 'box', name: NAMES[id], lat, lon, subdistrict: 'tianning', community: COMMUNITY, address: ADDRESS,
    compartments: [{ category: 'paper', capacityKg: 150 }, { category: 'plastic', capacityKg: 60 }],
    installedOn: '2026-10-01', gridCell: GRID_CELL, responsiblePerson: PERSON,
  };
  return (await api<{ secret: string }>('/api/v1/devices', { method: 'POST', body })).secret;
}

/** Connects, reports itself full, takes a deposit and raises a fault with a markup detail. */
async function report(id: string, secret: string): Promise<void> {
  const box = await mqtt.connectAsync(`mqtt://127.0.0.1:${platform.mqttPort}`, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });
  boxes.push(box);
  const ts = new Date().toISOString();
  const telemetry = {
    ts,
    compartments: [{ category: 'paper', fillingLevel: 0.96, weightKg: 120 }, { category: 'plastic', fillingLevel: 0.4, weightKg: 20 }],
    temperatureC: 15, power: { source: 'mains' }, lid: 'closed', status: 'ok', signal: { rssiDbm: -70, network: '4g' },
  };
  await box.publishAsync(`binpulse/v1/${id}/telemetry`, JSON.stringify(telemetry), { qos: 1 });
  // A resident's deposit, so the (markup) community has a row in the participation report.
  const deposit = { ts, eventId: `${id}-d-1`, category: 'paper', weightKg: 3.5, residentHash: 'a'.repeat(63) + id.slice(-1), points: 3 };
  await box.publishAsync(`binpulse/v1/${id}/event/deposit`, JSON.stringify(deposit), { qos: 1 });
  const fault = { ts, eventId: `${id}-f-1`, fault: 'lid_stuck', active: true, detail: FAULT_DETAIL };
  await box.publishAsync(`binpulse/v1/${id}/event/fault`, JSON.stringify(fault), { qos: 1 });
  await box.publishAsync(`binpulse/v1/${id}/event/fault`, JSON.stringify({ ...fault, eventId: `${id}-f-2`, detail: DEAD_DETAIL }), { qos: 1 });
}

/** What the markup would have made, and what it would have run or where it would have gone. */
function injected(page: Page): Promise<{ elements: string[]; pwned: unknown; hidden: boolean }> {
  return page.evaluate(() => ({
    elements: [...document.querySelectorAll('[data-injected]')].map((el) => el.outerHTML),
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    hidden: getComputedStyle(document.body).display === 'none',
  }));
}

async function expectInert(page: Page, base: string): Promise<void> {
  expect(await injected(page)).toEqual({ elements: [], pwned: undefined, hidden: false });
  expect(page.url().startsWith(base)).toBe(true);
}

describe.runIf(hasChromium)('markup in device and user strings is shown as text', () => {
  beforeAll(async () => {
    // Only the two boxes (no demo fleet, no simulator, no history), and a transfer station with one
    // vehicle registered with the fleet CLI as an operator does, so a plan can be made.
    const dataDir = mkdtempSync(join(tmpdir(), 'bp-platform-'));
    const fleet = (...args: string[]) => {
      const run = spawnSync('npx', ['tsx', 'services/fleet/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`fleet ${args.join(' ')}: ${run.stderr}`);
    };
    fleet('station', 'add', '--id', STATION, '--name', STATION_NAME, '--lat', '31.78', '--lon', '119.975', '--subdistrict', 'tianning', '--address', ADDRESS);
    fleet('vehicle', 'add', '--id', 'veh-xss', '--plate', '苏D·X0001', '--capacity-kg', '2000', '--depot', STATION);
    platform = await startPlatformProcess({ DEMO_FLEET: 'off', SIMULATOR: 'off', DEMO_HISTORY_DAYS: '0', AUTO_PLAN: 'off' }, { dataDir });
    api = adminApi(platform);
    adminToken = (await api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { role: 'admin', name: TOKEN_NAME } })).token;
    const secrets = [await provision(IMG_BOX, 31.79, 119.96), await provision(SCRIPT_BOX, 31.77, 119.99)];
    await report(IMG_BOX, secrets[0]!);
    await report(SCRIPT_BOX, secrets[1]!);
    await waitFor(async () => {
      const open = (await api<{ items: Alert[] }>('/api/v1/alerts?status=open')).items;
      return open.filter((a) => a.type === 'lid_open').length === 2 && open.filter((a) => a.type === 'bin_full').length === 2 ? true : undefined;
    }, 20_000, 'the lid_stuck fault and bin_full alerts of both boxes');
    await waitFor(async () => ((await api<{ total: number }>('/api/v1/dead-letters')).total >= 2 ? true : undefined), 20_000, 'the long faults dead-lettered');
    // Tomorrow's morning shift, planned under the markup-named token: both boxes are full, so both are stops.
    planDay = localDay(Date.now() + DAY_MS, 480);
    const planned = await fetch(`${platform.baseUrl}/api/v1/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ date: planDay }),
    });
    expect(planned.status, await planned.clone().text()).toBe(201);
    const plan = (await planned.json()) as Plan;
    expect(plan.routes.flatMap((r) => r.stops.map((s) => s.deviceId)).sort()).toEqual([IMG_BOX, SCRIPT_BOX]);
    planId = plan.id;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const box of boxes) await box.endAsync();
    await browser?.close();
    if (!platform) return;
    await platform.stop();
    platform.cleanUp();
  });

  it('keeps the markup in the API as it was sent (the console, not the API, must make it text)', async () => {
    const device = await api<DeviceWithState>(`/api/v1/devices/${IMG_BOX}?hours=1`);
    expect(device.name).toBe(NAMES[IMG_BOX]);
    const alerts = (await api<{ items: Alert[] }>(`/api/v1/alerts?status=open&deviceId=${IMG_BOX}`)).items;
    expect(alerts.find((a) => a.type === 'lid_open')?.title).toContain(FAULT_DETAIL);
  });

  it('on the operations view: map tooltips and popups, boxes to empty, alerts and the user badge', async () => {
    const { context, page, errors } = await openTab(browser, 'zh-CN', { width: 1366, height: 768 });
    await signIn(page, platform, adminToken, TOKEN_NAME);
    const base = page.url().split('#')[0]!;
    expect(await page.locator('.user-name').innerText()).toBe(TOKEN_NAME);
    await page.locator(`[data-table=to-empty] tbody tr`).nth(1).waitFor({ timeout: 20_000 });
    await page.locator(`[data-card=alerts] .alert-item[data-device="${SCRIPT_BOX}"]`).first().waitFor({ timeout: 20_000 });

    for (const id of [IMG_BOX, SCRIPT_BOX]) {
      // The popup from the alert's "show on map": name, community, address, responsible person, grid cell.
      await page.locator(`[data-card=alerts] .alert-item[data-device="${id}"] [data-action=locate]`).first().click();
      const popup = page.locator(`.popup[data-popup="${id}"]`);
      await popup.waitFor({ timeout: 5_000 });
      expect(await popup.locator('.popup-title').innerText()).toBe(NAMES[id]);
      expect(await popup.locator('.popup-sub').innerText()).toContain(COMMUNITY);
      expect(await popup.locator('.popup-addr').innerText()).toBe(ADDRESS);
      expect(await popup.locator('.popup-meta').innerText()).toContain(PERSON);
      expect(await popup.locator('.popup-meta').innerText()).toContain(GRID_CELL);
      await expectInert(page, base);
      // Closed again, the marker (now in the middle of the map) shows its tooltip on hover: the name, as text.
      await page.locator('.leaflet-popup-close-button').click();
      await popup.waitFor({ state: 'detached' });
      await page.locator(`path.bp-marker[data-device="${id}"]`).hover();
      const tooltip = page.locator('.leaflet-tooltip');
      await tooltip.waitFor({ timeout: 5_000 });
      await expectInert(page, base);
      expect(await tooltip.innerText()).toBe(NAMES[id]);
      await page.mouse.move(0, 0);
    }
    const alertTitles = await page.locator('[data-card=alerts] .alert-title').allInnerTexts();
    expect(alertTitles.some((title) => title.includes(NAMES[IMG_BOX]!))).toBe(true);
    const meta = await page.locator('[data-card=alerts] .alert-meta').allInnerTexts();
    expect(meta.some((text) => text.includes(COMMUNITY) && text.includes(GRID_CELL) && text.includes(PERSON))).toBe(true);
    const toEmpty = await page.locator('[data-table=to-empty]').innerText();
    for (const id of [IMG_BOX, SCRIPT_BOX]) expect(toEmpty).toContain(NAMES[id]);
    await page.screenshot({ path: `${ARTIFACTS}markup-injection-operations.png` });
    await expectInert(page, base);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it('on the health view: the device table and the dead letters with their payload previews', async () => {
    const { context, page, errors } = await openTab(browser, 'en-US', { width: 1366, height: 768 });
    await signIn(page, platform, adminToken, TOKEN_NAME);
    const base = page.url().split('#')[0]!;
    await page.goto(`${base}#/health`);
    const rows = page.locator('[data-table=devices] tbody tr');
    await page.locator(`[data-table=devices] tr[data-device="${SCRIPT_BOX}"]`).waitFor({ timeout: 20_000 });
    expect(await rows.count()).toBe(2);
    for (const id of [IMG_BOX, SCRIPT_BOX]) {
      const row = page.locator(`[data-table=devices] tr[data-device="${id}"]`);
      expect(await row.locator('.cell-title').innerText()).toBe(NAMES[id]);
      expect(await row.innerText()).toContain(COMMUNITY);
    }
    const payloads = page.locator('[data-card=dead-letters] code.payload');
    await payloads.first().waitFor({ timeout: 20_000 });
    const previews = await payloads.allInnerTexts();
    expect(previews.some((text) => text.includes('<svg data-injected onload='))).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}markup-injection-health.png`, fullPage: true });
    await expectInert(page, base);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('on the participation view: the community', async () => {
    const { context, page, errors } = await openTab(browser, 'zh-CN', { width: 1366, height: 768 });
    await signIn(page, platform, adminToken, TOKEN_NAME);
    const base = page.url().split('#')[0]!;
    await page.goto(`${base}#/participation?to=${localDay(Date.now(), 480)}`);
    const row = page.locator('tr[data-community]');
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-community')))).toEqual([COMMUNITY]);
    expect(await row.first().locator('td').first().innerText()).toBe(COMMUNITY);
    await expectInert(page, base);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('on the plan view: the stops, the planner, the depot and the route tooltip', async () => {
    const { context, page, errors } = await openTab(browser, 'zh-CN', { width: 1366, height: 768 });
    await signIn(page, platform, adminToken, TOKEN_NAME);
    const base = page.url().split('#')[0]!;
    await page.goto(`${base}#/plans?date=${planDay}&plan=${planId}`);
    const stops = page.locator(`.plans-view[data-plan="${planId}"] [data-table=stops]`);
    await stops.first().waitFor({ timeout: 20_000 });
    const titles = await stops.locator('.cell-title').allInnerTexts();
    expect(titles.sort()).toEqual([NAMES[IMG_BOX], NAMES[SCRIPT_BOX]].sort());
    expect(await stops.first().innerText()).toContain(COMMUNITY);
    expect(await page.locator('.plans-view').innerText()).toContain(TOKEN_NAME);
    expect(await page.locator(`[data-depot="${STATION}"]`).getAttribute('title')).toContain(STATION_NAME);
    // A point on the route line itself, where no stop or depot marker covers it (its box's middle may be off the line).
    const onLine = await page.locator('path.bp-route').first().evaluate((path: SVGPathElement) => {
      const m = path.getScreenCTM()!;
      for (let f = 0.05; f < 1; f += 0.05) {
        const p = path.getPointAtLength(path.getTotalLength() * f);
        const at = { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
        if (document.elementFromPoint(at.x, at.y) === path) return at;
      }
      return null;
    });
    expect(onLine).not.toBeNull();
    await page.mouse.move(onLine!.x, onLine!.y);
    await page.locator('.leaflet-tooltip').waitFor({ timeout: 5_000 });
    expect(await page.locator('.leaflet-tooltip').innerText()).toBe('苏D·X0001 · veh-xss');
    await page.screenshot({ path: `${ARTIFACTS}markup-injection-plans.png` });
    await expectInert(page, base);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

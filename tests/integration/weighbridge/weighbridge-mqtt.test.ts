/**
 * Issue 14 acceptance: a weighbridge of the demo fleet (scale-ts-01, its secret from the demo
 * credentials file) publishing with mosquitto_pub to a real platform process. A ticket is
 * stored with its site; a ticket with a plate no vehicle has is kept and flagged (and counted);
 * a malformed ticket is a dead letter with its reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS_FILE, FleetCredentialsFile } from '../../../shared/contracts/index.ts';
import { EXAMPLE_PAYLOADS } from '../../../shared/contracts/examples.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import { hasMosquitto, mosquittoPub } from '../../support/mosquitto.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../../support/platform-process.ts';

const SCALE = 'scale-ts-01';
let platform: RunningPlatform;
let store: SqliteTimeSeriesStore;
let secret = '';
let knownPlate = '';

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${platform.baseUrl}${path}`, { headers: { authorization: `Bearer ${platform.adminToken}` } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const publish = (channel: string, payload: unknown) =>
  mosquittoPub(platform.mqttPort, [
    '-i', SCALE, '-u', SCALE, '-P', secret, '-q', '1', '-t', `binpulse/v1/${SCALE}/${channel}`,
    '-m', typeof payload === 'string' ? payload : JSON.stringify(payload),
  ]);

const ticket = (eventId: string, plate: string) => ({
  ...EXAMPLE_PAYLOADS['event/weigh'],
  ts: new Date().toISOString(),
  eventId,
  ticketId: `T-${eventId}`,
  plate,
});

const everything = () => ({ from: Date.now() - 3_600_000, to: Date.now() + 3_600_000 });
const ticketOf = async (eventId: string) => (await store.weighTickets(everything())).find((t) => t.eventId === eventId);

describe.runIf(hasMosquitto)('a demo weighbridge publishing with mosquitto_pub', () => {
  beforeAll(async () => {
    platform = await startPlatformProcess({ SIMULATOR: 'off', DEMO_HISTORY_DAYS: '0' });
    const file = FleetCredentialsFile.parse(JSON.parse(readFileSync(join(platform.dataDir, DEMO_CREDENTIALS_FILE), 'utf8')));
    const scale = file.devices.find((d) => d.device.id === SCALE)!;
    expect(scale.device).toMatchObject({ kind: 'scale', siteId: 'ts-01' });
    expect(file.sites?.map((s) => s.id)).toContain('sc-01');
    secret = scale.secret;
    knownPlate = file.vehicles![0]!.vehicle.plate;
    store = new SqliteTimeSeriesStore(openDatabase(join(platform.dataDir, 'timeseries.db')), { utcOffsetMinutes: 480 });
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    if (!platform) return;
    expect(await platform.stop()).toBe(0);
    platform.cleanUp();
  });

  it('stores a ticket with its site, plate known', async () => {
    // Keyed at the scale without the middle dot: still the registry's vehicle.
    expect((await publish('event/weigh', ticket('w-known', knownPlate.replace('·', '')))).code).toBe(0);
    const stored = await waitFor(() => ticketOf('w-known'), 10_000, 'the ticket in the store');
    expect(stored).toMatchObject({
      deviceId: SCALE,
      siteId: 'ts-01',
      direction: 'in',
      grossKg: 19_260,
      tareKg: 11_400,
      netKg: 7_860,
      category: null,
      reference: null,
      plateKnown: true,
    });
  });

  it('keeps a ticket whose plate no vehicle has, flagged and counted', async () => {
    expect((await publish('event/weigh', ticket('w-stranger', '苏A·Z9999'))).code).toBe(0);
    const stored = await waitFor(() => ticketOf('w-stranger'), 10_000, 'the stranger’s ticket');
    expect(stored).toMatchObject({ plate: '苏A·Z9999', plateKnown: false });
    const metrics = await (await fetch(`${platform.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^binpulse_weigh_tickets_unknown_plate_total 1$/m);
  });

  it('dead-letters a malformed ticket with its reason, and a replay stores the ticket once', async () => {
    // net is not gross − tare: the contract's refinement names the field.
    const bad = { ...ticket('w-bad', knownPlate), netKg: 100 };
    expect((await publish('event/weigh', bad)).code).toBe(0);
    const letter = await waitFor(async () => {
      const list = await api<{ recent: { deviceId: string | null; reason: string; detail: string }[] }>('/api/v1/dead-letters?limit=20');
      return list.recent.find((l) => l.deviceId === SCALE);
    }, 10_000, 'the dead letter');
    expect(letter.reason).toBe('schema_violation');
    expect(letter.detail).toContain('netKg');

    const again = (await store.weighTickets(everything())).filter((t) => t.eventId === 'w-known');
    expect((await publish('event/weigh', ticket('w-known', knownPlate))).code).toBe(0);
    expect((await publish('event/weigh', ticket('w-marker', knownPlate))).code).toBe(0);
    await waitFor(() => ticketOf('w-marker'), 10_000, 'the marker ticket');
    expect((await store.weighTickets(everything())).filter((t) => t.eventId === 'w-known')).toEqual(again);
    expect(await ticketOf('w-bad')).toBeUndefined();
  });

  it('stores a sorting report from the sorting centre’s scale', async () => {
    const file = FleetCredentialsFile.parse(JSON.parse(readFileSync(join(platform.dataDir, DEMO_CREDENTIALS_FILE), 'utf8')));
    const centre = file.devices.find((d) => d.device.id === 'scale-sc-01')!;
    const now = Date.now();
    const report = {
      ...EXAMPLE_PAYLOADS['event/sorting'],
      ts: new Date(now).toISOString(),
      periodStart: new Date(now - 86_400_000).toISOString(),
    };
    const sent = await mosquittoPub(platform.mqttPort, [
      '-i', 'scale-sc-01', '-u', 'scale-sc-01', '-P', centre.secret, '-q', '1',
      '-t', 'binpulse/v1/scale-sc-01/event/sorting', '-m', JSON.stringify(report),
    ]);
    expect(sent.code).toBe(0);
    const stored = await waitFor(
      async () => (await store.sortingReports(everything())).find((r) => r.deviceId === 'scale-sc-01'),
      10_000,
      'the sorting report',
    );
    expect(stored).toMatchObject({ siteId: 'sc-01', residueKg: 4_100, recoveredKg: report.recoveredKg, periodStart: now - 86_400_000 });
  });
});

/**
 * The ledger's periodic check against the real parts: the SQLite time-series store holding a day's
 * collections and tickets, the alert engine on its SQLite database. One ledger_mismatch per
 * anomaly, none for the quiet trip; checking again, or after a restart, raises nothing more; a
 * resolved mismatch is not raised again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../services/alerts/alert-engine.ts';
import type { AlertRules } from '../../../services/alerts/core/ports.ts';
import { storeLedgerSource } from '../../../services/ledger/adapters/store-source.ts';
import { LedgerService } from '../../../services/ledger/ledger-service.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteTimeSeriesStore } from '../../../services/timeseries/adapters/sqlite-store.ts';
import type { TimeSeriesRecord } from '../../../services/timeseries/core/store.ts';
import { FakeRegistry } from '../../support/api-fakes.ts';

const NO_RULES: AlertRules = { onMessage: () => [], onConnection: () => [], onSweep: () => [], silentDevices: () => [] };
const logger = pino({ level: 'silent' });
const DAY = '2026-12-01';
const at = (hhmm: string, day = DAY) => Date.parse(`${day}T${hhmm}:00+08:00`);
const NOW = at('12:00', '2026-12-02');

const boxTags = (deviceId: string) => ({ deviceId, kind: 'box' as const, subdistrict: 'hongmei' as const, community: '红梅新村' });
const scaleTags = (deviceId: string) => ({ deviceId, kind: 'scale' as const, subdistrict: 'tianning' as const, community: '中转站' });

function collection(eventId: string, hhmm: string, vehicleId: string, kg: number): TimeSeriesRecord {
  return { type: 'collection', tags: boxTags(`box-${eventId}`), ts: at(hhmm), eventId, collectorId: 'w1', vehicleId, compartments: [{ category: 'paper', weightKg: kg }] };
}
function ticket(ticketId: string, hhmm: string, plate: string, netKg: number, more: { direction?: 'in' | 'out'; reference?: string; scale?: string; site?: string } = {}): TimeSeriesRecord {
  return {
    type: 'weigh_ticket',
    tags: scaleTags(more.scale ?? 'scale-ts-01'),
    ts: at(hhmm),
    siteId: more.site ?? 'ts-01',
    eventId: `ev-${ticketId}`,
    ticketId,
    plate,
    direction: more.direction ?? 'in',
    grossKg: netKg + 8000,
    tareKg: 8000,
    netKg,
    category: null,
    reference: more.reference ?? null,
    plateKnown: true,
  };
}

/** A quiet trip, a light one, one never weighed in, and a shipment received 400 kg short. */
const DAY_RECORDS: TimeSeriesRecord[] = [
  collection('c1', '08:10', '苏D·R0001', 1000),
  collection('c2', '08:20', '苏D·R0002', 1200),
  collection('c3', '08:30', '苏D·R0003', 700),
  ticket('T1', '11:40', '苏D·R0001', 995),
  ticket('T2', '11:45', '苏D·R0002', 1000),
  ticket('T3', '18:30', '苏D·S0001', 1990, { direction: 'out', reference: 'N1' }),
];
const receipt = (kg: number) => ticket('T4', '19:10', '苏D·S0001', kg, { reference: 'N1', scale: 'scale-sc-01', site: 'sc-01' });

let dir: string;
let db: SqliteDatabase;
let store: SqliteTimeSeriesStore;
const stops: (() => void)[] = [];

function start(): { engine: AlertEngine; ledger: LedgerService } {
  const engine = new AlertEngine({
    db,
    rules: NO_RULES,
    registry: new FakeRegistry(),
    deviceState: { get: () => undefined, all: () => new Map() },
    now: () => NOW,
    sweepSeconds: 15,
    logger,
    metrics: new Registry(),
  });
  engine.start();
  stops.push(() => engine.stop());
  const source = storeLedgerSource({ store, vehicles: () => [], siteKind: (id) => (id.startsWith('ts-') ? 'transfer_station' : 'sorting_centre') });
  return { engine, ledger: new LedgerService({ source, alerts: engine, utcOffsetMinutes: 480, now: () => NOW, logger }) };
}
const ledgerAlerts = (engine: AlertEngine) => engine.list({ type: 'ledger_mismatch', limit: 100, offset: 0 }).items;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-ledger-'));
  db = openDatabase(join(dir, 'binpulse.db'));
  store = new SqliteTimeSeriesStore(openDatabase(join(dir, 'timeseries.db')), { utcOffsetMinutes: 480 });
  await store.write(DAY_RECORDS);
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) stop();
  await store.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ledger check', () => {
  it('raises one ledger_mismatch per anomaly, with the evidence, and none for the quiet trip', async () => {
    await store.write([receipt(1590)]);
    const { engine, ledger } = start();
    await ledger.check();
    const alerts = ledgerAlerts(engine);
    expect(alerts.map((a) => a.message.code).sort()).toEqual(['ledger_mismatch.missing_weigh_in', 'ledger_mismatch.shipments', 'ledger_mismatch.trip_light']);
    expect(alerts.find((a) => a.message.code === 'ledger_mismatch.trip_light')).toMatchObject({
      key: 'ledger_mismatch:trip:苏DR0002:c2',
      severity: 'warning',
      status: 'active',
      evidence: { plate: '苏D·R0002', ticketId: 'T2', scaleId: 'scale-ts-01', fromKg: 1200, toKg: 1000, lossKg: 200, toleranceKg: 50 },
    });
    expect(alerts.find((a) => a.message.code === 'ledger_mismatch.shipments')).toMatchObject({
      key: `ledger_mismatch:shipped_received:${DAY}`,
      evidence: { day: DAY, fromKg: 1990, toKg: 1590, lossKg: 400, references: ['N1'] },
    });
  });

  it('is idempotent: checking again, or after a restart, raises nothing more; a resolved mismatch stays resolved', async () => {
    await store.write([receipt(1590)]);
    const first = start();
    expect((await first.ledger.check()).length).toBe(3);
    expect(await first.ledger.check()).toEqual([]);
    const light = ledgerAlerts(first.engine).find((a) => a.message.code === 'ledger_mismatch.trip_light')!;
    first.engine.resolve(light.id, 'manager', 'driver explained: part of the load went to the wrong station');
    for (const stop of stops.splice(0).reverse()) stop();

    const restarted = start();
    expect(await restarted.ledger.check()).toEqual([]);
    const alerts = ledgerAlerts(restarted.engine);
    expect(alerts).toHaveLength(3);
    expect(alerts.every((a) => a.count === 1)).toBe(true);
    expect(alerts.find((a) => a.id === light.id)!.status).toBe('resolved');
  });

  it('a shipment not received 12 h after it left puts its day out; its late receipt clears the alert', async () => {
    const { engine, ledger } = start();
    await ledger.check();
    expect(ledgerAlerts(engine).find((a) => a.message.code === 'ledger_mismatch.shipments')).toMatchObject({ status: 'active', evidence: { fromKg: 1990, toKg: 0 } });
    await store.write([receipt(1985)]);
    expect((await ledger.check()).filter((c) => c.op === 'clear').map((c) => c.key)).toEqual([`ledger_mismatch:shipped_received:${DAY}`]);
    expect(ledgerAlerts(engine).find((a) => a.message.code === 'ledger_mismatch.shipments')).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });
});

/** GET /api/v1/reports/mass-balance (+ .csv), through the routes with the real ledger over the fake store's records. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CollectionRecord, WeighTicketRecord } from '../../../services/timeseries/core/store.ts';
import { buildTestApi, FakeTimeSeries } from '../../support/api-fakes.ts';

const opened: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
});

const DAY = '2026-05-08';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00+08:00`);

function collection(eventId: string, hhmm: string, vehicleId: string, subdistrict: 'hongmei' | 'tianning', kgByCategory: CollectionRecord['kgByCategory']): CollectionRecord {
  return { deviceId: `box-${eventId}`, subdistrict, community: 'c', ts: at(hhmm), eventId, collectorId: 'w1', vehicleId, kgByCategory };
}
function ticket(ticketId: string, hhmm: string, fields: Partial<WeighTicketRecord> & Pick<WeighTicketRecord, 'plate' | 'netKg'>): WeighTicketRecord {
  return {
    deviceId: 'scale-ts-01',
    siteId: 'ts-01',
    ts: at(hhmm),
    eventId: `e-${ticketId}`,
    ticketId,
    direction: 'in',
    grossKg: fields.netKg + 8000,
    tareKg: 8000,
    category: null,
    reference: null,
    plateKnown: true,
    ...fields,
  };
}

/** A day: a trip within tolerance, a trip 200 kg light, a paper shipment and the sorting report. */
function store(): FakeTimeSeries {
  const s = new FakeTimeSeries();
  s.tonnageRows.push({ day: DAY, category: 'paper', subdistrict: 'hongmei', kg: 2100, deposits: 70 });
  s.chain.collections.push(
    collection('c1', '08:10', '苏D·R0001', 'hongmei', { paper: 1000 }),
    collection('c2', '08:20', '苏D·R0002', 'tianning', { paper: 1000 }),
  );
  s.chain.weighTickets.push(
    ticket('T1', '11:40', { plate: '苏DR0001', netKg: 990 }),
    ticket('T2', '11:50', { plate: '苏D·R0002', netKg: 800 }),
    ticket('T3', '18:30', { plate: '苏D·S0001', netKg: 1780, direction: 'out', category: 'paper', reference: 'N1' }),
    ticket('T4', '19:10', { plate: '苏D·S0001', netKg: 1770, deviceId: 'scale-sc-01', siteId: 'sc-01', category: 'paper', reference: 'N1' }),
  );
  s.chain.sortingReports.push({ deviceId: 'scale-sc-01', siteId: 'sc-01', ts: at('23:59'), periodStart: at('00:00'), eventId: 'r1', recoveredKg: { paper: 1700 }, residueKg: 40 });
  return s;
}

async function setup(timeseries: FakeTimeSeries = store()) {
  const built = await buildTestApi({ timeseries });
  opened.push(built.app);
  return built;
}

describe('GET /api/v1/reports/mass-balance', () => {
  it('gives every stage, the legs, the recovery rate, the band and the light trip', async () => {
    const t = await setup();
    const res = await t.app.inject({ url: `/api/v1/reports/mass-balance?from=${DAY}&to=${DAY}`, headers: t.auth.manager });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.totals).toEqual({ depositedKg: 2100, collectedKg: 2000, weighedInKg: 1790, shippedKg: 1780, receivedKg: 1770, recoveredKg: 1700, residueKg: 40, unallocatedKg: 0 });
    expect(body.recoveryRate).toBeCloseTo(1700 / 1770, 10);
    expect(body.targetBandTonnesPerDay).toEqual({ min: 60, max: 80 });
    expect(body.trips).toEqual([
      expect.objectContaining({ plate: '苏D·R0002', status: 'mismatch', collectedKg: 1000, weighedInKg: 800, lossKg: 200, weighInTicketId: 'T2', weighedInAt: '2026-05-08T11:50:00.000+08:00' }),
    ]);
    expect(body.tripCounts).toMatchObject({ within: 1, mismatch: 1 });
    const legs = Object.fromEntries(body.days[0].legs.map((l: { leg: string }) => [l.leg, l]));
    expect(legs.shipped_received).toMatchObject({ fromKg: 1780, toKg: 1770, within: true });
    expect(legs.collected_weighed_in).toMatchObject({ fromKg: 2000, toKg: 1790, within: false });
  });

  it('filters to a subdistrict', async () => {
    const t = await setup();
    const body = (await t.app.inject({ url: `/api/v1/reports/mass-balance?from=${DAY}&to=${DAY}&subdistrict=tianning`, headers: t.auth.operator })).json();
    expect(body.subdistrict).toBe('tianning');
    expect(body.rows.map((r: { subdistrict: string }) => r.subdistrict)).toEqual(['tianning']);
    expect(body.totals).toMatchObject({ depositedKg: 0, collectedKg: 1000, weighedInKg: 800 });
    expect(body.trips.map((trip: { plate: string }) => trip.plate)).toEqual(['苏D·R0002']);
  });

  it('refuses a bad range and a bad subdistrict with 400', async () => {
    const t = await setup();
    const backwards = await t.app.inject({ url: `/api/v1/reports/mass-balance?from=${DAY}&to=2026-05-01`, headers: t.auth.manager });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ code: 'BP_BAD_RANGE' });
    const area = await t.app.inject({ url: `/api/v1/reports/mass-balance?from=${DAY}&to=${DAY}&subdistrict=atlantis`, headers: t.auth.manager });
    expect(area.statusCode).toBe(400);
  });

  it('answers 503 with the reason when the store cannot', async () => {
    const down = store();
    down.collections = async () => {
      throw new Error('InfluxDB not reachable (ECONNREFUSED)');
    };
    const t = await setup(down);
    const res = await t.app.inject({ url: `/api/v1/reports/mass-balance?from=${DAY}&to=${DAY}`, headers: t.auth.manager });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'BP_STORE_UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('GET /api/v1/reports/mass-balance.csv', () => {
  it('one line per day × subdistrict × category with every stage, header in the language asked for', async () => {
    const t = await setup();
    const zh = await t.app.inject({ url: `/api/v1/reports/mass-balance.csv?from=${DAY}&to=${DAY}`, headers: t.auth.manager });
    expect(zh.statusCode).toBe(200);
    expect(zh.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(zh.headers['content-disposition']).toBe(`attachment; filename="binpulse-mass-balance-${DAY}_${DAY}.csv"`);
    const lines = zh.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('日期,街道代码,街道,品类代码,品类,投放量（千克）,收运量（千克）,进站过磅（千克）,出站量（千克）,分拣进场（千克）,分拣回收（千克）,分拣残余（千克）');
    // Paper weighed in: hongmei 990, tianning 800 → shipped 1780 split 990:800.
    expect(lines.slice(1)).toEqual([
      `${DAY},tianning,天宁街道,paper,纸类,0,1000,800,${Math.round((1780 * 800 * 1000) / 1790) / 1000},${Math.round((1770 * 800 * 1000) / 1790) / 1000},${Math.round((1700 * 800 * 1000) / 1790) / 1000},${Math.round((40 * 800 * 1000) / 1790) / 1000}`,
      `${DAY},hongmei,红梅街道,paper,纸类,2100,1000,990,${Math.round((1780 * 990 * 1000) / 1790) / 1000},${Math.round((1770 * 990 * 1000) / 1790) / 1000},${Math.round((1700 * 990 * 1000) / 1790) / 1000},${Math.round((40 * 990 * 1000) / 1790) / 1000}`,
    ]);
    const en = await t.app.inject({ url: `/api/v1/reports/mass-balance.csv?from=${DAY}&to=${DAY}&lang=en`, headers: t.auth.manager });
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
      'Day,Subdistrict code,Subdistrict,Category code,Category,Deposited (kg),Collected (kg),Weighed in (kg),Shipped (kg),Received (kg),Recovered (kg),Residue (kg)',
    );
  });
});

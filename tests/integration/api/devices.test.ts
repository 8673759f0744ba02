/** /api/v1/devices: filters, paging, detail, provisioning, and the response allow-list. */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceState } from '../../../shared/contracts/index.ts';
import { emptyDeviceState } from '../../../shared/contracts/index.ts';
import {
  buildTestApi,
  FakeDeviceStates,
  FakeRegistry,
  FakeTimeSeries,
  FIXED_NOW,
  makeDevice,
  makeState,
  type TestApi,
} from '../../support/api-fakes.ts';

// Registered out of order on purpose: the API sorts by id.
const fleet = () => [
  makeDevice('C002', { kind: 'camera', subdistrict: 'lanling' }),
  makeDevice('B003', { subdistrict: 'hongmei' }),
  makeDevice('B001'),
  makeDevice('C001', { kind: 'camera' }),
  makeDevice('B004', { subdistrict: 'hongmei' }),
  makeDevice('B002'),
];
const states = () =>
  new Map<string, DeviceState>([
    ['B001', makeState({ online: true, maxFillingLevel: 0.95 })],
    ['B002', makeState({ online: false, maxFillingLevel: 0.5 })],
    ['B003', makeState({ online: true, maxFillingLevel: 0.9 })],
    // B004 was never heard from.
    ['C001', makeState({ online: true, streamOk: true, frameRate: 25 })],
    ['C002', makeState({ online: false, streamOk: false })],
  ]);

let app: FastifyInstance;
let t: TestApi;
const series = [{ ts: '2026-05-10T03:00:00.000Z', metric: 'fillingLevel', category: 'paper' as const, value: 0.95 }];

beforeEach(async () => {
  const built = await buildTestApi({
    registry: new FakeRegistry(fleet()),
    deviceState: new FakeDeviceStates(states()),
    timeseries: new FakeTimeSeries(series),
  });
  app = built.app;
  t = built;
});
afterEach(() => app.close());

async function list(query: string) {
  const res = await app.inject({ url: `/api/v1/devices${query}`, headers: t.auth.operator });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { total: number; online: number; items: { id: string; state: DeviceState }[] };
  return { ...body, ids: body.items.map((d) => d.id) };
}

describe('GET /api/v1/devices', () => {
  it('lists every device sorted by id, unheard ones with an empty state', async () => {
    const body = await list('');
    expect(body.ids).toEqual(['B001', 'B002', 'B003', 'B004', 'C001', 'C002']);
    expect(body).toMatchObject({ total: 6, online: 3 });
    expect(body.items.find((d) => d.id === 'B004')?.state).toEqual(emptyDeviceState());
  });

  it.each([
    ['?kind=camera', ['C001', 'C002'], 1],
    ['?kind=box', ['B001', 'B002', 'B003', 'B004'], 2],
    ['?subdistrict=hongmei', ['B003', 'B004'], 1],
    ['?online=true', ['B001', 'B003', 'C001'], 3],
    ['?online=false', ['B002', 'B004', 'C002'], 0],
    ['?fillAbove=0.9', ['B001', 'B003'], 2],
    ['?fillAbove=0.91', ['B001'], 1],
    ['?kind=box&subdistrict=tianning&online=false', ['B002'], 0],
    ['?subdistrict=zhenglu', [], 0],
  ])('%s → %j', async (query, ids, online) => {
    const body = await list(query);
    expect(body.ids).toEqual(ids);
    expect(body.total).toBe(ids.length);
    expect(body.online).toBe(online);
  });

  it('pages after counting', async () => {
    const page = await list('?limit=2&offset=2');
    expect(page.ids).toEqual(['B003', 'B004']);
    expect(page).toMatchObject({ total: 6, online: 3 });
    const past = await list('?offset=10');
    expect(past).toMatchObject({ ids: [], total: 6 });
  });

  it.each([
    ['?kind=truck', 'kind'],
    ['?subdistrict=shanghai', 'subdistrict'],
    ['?online=yes', 'online'],
    ['?fillAbove=1.5', 'fillAbove'],
    ['?limit=0', 'limit'],
    ['?limit=5001', 'limit'],
    ['?offset=-1', 'offset'],
  ])('%s → 400 naming %s', async (query, field) => {
    const res = await app.inject({ url: `/api/v1/devices${query}`, headers: t.auth.operator });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request' });
    expect(res.json().message).toContain(field);
  });
});

describe('GET /api/v1/devices/:id', () => {
  it('returns the record, the state and the last 24 hours of series by default', async () => {
    const res = await app.inject({ url: '/api/v1/devices/B001', headers: t.auth.engineer });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'B001', kind: 'box', state: { online: true, maxFillingLevel: 0.95 }, series });
    expect(t.timeseries.seriesCalls).toEqual([
      { deviceId: 'B001', range: { from: FIXED_NOW - 24 * 3_600_000, to: FIXED_NOW + 1 }, limit: 20_000 },
    ]);
  });

  it('honours hours within 1..720 (30 days)', async () => {
    await app.inject({ url: '/api/v1/devices/B002?hours=720', headers: t.auth.engineer });
    expect(t.timeseries.seriesCalls[0]?.range.from).toBe(FIXED_NOW - 720 * 3_600_000);
    for (const hours of ['0', '721', '1.5', 'abc']) {
      const res = await app.inject({ url: `/api/v1/devices/B002?hours=${hours}`, headers: t.auth.engineer });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('hours');
    }
  });

  it('gives an unheard device the empty state', async () => {
    const res = await app.inject({ url: '/api/v1/devices/B004', headers: t.auth.operator });
    expect(res.json().state).toEqual(emptyDeviceState());
  });

  it('404s an unknown device', async () => {
    const res = await app.inject({ url: '/api/v1/devices/B999', headers: t.auth.operator });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, code: 'BP_DEVICE_NOT_FOUND', error: 'Not Found', message: "no device 'B999'" });
    expect(t.timeseries.seriesCalls).toEqual([]);
  });
});

describe('POST /api/v1/devices', () => {
  const newBox = { ...makeDevice('B100'), compartments: [{ category: 'glass', capacityKg: 60 }] };

  it('provisions and shows the secret once', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: t.auth.admin, payload: newBox });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ device: newBox, secret: 'secret-of-B100-0123456789' });
    expect(t.registry.devices.has('B100')).toBe(true);
    const detail = await app.inject({ url: '/api/v1/devices/B100', headers: t.auth.admin });
    expect(detail.body).not.toContain('secret-of-B100');
  });

  it('applies the NewDevice defaults to a camera', async () => {
    const { compartments: _c, cameraPointType: _p, ...camera } = makeDevice('C100', { kind: 'camera' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: t.auth.admin, payload: camera });
    expect(res.statusCode).toBe(201);
    expect(res.json().device).toMatchObject({ compartments: [], cameraPointType: null });
  });

  it('409s a duplicate id', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: t.auth.admin, payload: makeDevice('B001') });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BP_DEVICE_EXISTS' });
  });

  it.each([
    ['a missing field', { ...newBox, name: undefined }, 'name'],
    ['an unknown field', { ...newBox, secretHash: 'x' }, 'secretHash'],
    ['a bad id', { ...newBox, id: 'a/b' }, 'id'],
    ['a bad date', { ...newBox, installedOn: '2025-13-01' }, 'installedOn'],
  ])('400s %s', async (_label, payload, field) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/devices', headers: t.auth.admin, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    expect(res.json().message).toContain(field);
    expect(t.registry.devices.has(newBox.id)).toBe(false);
  });

  it("maps the registry's INVALID_DEVICE to 400 BP_INVALID_DEVICE", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: t.auth.admin,
      payload: { ...newBox, compartments: [] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BP_INVALID_DEVICE', message: 'a box needs at least one compartment' });
  });
});

describe('the response schema is an allow-list', () => {
  it('never sends fields the schemas do not name, at any depth', async () => {
    const leakyState = {
      ...makeState({ maxFillingLevel: 0.4 }),
      compartments: [{ category: 'paper' as const, fillingLevel: 0.4, weightKg: 3, rawAdc: 'LEAK-3' }],
      residentHash: 'LEAK-2',
    };
    const device = makeDevice('B001', {
      compartments: [{ category: 'paper', capacityKg: 120, vendorKey: 'LEAK-4' } as never],
    });
    const leaky = await buildTestApi({
      registry: new FakeRegistry([device], { secretHash: 'LEAK-1' }),
      deviceState: new FakeDeviceStates(new Map([['B001', leakyState as DeviceState]])),
      timeseries: new FakeTimeSeries([{ ...series[0]!, internalRowId: 'LEAK-5' } as never]),
    });
    try {
      const bodies = [
        (await leaky.app.inject({ url: '/api/v1/devices', headers: leaky.auth.operator })).body,
        (await leaky.app.inject({ url: '/api/v1/devices/B001', headers: leaky.auth.operator })).body,
        (
          await leaky.app.inject({
            method: 'POST',
            url: '/api/v1/devices',
            headers: leaky.auth.admin,
            payload: makeDevice('B002'),
          })
        ).body,
      ];
      for (const body of bodies) {
        expect(body).toMatch(/"id":"B00[12]"/);
        expect(body).not.toMatch(/LEAK|secretHash|residentHash|rawAdc|vendorKey|internalRowId/);
      }
    } finally {
      await leaky.app.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { TransferStation } from '../../../shared/contracts/index.ts';
import { checkNewSite, checkNewStation, checkNewVehicle, checkSites } from '../../../services/fleet/core/site-validation.ts';

const STATION = {
  id: 'ts-01',
  name: '五角场垃圾转运站',
  position: { lat: 31.768, lon: 120.014 },
  subdistrict: 'chashan',
  address: '常州市天宁区五角场路61号',
};
const VEHICLE = { id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' };

const station = (): TransferStation => {
  const check = checkNewStation(STATION);
  if (!check.ok) throw new Error('fixture');
  return check.value;
};
const depots = (id: string) => (id === 'ts-01' ? station() : undefined);
const fields = (check: { ok: boolean; issues?: { field: string }[] }) => (check.ok ? [] : check.issues!.map((i) => i.field));

describe('transfer station validation', () => {
  it('fills in the kind and every recyclable category', () => {
    const check = checkNewStation(STATION);
    expect(check.ok && check.value).toMatchObject({ kind: 'transfer_station', categories: ['paper', 'plastic', 'metal', 'glass', 'textile'] });
  });

  it('names each bad field', () => {
    const check = checkNewStation({ ...STATION, position: { lat: 95, lon: 120 }, subdistrict: 'wujin', categories: ['paper', 'paper'], colour: 'red' });
    expect(fields(check).sort()).toEqual(['categories', 'colour', 'position.lat', 'subdistrict']);
  });

  it('refuses an id that could widen an MQTT topic filter', () => {
    expect(fields(checkNewStation({ ...STATION, id: 'ts/+' }))).toEqual(['id']);
  });
});

describe('vehicle validation', () => {
  it('accepts a vehicle at a known depot', () => {
    expect(checkNewVehicle(VEHICLE, depots)).toEqual({ ok: true, value: VEHICLE });
  });

  it('refuses a non-positive capacity and an unknown depot, both at once', () => {
    const check = checkNewVehicle({ ...VEHICLE, capacityKg: 0, depotId: 'ts-99' }, depots);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.issues).toEqual([
      { field: 'capacityKg', message: expect.stringContaining('>0') },
      { field: 'depotId', message: 'no transfer station "ts-99"' },
    ]);
  });

  it('refuses a plate that is not a Chinese plate', () => {
    expect(fields(checkNewVehicle({ ...VEHICLE, plate: 'AB-123' }, depots))).toEqual(['plate']);
    expect(fields(checkNewVehicle({ ...VEHICLE, plate: '苏D·O0001' }, depots))).toEqual(['plate']);
    expect(fields(checkNewVehicle({ ...VEHICLE, plate: '苏DD12345' }, depots))).toEqual([]);
  });

  it('refuses categories its depot does not take', () => {
    const paperOnly = (id: string) => (id === 'ts-01' ? { ...station(), categories: ['paper' as const] } : undefined);
    const check = checkNewVehicle({ ...VEHICLE, categories: ['paper', 'glass'] }, paperOnly);
    expect(!check.ok && check.issues).toEqual([{ field: 'categories', message: 'depot ts-01 does not take glass' }]);
  });
});

describe('a whole set of sites', () => {
  it('passes when ids are unique and every depot exists', () => {
    expect(checkSites([STATION, { ...STATION, id: 'ts-02' }], [VEHICLE, { ...VEHICLE, id: 'truck-02', depotId: 'ts-02' }])).toEqual([]);
  });

  it('names duplicate ids and unknown depots by their place in the set', () => {
    const issues = checkSites([STATION, STATION], [VEHICLE, VEHICLE, { ...VEHICLE, id: 'truck-03', depotId: 'ts-07' }]);
    expect(issues).toEqual([
      { field: 'stations.1.id', message: 'duplicate id "ts-01"' },
      { field: 'vehicles.1.id', message: 'duplicate id "truck-01"' },
      { field: 'vehicles.2.depotId', message: 'no transfer station "ts-07"' },
    ]);
  });
});

describe('sorting centres (issue 14)', () => {
  const CENTRE = { ...STATION, id: 'sc-01', kind: 'sorting_centre', name: '天宁区再生资源分拣中心' };

  it('checks a sorting centre by its kind, with every recyclable category by default', () => {
    const check = checkNewSite(CENTRE);
    expect(check.ok && check.value).toMatchObject({ kind: 'sorting_centre', categories: ['paper', 'plastic', 'metal', 'glass', 'textile'] });
    // Without a kind it is a transfer station, as before.
    expect(checkNewSite(STATION)).toMatchObject({ ok: true, value: { kind: 'transfer_station' } });
    expect(fields(checkNewSite({ ...CENTRE, kind: 'landfill' }))).toEqual(['kind']);
  });

  it('a whole set may hold a sorting centre, but a vehicle cannot be based there', () => {
    expect(checkSites([STATION, CENTRE], [VEHICLE])).toEqual([]);
    expect(checkSites([STATION, CENTRE], [{ ...VEHICLE, depotId: 'sc-01' }])).toEqual([
      { field: 'vehicles.0.depotId', message: 'no transfer station "sc-01"' },
    ]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDevice } from '../../../shared/contracts/index.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { FleetError } from '../../../services/fleet/core/registry.ts';

const box = (id: string, overrides: Partial<NewDevice> = {}): NewDevice => ({
  id,
  kind: 'box',
  name: `新天地花苑 ${id}`,
  lat: 31.81,
  lon: 119.99,
  subdistrict: 'qinglong',
  community: '新天地花苑',
  address: '常州市天宁区青洋北路12号新天地花苑',
  compartments: [
    { category: 'paper', capacityKg: 150 },
    { category: 'plastic', capacityKg: 60 },
  ],
  installedOn: '2023-06-01',
  gridCell: 'TN-QL-01',
  responsiblePerson: '张伟',
  ...overrides,
});

const camera = (id: string, overrides: Partial<NewDevice> = {}): NewDevice => ({
  ...box(id),
  kind: 'camera',
  name: `劳动路 城市容貌示范点 ${id}`,
  subdistrict: 'lanling',
  community: '劳动路',
  compartments: [],
  cameraPointType: 'road',
  ...overrides,
});

function fleetError(fn: () => unknown): FleetError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FleetError) return error;
    throw error;
  }
  throw new Error('expected a FleetError');
}

describe('SqliteFleetRegistry', () => {
  let dir: string;
  let file: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  const opened: SqliteDatabase[] = [];
  const open = () => {
    const handle = openDatabase(file);
    opened.push(handle);
    return handle;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    file = path.join(dir, 'binpulse.db');
    db = open();
    registry = new SqliteFleetRegistry(db);
  });

  afterEach(() => {
    for (const handle of opened.splice(0)) if (handle.open) handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates its table in an empty database', () => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toContain('devices');
    expect(registry.count()).toBe(0);
  });

  it('adds a device and gives it back as stored', () => {
    const { device, secret } = registry.add(box('box-0001'));
    expect(secret.length).toBeGreaterThanOrEqual(43);
    expect(device.cameraPointType).toBeNull();
    expect(registry.get('box-0001')).toEqual(device);
    expect(registry.get('box-0001')?.compartments).toEqual([
      { category: 'paper', capacityKg: 150 },
      { category: 'plastic', capacityKg: 60 },
    ]);
    expect(registry.count()).toBe(1);
  });

  it('stores a hash, never the secret itself', () => {
    const { secret } = registry.add(box('box-0001'));
    const row = db.prepare('SELECT * FROM devices').get() as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.created_at).toEqual(expect.any(String));
    expect(row.secret_rotated_at).toBeNull();
  });

  it('lists devices by id, filtered by kind and subdistrict', () => {
    registry.add(box('box-0003'));
    registry.add(camera('cam-001'));
    registry.add(box('box-0001', { subdistrict: 'hongmei' }));
    registry.add(box('box-0002'));
    expect(registry.list().map((d) => d.id)).toEqual(['box-0001', 'box-0002', 'box-0003', 'cam-001']);
    expect(registry.list({ kind: 'camera' }).map((d) => d.id)).toEqual(['cam-001']);
    expect(registry.list({ subdistrict: 'qinglong' }).map((d) => d.id)).toEqual(['box-0002', 'box-0003']);
    expect(registry.list({ kind: 'box', subdistrict: 'hongmei' }).map((d) => d.id)).toEqual(['box-0001']);
    expect(registry.list({ kind: 'camera', subdistrict: 'zhenglu' })).toEqual([]);
  });

  it('refuses a duplicate id', () => {
    registry.add(box('box-0001'));
    const error = fleetError(() => registry.add(box('box-0001', { name: 'another' })));
    expect(error.code).toBe('DEVICE_EXISTS');
    expect(registry.get('box-0001')?.name).toBe('新天地花苑 box-0001');
  });

  it('refuses an invalid device with a message naming the field', () => {
    const error = fleetError(() => registry.add(box('box-0001', { lat: 123 })));
    expect(error.code).toBe('INVALID_DEVICE');
    expect(error.message).toContain('lat');
    expect(fleetError(() => registry.add(box('box-0001', { gridCell: '' }))).message).toContain('gridCell');
    expect(fleetError(() => registry.add({ ...box('box-0001'), colour: 'red' } as NewDevice)).message).toContain('colour');
    expect(registry.count()).toBe(0);
  });

  it('adds many in one transaction: one bad record adds none', () => {
    const error = fleetError(() => registry.addMany([box('box-0001'), box('box-0002', { subdistrict: 'nowhere' as never })]));
    expect(error.code).toBe('INVALID_DEVICE');
    expect(error.message).toMatch(/#2.*subdistrict/);
    expect(registry.count()).toBe(0);
    expect(registry.addMany([box('box-0001'), camera('cam-001')]).map((p) => p.device.id)).toEqual(['box-0001', 'cam-001']);
    expect(registry.count()).toBe(2);
  });

  it('verifies secrets and knows each device kind', () => {
    const { secret } = registry.add(box('box-0001'));
    const cam = registry.add(camera('cam-001'));
    expect(registry.verifySecret('box-0001', secret)).toBe(true);
    expect(registry.verifySecret('box-0001', cam.secret)).toBe(false);
    expect(registry.verifySecret('box-0001', '')).toBe(false);
    expect(registry.verifySecret('box-9999', secret)).toBe(false);
    expect(registry.kindOf('box-0001')).toBe('box');
    expect(registry.kindOf('cam-001')).toBe('camera');
    expect(registry.kindOf('box-9999')).toBeUndefined();
  });

  it('rotates a secret: the old one fails at once, the new one passes', () => {
    const { secret: old } = registry.add(box('box-0001'));
    const fresh = registry.rotateSecret('box-0001');
    expect(fresh).not.toBe(old);
    expect(registry.verifySecret('box-0001', old)).toBe(false);
    expect(registry.verifySecret('box-0001', fresh)).toBe(true);
    const rotatedAt = db.prepare('SELECT secret_rotated_at FROM devices').pluck().get();
    expect(rotatedAt).toEqual(expect.any(String));
  });

  it('refuses to rotate the secret of an unknown device', () => {
    expect(fleetError(() => registry.rotateSecret('box-9999')).code).toBe('UNKNOWN_DEVICE');
  });

  it('removes a device, and its secret with it', () => {
    const { secret } = registry.add(box('box-0001'));
    expect(registry.remove('box-0001')).toBe(true);
    expect(registry.remove('box-0001')).toBe(false);
    expect(registry.get('box-0001')).toBeUndefined();
    expect(registry.kindOf('box-0001')).toBeUndefined();
    expect(registry.verifySecret('box-0001', secret)).toBe(false);
  });

  it('keeps its devices when the database is closed and opened again', () => {
    const { device, secret } = registry.add(box('box-0001'));
    db.close();
    const reopened = new SqliteFleetRegistry(open());
    expect(reopened.get('box-0001')).toEqual(device);
    expect(reopened.verifySecret('box-0001', secret)).toBe(true);
  });

  it('sees at once what another connection (the CLI process) adds, rotates and removes (freshnessMs 0)', () => {
    registry = new SqliteFleetRegistry(db, { freshnessMs: 0 });
    const cli = new SqliteFleetRegistry(open());
    expect(registry.kindOf('cam-001')).toBeUndefined();
    const { secret } = cli.add(camera('cam-001'));
    expect(registry.kindOf('cam-001')).toBe('camera');
    expect(registry.verifySecret('cam-001', secret)).toBe(true);
    const fresh = cli.rotateSecret('cam-001');
    expect(registry.verifySecret('cam-001', secret)).toBe(false);
    expect(registry.verifySecret('cam-001', fresh)).toBe(true);
    cli.remove('cam-001');
    expect(registry.kindOf('cam-001')).toBeUndefined();
  });

  it('serves repeated lookups from memory, and another connection\'s change once freshnessMs has passed', () => {
    let clock = 0;
    registry = new SqliteFleetRegistry(db, { freshnessMs: 100, monotonicNow: () => clock });
    registry.add(box('box-0001'));
    const first = registry.get('box-0001')!;
    expect(registry.get('box-0001')).toBe(first); // the same cached record
    // The CLI removes the box and adds it again, moved to another community.
    const cli = new SqliteFleetRegistry(open());
    cli.remove('box-0001');
    cli.add(box('box-0001', { community: '红梅新村', subdistrict: 'hongmei' }));
    clock += 99;
    expect(registry.get('box-0001')).toBe(first);
    clock += 1;
    expect(registry.get('box-0001')).toMatchObject({ community: '红梅新村', subdistrict: 'hongmei' });
    // And this connection's own writes are seen too.
    registry.remove('box-0001');
    expect(registry.get('box-0001')).toBeUndefined();
    expect(registry.kindOf('box-0001')).toBeUndefined();
  });

  it('hands out cached records frozen, so one caller cannot change what the next one sees', () => {
    registry.add(box('box-0001'));
    const device = registry.get('box-0001')!;
    expect(() => {
      (device as { community: string }).community = 'elsewhere';
    }).toThrow(TypeError);
    expect(() => {
      (device.compartments[0] as { capacityKg: number }).capacityKg = 1;
    }).toThrow(TypeError);
    expect(registry.get('box-0001')!.community).toBe('新天地花苑');
  });

  describe('scales (issue 14)', () => {
    const station = {
      id: 'ts-01',
      name: '青果巷垃圾转运站',
      position: { lat: 31.78, lon: 119.96 },
      subdistrict: 'tianning',
      address: '常州市天宁区青果巷1号',
    } as const;
    const scale = (id: string, siteId?: string): NewDevice => ({
      ...box(id),
      kind: 'scale',
      compartments: [],
      ...(siteId === undefined ? {} : { siteId }),
    });

    it('stores a scale with its site, and refuses one at no site', () => {
      registry.addStation(station);
      const { device } = registry.add(scale('scale-ts-01', 'ts-01'));
      expect(device.siteId).toBe('ts-01');
      expect(new SqliteFleetRegistry(open()).get('scale-ts-01')).toEqual(device);
      expect(registry.list({ kind: 'scale' }).map((d) => d.id)).toEqual(['scale-ts-01']);
      expect(registry.get('box-1') ?? registry.add(box('box-1')).device).not.toHaveProperty('siteId');
      expect(fleetError(() => registry.add(scale('scale-x', 'ts-99'))).message).toContain('siteId: no site "ts-99"');
      expect(fleetError(() => registry.add(scale('scale-y'))).code).toBe('INVALID_DEVICE');
    });

    it('refuses to remove a site while a scale weighs there', () => {
      registry.addStation(station);
      registry.add(scale('scale-ts-01', 'ts-01'));
      expect(fleetError(() => registry.removeStation('ts-01')).code).toBe('SITE_IN_USE');
      registry.remove('scale-ts-01');
      expect(registry.removeStation('ts-01')).toBe(true);
    });

    it('finds a vehicle by its plate, with or without the middle dot', () => {
      registry.addStation(station);
      registry.addVehicle({ id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' });
      expect(registry.vehicleByPlate('苏DH0001')?.id).toBe('truck-01');
      expect(registry.vehicleByPlate('苏D·H0001')?.id).toBe('truck-01');
      expect(registry.vehicleByPlate('苏A·Z9999')).toBeUndefined();
    });
  });
});

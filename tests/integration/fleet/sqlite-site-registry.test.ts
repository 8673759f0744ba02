/** Transfer stations and vehicles in the SQLite fleet registry, and the demo's on provisioning. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewDevice } from '../../../shared/contracts/index.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { readCredentialsFile } from '../../../services/fleet/adapters/credentials-file.ts';
import { generateDemoFleet } from '../../../services/fleet/core/demo-fleet.ts';
import { FleetError } from '../../../services/fleet/core/registry.ts';
import { provisionDemoFleet } from '../../../services/fleet/provision-demo.ts';

const STATION = {
  id: 'ts-01',
  name: '浦南新村垃圾转运站',
  position: { lat: 31.768, lon: 119.99 },
  subdistrict: 'lanling' as const,
  address: '常州市天宁区浦前路12号',
  operator: '天宁区环境卫生管理所',
};
const VEHICLE = { id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' };
const NOW = () => new Date('2026-12-06T01:00:00Z');

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (error) {
    if (error instanceof FleetError) return error.code;
    throw error;
  }
  return undefined;
};

describe('SqliteFleetRegistry: transfer stations and vehicles', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db, { now: NOW });
  });

  afterEach(() => {
    if (db.open) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a station and a vehicle across reopening, the vehicle secret as a hash only', () => {
    const station = registry.addStation(STATION);
    expect(station).toMatchObject({ ...STATION, kind: 'transfer_station', categories: ['paper', 'plastic', 'metal', 'glass', 'textile'] });
    const { vehicle, secret } = registry.addVehicle({ ...VEHICLE, categories: ['paper', 'metal'] });
    db.close();

    db = openDatabase(path.join(dir, 'binpulse.db'));
    const reopened = new SqliteFleetRegistry(db);
    expect(reopened.getStation('ts-01')).toEqual(station);
    expect(reopened.listStations()).toEqual([station]);
    expect(reopened.getVehicle('truck-01')).toEqual(vehicle);
    expect(reopened.listVehicles({ depotId: 'ts-01' })).toEqual([vehicle]);
    expect(reopened.listVehicles({ depotId: 'ts-02' })).toEqual([]);
    expect(reopened.verifyVehicleSecret('truck-01', secret)).toBe(true);
    expect(reopened.verifyVehicleSecret('truck-01', `${secret}x`)).toBe(false);
    const stored = db.prepare('SELECT secret_hash FROM vehicles').pluck().get() as string;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
  });

  it('refuses duplicates, unknown depots and bad records with their codes', () => {
    registry.addStation(STATION);
    registry.addVehicle(VEHICLE);
    expect(codeOf(() => registry.addStation(STATION))).toBe('SITE_EXISTS');
    expect(codeOf(() => registry.addVehicle({ ...VEHICLE, plate: '苏D·H0002' }))).toBe('VEHICLE_EXISTS');
    expect(codeOf(() => registry.addVehicle({ ...VEHICLE, id: 'truck-02' }))).toBe('INVALID_VEHICLE'); // same plate
    expect(codeOf(() => registry.addVehicle({ ...VEHICLE, id: 'truck-03', plate: '苏D·H0003', depotId: 'ts-09' }))).toBe('INVALID_VEHICLE');
    expect(codeOf(() => registry.addVehicle({ ...VEHICLE, id: 'truck-04', plate: '苏D·H0004', capacityKg: -1 }))).toBe('INVALID_VEHICLE');
    expect(codeOf(() => registry.addStation({ ...STATION, id: 'ts-02', position: { lat: 31.7, lon: 181 } }))).toBe('INVALID_SITE');
    expect(registry.listVehicles().map((v) => v.id)).toEqual(['truck-01']);
  });

  it('does not give a vehicle the id of a device: both would log in to the broker with it', () => {
    const box = generateDemoFleet({ seed: 'x', boxes: 1, cameras: 0 })[0]! as NewDevice;
    registry.add(box);
    registry.addStation(STATION);
    expect(codeOf(() => registry.addVehicle({ ...VEHICLE, id: box.id }))).toBe('VEHICLE_EXISTS');
  });

  it('keeps a station while vehicles are based there, then removes it', () => {
    registry.addStation(STATION);
    registry.addVehicle(VEHICLE);
    expect(codeOf(() => registry.removeStation('ts-01'))).toBe('SITE_IN_USE');
    expect(registry.removeVehicle('truck-01')).toBe(true);
    expect(registry.removeVehicle('truck-01')).toBe(false);
    expect(registry.removeStation('ts-01')).toBe(true);
    expect(registry.removeStation('ts-01')).toBe(false);
    expect(registry.getStation('ts-01')).toBeUndefined();
  });

  it('rotates a vehicle secret: the old one stops working at once', () => {
    registry.addStation(STATION);
    const { secret } = registry.addVehicle(VEHICLE);
    const fresh = registry.rotateVehicleSecret('truck-01');
    expect(registry.verifyVehicleSecret('truck-01', secret)).toBe(false);
    expect(registry.verifyVehicleSecret('truck-01', fresh)).toBe(true);
    expect(codeOf(() => registry.rotateVehicleSecret('truck-99'))).toBe('UNKNOWN_VEHICLE');
    expect(registry.verifyVehicleSecret('truck-99', fresh)).toBe(false);
  });

  it('adds a set all or nothing', () => {
    expect(codeOf(() => registry.addSites([STATION], [VEHICLE, { ...VEHICLE, id: 'truck-02', depotId: 'ts-05' }]))).toBe('INVALID_VEHICLE');
    expect(registry.listStations()).toEqual([]);
    expect(registry.listVehicles()).toEqual([]);
  });
});

describe('demo fleet provisioning: stations and vehicles', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  let credentialsPath: string;
  const provision = () => provisionDemoFleet({ registry, credentialsPath, seed: 'test', boxes: 40, cameras: 2, now: NOW });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
    credentialsPath = path.join(dir, 'demo-credentials.json');
  });

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const vehicleSecretsVerify = () => {
    const file = readCredentialsFile(credentialsPath);
    expect(file.vehicles?.map((v) => v.vehicle)).toEqual(registry.listVehicles());
    for (const { vehicle, secret } of file.vehicles ?? []) expect(registry.verifyVehicleSecret(vehicle.id, secret)).toBe(true);
    return file;
  };

  it('adds the 10 stations and 12 vehicles with a new demo fleet, once, their secrets in the credentials file', () => {
    expect(provision()).toMatchObject({ outcome: 'created', sites: { stations: 10, vehicles: 12 } });
    const stations = new Set(registry.listStations().map((s) => s.id));
    expect(stations.size).toBe(10);
    expect(registry.listVehicles().every((v) => stations.has(v.depotId))).toBe(true);
    expect(vehicleSecretsVerify().vehicles).toHaveLength(12);
    const before = fs.readFileSync(credentialsPath, 'utf8');
    expect(provision()).toMatchObject({ outcome: 'unchanged', sites: { stations: 0, vehicles: 0 } });
    expect(registry.listVehicles()).toHaveLength(12);
    expect(fs.readFileSync(credentialsPath, 'utf8')).toBe(before);
  });

  it('gives a demo registry made before stations existed its stations and vehicles on the next start', () => {
    provision();
    const devices = readCredentialsFile(credentialsPath).devices;
    // As a database and file from before issue 13: no such tables, no vehicles in the file.
    db.exec('DROP TABLE vehicles; DROP TABLE sites;');
    fs.writeFileSync(credentialsPath, JSON.stringify({ generatedAt: '2026-11-26T08:00:00.000Z', devices }));
    registry = new SqliteFleetRegistry(db);
    expect(provision()).toMatchObject({ outcome: 'unchanged', sites: { stations: 10, vehicles: 12 } });
    const file = vehicleSecretsVerify();
    expect(file.devices).toEqual(devices);
  });

  it('gives a demo registry made before issue 14 its sorting centre and a weighbridge at every site, secrets and sites in the file', () => {
    provision();
    const before = readCredentialsFile(credentialsPath);
    const devices = before.devices.filter((d) => d.device.kind !== 'scale');
    // As a database from before issue 14: the devices table's CHECK knew only boxes and
    // cameras and had no site_id; no sorting centre; a file without scales and sites.
    db.exec(`DELETE FROM devices WHERE kind = 'scale'; DELETE FROM sites WHERE kind = 'sorting_centre';
      CREATE TABLE old_devices AS SELECT * FROM devices; DROP TABLE devices;
      CREATE TABLE devices (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('box', 'camera')), name TEXT NOT NULL, lat REAL NOT NULL,
        lon REAL NOT NULL, subdistrict TEXT NOT NULL, community TEXT NOT NULL, address TEXT NOT NULL, compartments TEXT NOT NULL,
        camera_point_type TEXT, installed_on TEXT NOT NULL, grid_cell TEXT NOT NULL, responsible_person TEXT NOT NULL,
        secret_hash TEXT NOT NULL, created_at TEXT NOT NULL, secret_rotated_at TEXT) STRICT;
      INSERT INTO devices SELECT id, kind, name, lat, lon, subdistrict, community, address, compartments, camera_point_type,
        installed_on, grid_cell, responsible_person, secret_hash, created_at, secret_rotated_at FROM old_devices;
      DROP TABLE old_devices;`);
    fs.writeFileSync(credentialsPath, JSON.stringify({ generatedAt: before.generatedAt, devices, vehicles: before.vehicles }));
    registry = new SqliteFleetRegistry(db);
    expect(registry.count()).toBe(42);

    expect(provision()).toMatchObject({ outcome: 'unchanged', created: 11, chain: { sortingCentres: 1, scales: 11 } });
    const file = readCredentialsFile(credentialsPath);
    expect(file.sites).toEqual(registry.listSites());
    expect(file.sites!.map((s) => s.kind).filter((k) => k === 'sorting_centre')).toHaveLength(1);
    const scales = file.devices.filter((d) => d.device.kind === 'scale');
    expect(scales.map((d) => d.device.siteId).sort()).toEqual(registry.listSites().map((s) => s.id).sort());
    for (const { device, secret } of file.devices) expect(registry.verifySecret(device.id, secret)).toBe(true);
    // The boxes' and cameras' secrets are the ones they had.
    expect(file.devices.filter((d) => d.device.kind !== 'scale')).toEqual(devices);
    // Once is enough.
    expect(provision()).toMatchObject({ outcome: 'unchanged', created: 0, chain: { sortingCentres: 0, scales: 0 } });
  });

  it('issues new vehicle secrets with the devices\' when the credentials file is lost', () => {
    provision();
    const lost = readCredentialsFile(credentialsPath);
    fs.rmSync(credentialsPath);
    expect(provision()).toMatchObject({ outcome: 'rotated', rotated: 53, sites: { stations: 0, vehicles: 0 } }); // 42 boxes and cameras, 11 scales
    const file = vehicleSecretsVerify();
    expect(registry.verifyVehicleSecret('truck-01', lost.vehicles![0]!.secret)).toBe(false);
    expect(file.vehicles).toHaveLength(12);
  });

  it('leaves a registry of real devices without demo stations', () => {
    const real = generateDemoFleet({ seed: 'real', boxes: 1, cameras: 0 })[0]!;
    registry.add({ ...real, id: 'box-real-1' });
    expect(provision()).toMatchObject({ outcome: 'not-demo', sites: { stations: 0, vehicles: 0 } });
    expect(registry.listStations()).toEqual([]);
  });
});

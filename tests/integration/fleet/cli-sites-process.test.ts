/** `fleet station …` and `fleet vehicle …` as an operator runs them: a separate process on the platform's database. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { fleetCliProcess } from '../../support/fleet-cli.ts';

const STATION = [
  'station', 'add', '--id', 'ts-01', '--name', '五角场垃圾转运站', '--lat', '31.768', '--lon', '120.014',
  '--subdistrict', 'chashan', '--address', '常州市天宁区五角场路61号', '--categories', 'paper,plastic,metal',
];
const VEHICLE = ['vehicle', 'add', '--id', 'truck-01', '--plate', '苏D·H0001', '--capacity-kg', '8000', '--depot', 'ts-01'];

describe('fleet CLI process: stations and vehicles', () => {
  const cli = fleetCliProcess();
  const fleet = (...args: string[]) => cli.run(args);

  it('adds a station, then a vehicle there whose printed secret the registry accepts', () => {
    const station = fleet(...STATION);
    expect(station.stderr).toBe('');
    expect(station.code).toBe(0);
    expect(station.stdout).toContain('paper, plastic, metal');

    const vehicle = fleet(...VEHICLE);
    expect(vehicle.code).toBe(0);
    expect(vehicle.stderr).toContain('shown only this once');
    const secret = /^secret: (\S+)$/m.exec(vehicle.stdout)?.[1];
    expect(secret).toBeDefined();

    const db = openDatabase(path.join(cli.dataDir, 'binpulse.db'));
    try {
      const registry = new SqliteFleetRegistry(db);
      expect(registry.getStation('ts-01')?.categories).toEqual(['paper', 'plastic', 'metal']);
      expect(registry.getVehicle('truck-01')).toEqual({ id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' });
      expect(registry.verifyVehicleSecret('truck-01', secret!)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('names the bad options with exit code 2, and refuses to remove a station in use with exit code 1', () => {
    const bad = fleet('vehicle', 'add', '--id', 'truck-02', '--plate', '苏D·H0002', '--capacity-kg', '0', '--depot', 'ts-09');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--capacity-kg: Too small');
    expect(bad.stderr).toContain('--depot: no transfer station "ts-09"');

    const inUse = fleet('station', 'remove', 'ts-01');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('depot of 1 vehicle');

    const listed = fleet('vehicle', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([{ id: 'truck-01', plate: '苏D·H0001', capacityKg: 8000, depotId: 'ts-01' }]);
  });
});

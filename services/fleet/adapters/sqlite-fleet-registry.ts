/**
 * The fleet registry in SQLite (table `devices`). Nothing is cached in memory: the fleet CLI
 * may add a device or rotate a secret from another process while the platform runs, and a
 * primary-key lookup through a prepared statement costs microseconds anyway.
 */
import type { Statement } from 'better-sqlite3';
import type { CompartmentSpec, Device, DeviceKind, NewDevice } from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../platform/adapters/sqlite.ts';
import { checkNewDevice, describeIssues } from '../core/device-validation.ts';
import {
  FleetError,
  type DeviceFilter,
  type FleetRegistry,
  type ProvisionedDevice,
} from '../core/registry.ts';
import { generateSecret, hashSecret, secretMatches } from '../core/secrets.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('box', 'camera')),
  name               TEXT NOT NULL,
  lat                REAL NOT NULL,
  lon                REAL NOT NULL,
  subdistrict        TEXT NOT NULL,
  community          TEXT NOT NULL,
  address            TEXT NOT NULL,
  compartments       TEXT NOT NULL, -- JSON array of CompartmentSpec: read whole, never queried into
  camera_point_type  TEXT,
  installed_on       TEXT NOT NULL,
  grid_cell          TEXT NOT NULL,
  responsible_person TEXT NOT NULL,
  secret_hash        TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  secret_rotated_at  TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS devices_by_kind_subdistrict ON devices (kind, subdistrict);
`;

const DEVICE_COLUMNS = `id, kind, name, lat, lon, subdistrict, community, address, compartments,
  camera_point_type, installed_on, grid_cell, responsible_person`;

interface DeviceRow {
  id: string;
  kind: Device['kind'];
  name: string;
  lat: number;
  lon: number;
  subdistrict: Device['subdistrict'];
  community: string;
  address: string;
  compartments: string;
  camera_point_type: Device['cameraPointType'];
  installed_on: string;
  grid_cell: string;
  responsible_person: string;
}

/** Compared against when a device is unknown, so an unknown id costs about the same as a wrong secret. */
const NO_SUCH_DEVICE_HASH = hashSecret('no such device');

export interface SqliteFleetRegistryOptions {
  /** Stamps created_at and secret_rotated_at. */
  now?: () => Date;
}

export class SqliteFleetRegistry implements FleetRegistry {
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #kindOf: Statement<[string], { kind: DeviceKind }>;
  readonly #secretHash: Statement<[string], { secret_hash: string }>;
  readonly #get: Statement<[string], DeviceRow>;
  readonly #count: Statement<[], { n: number }>;
  readonly #insert: Statement<Record<string, unknown>>;
  readonly #rotate: Statement<[string, string, string]>;
  readonly #remove: Statement<[string]>;
  readonly #listings = new Map<string, Statement<unknown[], DeviceRow>>();

  constructor(db: SqliteDatabase, options: SqliteFleetRegistryOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    db.exec(SCHEMA);
    this.#kindOf = db.prepare('SELECT kind FROM devices WHERE id = ?');
    this.#secretHash = db.prepare('SELECT secret_hash FROM devices WHERE id = ?');
    this.#get = db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`);
    this.#count = db.prepare('SELECT count(*) AS n FROM devices');
    this.#insert = db.prepare(`INSERT INTO devices (${DEVICE_COLUMNS}, secret_hash, created_at)
      VALUES (@id, @kind, @name, @lat, @lon, @subdistrict, @community, @address, @compartments,
        @cameraPointType, @installedOn, @gridCell, @responsiblePerson, @secretHash, @createdAt)`);
    this.#rotate = db.prepare('UPDATE devices SET secret_hash = ?, secret_rotated_at = ? WHERE id = ?');
    this.#remove = db.prepare('DELETE FROM devices WHERE id = ?');
  }

  kindOf(deviceId: string): DeviceKind | undefined {
    return this.#kindOf.get(deviceId)?.kind;
  }

  verifySecret(deviceId: string, secret: string): boolean {
    const row = this.#secretHash.get(deviceId);
    const matches = secretMatches(secret, row?.secret_hash ?? NO_SUCH_DEVICE_HASH);
    return row !== undefined && matches;
  }

  get(deviceId: string): Device | undefined {
    const row = this.#get.get(deviceId);
    return row && toDevice(row);
  }

  list(filter: DeviceFilter = {}): Device[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    if (filter.subdistrict !== undefined) {
      where.push('subdistrict = ?');
      params.push(filter.subdistrict);
    }
    const sql = `SELECT ${DEVICE_COLUMNS} FROM devices${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
    let statement = this.#listings.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[], DeviceRow>(sql);
      this.#listings.set(sql, statement);
    }
    return statement.all(...params).map(toDevice);
  }

  count(): number {
    return this.#count.get()!.n;
  }

  add(device: NewDevice): ProvisionedDevice {
    return this.#insertOne(device);
  }

  addMany(devices: NewDevice[]): ProvisionedDevice[] {
    // One transaction: a bad record leaves the registry as it was, and 659 inserts cost one fsync.
    return this.#db.transaction((all: NewDevice[]) =>
      all.map((device, i) => {
        try {
          return this.#insertOne(device);
        } catch (error) {
          if (error instanceof FleetError) throw new FleetError(error.code, `device #${i + 1}: ${error.message}`);
          throw error;
        }
      }),
    )(devices);
  }

  rotateSecret(deviceId: string): string {
    const secret = generateSecret();
    const result = this.#rotate.run(hashSecret(secret), this.#now().toISOString(), deviceId);
    if (result.changes === 0) throw new FleetError('UNKNOWN_DEVICE', `no device "${deviceId}" in the registry`);
    return secret;
  }

  remove(deviceId: string): boolean {
    return this.#remove.run(deviceId).changes > 0;
  }

  #insertOne(input: NewDevice): ProvisionedDevice {
    const check = checkNewDevice(input);
    if (!check.ok) throw new FleetError('INVALID_DEVICE', `invalid device: ${describeIssues(check.issues)}`);
    const device = check.device;
    const secret = generateSecret();
    try {
      this.#insert.run({
        ...device,
        compartments: JSON.stringify(device.compartments),
        secretHash: hashSecret(secret),
        createdAt: this.#now().toISOString(),
      });
    } catch (error) {
      // The primary key decides, not a prior SELECT: another process may add the same id in between.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new FleetError('DEVICE_EXISTS', `device "${device.id}" already exists`);
      }
      throw error;
    }
    return { device, secret };
  }
}

function toDevice(row: DeviceRow): Device {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    lat: row.lat,
    lon: row.lon,
    subdistrict: row.subdistrict,
    community: row.community,
    address: row.address,
    compartments: JSON.parse(row.compartments) as CompartmentSpec[],
    cameraPointType: row.camera_point_type,
    installedOn: row.installed_on,
    gridCell: row.grid_cell,
    responsiblePerson: row.responsible_person,
  };
}

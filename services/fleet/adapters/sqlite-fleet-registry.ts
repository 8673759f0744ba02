/**
 * The fleet registry in SQLite (table `devices`).
 *
 * Every accepted message looks its device up several times (publish authorisation, the live
 * pipeline, the store writer, the alert rules): the ingest benchmark's profile put those
 * lookups at ~18% of the platform's busy CPU. So device records are cached in memory, but
 * only briefly stale: the fleet CLI may add, change or remove a device from another process
 * while the platform runs, and SQLite's `PRAGMA data_version` changes whenever another
 * connection commits. Checking it costs about as much as the lookup itself, so it is checked
 * at most every `freshnessMs` (100 ms): another process's change is seen within that. This
 * connection's own writes drop the cache at once. Secrets are never cached: verifySecret always
 * reads the row, so a rotated secret stops working at once.
 *
 * Transfer stations and vehicles (SiteRegistry) live in the same database; their tables are
 * created here with the devices' and their calls handed to SqliteSiteRegistry.
 */
import type { Statement } from 'better-sqlite3';
import type {
  CompartmentSpec,
  Device,
  DeviceKind,
  NewDevice,
  NewSite,
  NewTransferStation,
  Site,
  TransferStation,
  Vehicle,
} from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import { checkNewDevice, describeIssues } from '../core/device-validation.ts';
import {
  FleetError,
  type CertificateStatus,
  type DeviceCertificates,
  type DeviceFilter,
  type FleetRegistry,
  type ProvisionedDevice,
  type ProvisionedVehicle,
  type SiteRegistry,
} from '../core/registry.ts';
import { generateSecret, hashSecret, secretMatches } from '../core/secrets.ts';
import { SITES_SCHEMA, SqliteSiteRegistry } from './sqlite-site-registry.ts';

const devicesTable = (name: string) => `
CREATE TABLE IF NOT EXISTS ${name} (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('box', 'camera', 'scale')),
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
  secret_rotated_at  TEXT,
  site_id            TEXT, -- a scale's site (issue 14); NULL for boxes and cameras
  cert_fingerprint   TEXT, -- SHA-256 of the device's client certificate (issue 15); NULL: none
  cert_revoked_at    TEXT  -- set by \`fleet cert revoke\`; cleared when a new one is issued
) STRICT;`;
const DEVICES_INDEX = 'CREATE INDEX IF NOT EXISTS devices_by_kind_subdistrict ON devices (kind, subdistrict);';
const SCHEMA = `${devicesTable('devices')}\n${DEVICES_INDEX}`;

const DEVICE_COLUMNS = `id, kind, name, lat, lon, subdistrict, community, address, compartments,
  camera_point_type, installed_on, grid_cell, responsible_person, site_id`;
const COLUMNS_BEFORE_SCALES = `id, kind, name, lat, lon, subdistrict, community, address, compartments,
  camera_point_type, installed_on, grid_cell, responsible_person, secret_hash, created_at, secret_rotated_at`;

/**
 * A registry from before issue 14: its CHECK refuses kind 'scale' and it has no site_id. SQLite
 * cannot widen a CHECK in place, so the table is rebuilt once (a few hundred rows), in one transaction.
 */
function migrateForScales(db: SqliteDatabase): void {
  const columns = db.prepare('PRAGMA table_info(devices)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'site_id')) return;
  db.transaction(() => {
    db.exec(devicesTable('devices_v14'));
    db.exec(`INSERT INTO devices_v14 (${COLUMNS_BEFORE_SCALES}) SELECT ${COLUMNS_BEFORE_SCALES} FROM devices`);
    db.exec('DROP TABLE devices');
    db.exec('ALTER TABLE devices_v14 RENAME TO devices');
    db.exec(DEVICES_INDEX);
  })();
}

/** A registry from before issue 15 gains the client certificate columns (NULL: no certificate). */
/** A counter the registry's own writes move, from whichever process: the change mark. */
const REGISTRY_CHANGES_SCHEMA = `
CREATE TABLE IF NOT EXISTS registry_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT OR IGNORE INTO registry_changes (id, n) VALUES (1, 0);
${['devices', 'vehicles']
  .flatMap((table) =>
    ['INSERT', 'UPDATE', 'DELETE'].map(
      (op) => `CREATE TRIGGER IF NOT EXISTS ${table}_${op.toLowerCase()}_marks_change AFTER ${op} ON ${table}
BEGIN UPDATE registry_changes SET n = n + 1 WHERE id = 1; END;`,
    ),
  )
  .join('\n')}
`;

function migrateForCertificates(db: SqliteDatabase): void {
  const columns = db.prepare('PRAGMA table_info(devices)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'cert_fingerprint')) return;
  db.transaction(() => {
    db.exec('ALTER TABLE devices ADD COLUMN cert_fingerprint TEXT');
    db.exec('ALTER TABLE devices ADD COLUMN cert_revoked_at TEXT');
  })();
}

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
  site_id: string | null;
}

/** Compared against when a device is unknown, so an unknown id costs about the same as a wrong secret. */
const NO_SUCH_DEVICE_HASH = hashSecret('no such device');

export interface SqliteFleetRegistryOptions {
  /** Stamps created_at and secret_rotated_at. */
  now?: () => Date;
  /** How long a cached device record may lag a change made by another process. Default 100 ms. */
  freshnessMs?: number;
  /** Monotonic ms for freshnessMs; injected by tests. */
  monotonicNow?: () => number;
}

const DEFAULT_FRESHNESS_MS = 100;

export class SqliteFleetRegistry implements FleetRegistry, SiteRegistry, DeviceCertificates {
  readonly #db: SqliteDatabase;
  readonly #sites: SqliteSiteRegistry;
  readonly #now: () => Date;
  readonly #secretHash: Statement<[string], { secret_hash: string }>;
  readonly #get: Statement<[string], DeviceRow>;
  readonly #count: Statement<[], { n: number }>;
  readonly #insert: Statement<Record<string, unknown>>;
  readonly #rotate: Statement<[string, string, string]>;
  readonly #remove: Statement<[string]>;
  readonly #listings = new Map<string, Statement<unknown[], DeviceRow>>();
  readonly #dataVersion: Statement<[], number>;
  readonly #changeMark: Statement<[], number>;
  readonly #certificate: Statement<[string], { cert_fingerprint: string | null; cert_revoked_at: string | null }>;
  readonly #recordCertificate: Statement<[string, string]>;
  readonly #revokeCertificate: Statement<[string, string]>;
  #cachedVersion = -1;
  #checkedAt = Number.NEGATIVE_INFINITY;
  readonly #cache = new Map<string, Device>();
  readonly #freshnessMs: number;
  readonly #monotonicNow: () => number;

  constructor(db: SqliteDatabase, options: SqliteFleetRegistryOptions = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#freshnessMs = options.freshnessMs ?? DEFAULT_FRESHNESS_MS;
    this.#monotonicNow = options.monotonicNow ?? (() => performance.now());
    db.exec(SCHEMA);
    migrateForScales(db);
    migrateForCertificates(db);
    // Created where the devices' table is, so a registry made before issue 13 gains them on start.
    db.exec(SITES_SCHEMA);
    this.#sites = new SqliteSiteRegistry(db, this.#now);
    this.#secretHash = db.prepare('SELECT secret_hash FROM devices WHERE id = ?');
    this.#get = db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`);
    this.#count = db.prepare('SELECT count(*) AS n FROM devices');
    this.#insert = db.prepare(`INSERT INTO devices (${DEVICE_COLUMNS}, secret_hash, created_at)
      VALUES (@id, @kind, @name, @lat, @lon, @subdistrict, @community, @address, @compartments,
        @cameraPointType, @installedOn, @gridCell, @responsiblePerson, @siteId, @secretHash, @createdAt)`);
    this.#rotate = db.prepare('UPDATE devices SET secret_hash = ?, secret_rotated_at = ? WHERE id = ?');
    this.#remove = db.prepare('DELETE FROM devices WHERE id = ?');
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    db.exec(REGISTRY_CHANGES_SCHEMA);
    this.#changeMark = db.prepare<[], number>('SELECT n FROM registry_changes WHERE id = 1').pluck();
    this.#certificate = db.prepare('SELECT cert_fingerprint, cert_revoked_at FROM devices WHERE id = ?');
    this.#recordCertificate = db.prepare('UPDATE devices SET cert_fingerprint = ?, cert_revoked_at = NULL WHERE id = ?');
    this.#revokeCertificate = db.prepare(
      'UPDATE devices SET cert_revoked_at = ? WHERE id = ? AND cert_fingerprint IS NOT NULL AND cert_revoked_at IS NULL',
    );
  }

  /**
   * Differs after any change to the devices or vehicles, by this connection or another process
   * (session-recheck.ts). A counter kept by triggers, not data_version: the database also holds
   * the platform's busy tables, whose writes would re-check every live session every second.
   */
  changeMark(): number {
    return this.#changeMark.get()!;
  }

  recordCertificate(deviceId: string, fingerprint: string): void {
    if (this.#recordCertificate.run(fingerprint, deviceId).changes === 0) {
      throw new FleetError('UNKNOWN_DEVICE', `no device "${deviceId}" in the registry`);
    }
  }

  revokeCertificate(deviceId: string): boolean {
    return this.#revokeCertificate.run(this.#now().toISOString(), deviceId).changes > 0;
  }

  /** Never cached, like secrets: a revocation by the CLI counts at the next CONNECT. */
  certificateStatus(deviceId: string, fingerprint: string): CertificateStatus {
    const row = this.#certificate.get(deviceId);
    if (row?.cert_fingerprint !== fingerprint) return 'unknown';
    return row.cert_revoked_at === null ? 'current' : 'revoked';
  }

  kindOf(deviceId: string): DeviceKind | undefined {
    return this.get(deviceId)?.kind;
  }

  verifySecret(deviceId: string, secret: string): boolean {
    const row = this.#secretHash.get(deviceId);
    const matches = secretMatches(secret, row?.secret_hash ?? NO_SUCH_DEVICE_HASH);
    return row !== undefined && matches;
  }

  get(deviceId: string): Device | undefined {
    this.#dropCacheIfChangedElsewhere();
    const cached = this.#cache.get(deviceId);
    if (cached !== undefined) return cached;
    const row = this.#get.get(deviceId);
    if (row === undefined) return undefined; // Unknown ids are not remembered: they could be anything.
    const device = freezeDevice(toDevice(row));
    this.#cache.set(deviceId, device);
    return device;
  }

  #dropCacheIfChangedElsewhere(): void {
    const now = this.#monotonicNow();
    if (now - this.#checkedAt < this.#freshnessMs) return;
    this.#checkedAt = now;
    const version = this.#dataVersion.get()!;
    if (version === this.#cachedVersion) return;
    this.#cache.clear();
    this.#cachedVersion = version;
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
    this.#cache.clear();
    return this.#insertOne(device);
  }

  addMany(devices: NewDevice[]): ProvisionedDevice[] {
    this.#cache.clear();
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
    this.#cache.delete(deviceId);
    return this.#remove.run(deviceId).changes > 0;
  }

  addStation(station: NewTransferStation): TransferStation {
    return this.#sites.addStation(station);
  }

  addSite(site: NewSite): Site {
    return this.#sites.addSite(site);
  }

  getSite(siteId: string): Site | undefined {
    return this.#sites.getSite(siteId);
  }

  listSites(): Site[] {
    return this.#sites.listSites();
  }

  vehicleByPlate(plate: string): Vehicle | undefined {
    return this.#sites.vehicleByPlate(plate);
  }

  getStation(stationId: string): TransferStation | undefined {
    return this.#sites.getStation(stationId);
  }

  listStations(): TransferStation[] {
    return this.#sites.listStations();
  }

  removeStation(stationId: string): boolean {
    return this.#sites.removeStation(stationId);
  }

  addVehicle(vehicle: Vehicle): ProvisionedVehicle {
    return this.#sites.addVehicle(vehicle);
  }

  addSites(stations: readonly NewSite[], vehicles: readonly Vehicle[]): ProvisionedVehicle[] {
    return this.#sites.addSites(stations, vehicles);
  }

  getVehicle(vehicleId: string): Vehicle | undefined {
    return this.#sites.getVehicle(vehicleId);
  }

  listVehicles(filter?: { depotId?: string }): Vehicle[] {
    return this.#sites.listVehicles(filter);
  }

  removeVehicle(vehicleId: string): boolean {
    return this.#sites.removeVehicle(vehicleId);
  }

  rotateVehicleSecret(vehicleId: string): string {
    return this.#sites.rotateVehicleSecret(vehicleId);
  }

  verifyVehicleSecret(vehicleId: string, secret: string): boolean {
    return this.#sites.verifyVehicleSecret(vehicleId, secret);
  }

  #insertOne(input: NewDevice): ProvisionedDevice {
    const check = checkNewDevice(input, (id) => this.#sites.getSite(id));
    if (!check.ok) throw new FleetError('INVALID_DEVICE', `invalid device: ${describeIssues(check.issues)}`);
    const device = check.device;
    const secret = generateSecret();
    try {
      this.#insert.run({
        ...device,
        compartments: JSON.stringify(device.compartments),
        siteId: device.siteId ?? null,
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

/** Cached records are shared by every caller: frozen, so none can change another's view. */
function freezeDevice(device: Device): Device {
  for (const compartment of device.compartments) Object.freeze(compartment);
  Object.freeze(device.compartments);
  return Object.freeze(device);
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
    ...(row.site_id === null ? {} : { siteId: row.site_id }),
  };
}

/**
 * Transfer stations and vehicles in SQLite (tables `sites` and `vehicles`), beside the devices
 * in the same database: SqliteFleetRegistry creates these tables with its own and hands the
 * SiteRegistry calls here. Read rarely (a plan, the CLI), so nothing is cached.
 *
 * `sites` keeps one row per site of any kind: the fields every site has as columns, the
 * kind's own (a transfer station's categories) as JSON in `details`, so issue 14's sorting
 * centres and weighbridges need no new table. No CHECK on kind for the same reason: SQLite
 * cannot widen a CHECK without rebuilding the table; the contracts validate it.
 */
import type { Statement } from 'better-sqlite3';
import {
  normalizePlate,
  type NewSite,
  type NewTransferStation,
  type Site,
  type TransferStation,
  type Vehicle,
  type WasteCategory,
} from '../../../shared/contracts/index.ts';
import type { SqliteDatabase } from '../../storage/sqlite.ts';
import { FleetError, type ProvisionedVehicle, type SiteRegistry } from '../core/registry.ts';
import { generateSecret, hashSecret, secretMatches } from '../core/secrets.ts';
import { checkNewSite, checkNewVehicle, describeFieldIssues } from '../core/site-validation.ts';

export const SITES_SCHEMA = `
CREATE TABLE IF NOT EXISTS sites (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  lat         REAL NOT NULL,
  lon         REAL NOT NULL,
  subdistrict TEXT NOT NULL,
  address     TEXT NOT NULL,
  operator    TEXT,
  details     TEXT NOT NULL, -- JSON: the kind's own fields, e.g. {"categories": [...]}
  created_at  TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS vehicles (
  id                TEXT PRIMARY KEY,
  plate             TEXT NOT NULL UNIQUE,
  capacity_kg       REAL NOT NULL,
  depot_id          TEXT NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
  categories        TEXT, -- JSON array, NULL: whatever the depot takes
  secret_hash       TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  secret_rotated_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS vehicles_by_depot ON vehicles (depot_id);
`;

interface SiteRow {
  id: string;
  kind: string;
  name: string;
  lat: number;
  lon: number;
  subdistrict: TransferStation['subdistrict'];
  address: string;
  operator: string | null;
  details: string;
}

interface VehicleRow {
  id: string;
  plate: string;
  capacity_kg: number;
  depot_id: string;
  categories: string | null;
}

const SITE_COLUMNS = 'id, kind, name, lat, lon, subdistrict, address, operator, details';
const VEHICLE_COLUMNS = 'id, plate, capacity_kg, depot_id, categories';
const NO_SUCH_VEHICLE_HASH = hashSecret('no such vehicle');

export class SqliteSiteRegistry implements SiteRegistry {
  readonly #db: SqliteDatabase;
  readonly #now: () => Date;
  readonly #insertSite: Statement<Record<string, unknown>>;
  readonly #getSite: Statement<[string], SiteRow>;
  readonly #listSites: Statement<[string], SiteRow>;
  readonly #listAllSites: Statement<[], SiteRow>;
  readonly #removeSite: Statement<[string]>;
  readonly #vehiclesAt: Statement<[string], { n: number }>;
  readonly #scalesAt: Statement<[string], { n: number }>;
  readonly #insertVehicle: Statement<Record<string, unknown>>;
  readonly #getVehicle: Statement<[string], VehicleRow>;
  readonly #listVehicles: Statement<[], VehicleRow>;
  readonly #listVehiclesAt: Statement<[string], VehicleRow>;
  readonly #removeVehicle: Statement<[string]>;
  readonly #rotate: Statement<[string, string, string]>;
  readonly #secretHash: Statement<[string], { secret_hash: string }>;
  readonly #plateOwner: Statement<[string], { id: string }>;
  readonly #deviceExists: Statement<[string], { id: string }>;

  /** Expects SITES_SCHEMA (and the devices table) to exist: SqliteFleetRegistry creates them. */
  constructor(db: SqliteDatabase, now: () => Date) {
    this.#db = db;
    this.#now = now;
    this.#insertSite = db.prepare(`INSERT INTO sites (${SITE_COLUMNS}, created_at)
      VALUES (@id, @kind, @name, @lat, @lon, @subdistrict, @address, @operator, @details, @createdAt)`);
    this.#getSite = db.prepare(`SELECT ${SITE_COLUMNS} FROM sites WHERE id = ?`);
    this.#listSites = db.prepare(`SELECT ${SITE_COLUMNS} FROM sites WHERE kind = ? ORDER BY id`);
    this.#listAllSites = db.prepare(`SELECT ${SITE_COLUMNS} FROM sites ORDER BY id`);
    this.#removeSite = db.prepare('DELETE FROM sites WHERE id = ?');
    this.#scalesAt = db.prepare('SELECT count(*) AS n FROM devices WHERE site_id = ?');
    this.#vehiclesAt = db.prepare('SELECT count(*) AS n FROM vehicles WHERE depot_id = ?');
    this.#insertVehicle = db.prepare(`INSERT INTO vehicles (${VEHICLE_COLUMNS}, secret_hash, created_at)
      VALUES (@id, @plate, @capacityKg, @depotId, @categories, @secretHash, @createdAt)`);
    this.#getVehicle = db.prepare(`SELECT ${VEHICLE_COLUMNS} FROM vehicles WHERE id = ?`);
    this.#listVehicles = db.prepare(`SELECT ${VEHICLE_COLUMNS} FROM vehicles ORDER BY id`);
    this.#listVehiclesAt = db.prepare(`SELECT ${VEHICLE_COLUMNS} FROM vehicles WHERE depot_id = ? ORDER BY id`);
    this.#removeVehicle = db.prepare('DELETE FROM vehicles WHERE id = ?');
    this.#rotate = db.prepare('UPDATE vehicles SET secret_hash = ?, secret_rotated_at = ? WHERE id = ?');
    this.#secretHash = db.prepare('SELECT secret_hash FROM vehicles WHERE id = ?');
    this.#plateOwner = db.prepare('SELECT id FROM vehicles WHERE plate = ?');
    this.#deviceExists = db.prepare('SELECT id FROM devices WHERE id = ?');
  }

  addStation(input: NewTransferStation): TransferStation {
    return this.addSite({ ...input, kind: 'transfer_station' }) as TransferStation;
  }

  addSite(input: NewSite): Site {
    const check = checkNewSite(input);
    const what = input.kind === 'sorting_centre' ? 'sorting centre' : 'transfer station';
    if (!check.ok) throw new FleetError('INVALID_SITE', `invalid ${what}: ${describeFieldIssues(check.issues)}`);
    const station = check.value;
    try {
      this.#insertSite.run({
        id: station.id,
        kind: station.kind,
        name: station.name,
        lat: station.position.lat,
        lon: station.position.lon,
        subdistrict: station.subdistrict,
        address: station.address,
        operator: station.operator ?? null,
        details: JSON.stringify({ categories: station.categories }),
        createdAt: this.#now().toISOString(),
      });
    } catch (error) {
      if (isConstraint(error, 'PRIMARYKEY')) throw new FleetError('SITE_EXISTS', `site "${station.id}" already exists`);
      throw error;
    }
    return station;
  }

  getStation(stationId: string): TransferStation | undefined {
    const row = this.#getSite.get(stationId);
    return row?.kind === 'transfer_station' ? toStation(row) : undefined;
  }

  listStations(): TransferStation[] {
    return this.#listSites.all('transfer_station').map(toStation);
  }

  getSite(siteId: string): Site | undefined {
    const row = this.#getSite.get(siteId);
    return row === undefined ? undefined : toSite(row);
  }

  listSites(): Site[] {
    return this.#listAllSites.all().map(toSite);
  }

  /** A scan: tens of vehicles, and a weigh ticket every few minutes at most. */
  vehicleByPlate(plate: string): Vehicle | undefined {
    const wanted = normalizePlate(plate);
    const row = this.#listVehicles.all().find((v) => normalizePlate(v.plate) === wanted);
    return row === undefined ? undefined : toVehicle(row);
  }

  removeStation(stationId: string): boolean {
    const scales = this.#scalesAt.get(stationId)!.n;
    if (scales > 0) throw new FleetError('SITE_IN_USE', `site "${stationId}" has ${scales} scale(s): remove them first`);
    const based = this.#vehiclesAt.get(stationId)!.n;
    if (based > 0) {
      throw new FleetError('SITE_IN_USE', `transfer station "${stationId}" is the depot of ${based} vehicle(s): move or remove them first`);
    }
    return this.#removeSite.run(stationId).changes > 0;
  }

  addVehicle(input: Vehicle): ProvisionedVehicle {
    const check = checkNewVehicle(input, (id) => this.getStation(id));
    if (!check.ok) throw new FleetError('INVALID_VEHICLE', `invalid vehicle: ${describeFieldIssues(check.issues)}`);
    const vehicle = check.value;
    // Vehicles and devices share the broker's client ids: one id must name one of them.
    if (this.#deviceExists.get(vehicle.id) !== undefined) {
      throw new FleetError('VEHICLE_EXISTS', `"${vehicle.id}" is already a device id`);
    }
    const owner = this.#plateOwner.get(vehicle.plate);
    if (owner !== undefined && owner.id !== vehicle.id) {
      throw new FleetError('INVALID_VEHICLE', `invalid vehicle: plate: ${vehicle.plate} is already vehicle "${owner.id}"`);
    }
    const secret = generateSecret();
    try {
      this.#insertVehicle.run({
        id: vehicle.id,
        plate: vehicle.plate,
        capacityKg: vehicle.capacityKg,
        depotId: vehicle.depotId,
        categories: vehicle.categories === undefined ? null : JSON.stringify(vehicle.categories),
        secretHash: hashSecret(secret),
        createdAt: this.#now().toISOString(),
      });
    } catch (error) {
      if (isConstraint(error, 'PRIMARYKEY')) throw new FleetError('VEHICLE_EXISTS', `vehicle "${vehicle.id}" already exists`);
      throw error;
    }
    return { vehicle, secret };
  }

  addSites(stations: readonly NewSite[], vehicles: readonly Vehicle[]): ProvisionedVehicle[] {
    return this.#db.transaction(() => {
      for (const station of stations) this.addSite(station);
      return vehicles.map((vehicle) => this.addVehicle(vehicle));
    })();
  }

  getVehicle(vehicleId: string): Vehicle | undefined {
    const row = this.#getVehicle.get(vehicleId);
    return row === undefined ? undefined : toVehicle(row);
  }

  listVehicles(filter: { depotId?: string } = {}): Vehicle[] {
    const rows = filter.depotId === undefined ? this.#listVehicles.all() : this.#listVehiclesAt.all(filter.depotId);
    return rows.map(toVehicle);
  }

  removeVehicle(vehicleId: string): boolean {
    return this.#removeVehicle.run(vehicleId).changes > 0;
  }

  rotateVehicleSecret(vehicleId: string): string {
    const secret = generateSecret();
    const result = this.#rotate.run(hashSecret(secret), this.#now().toISOString(), vehicleId);
    if (result.changes === 0) throw new FleetError('UNKNOWN_VEHICLE', `no vehicle "${vehicleId}" in the registry`);
    return secret;
  }

  verifyVehicleSecret(vehicleId: string, secret: string): boolean {
    const row = this.#secretHash.get(vehicleId);
    const matches = secretMatches(secret, row?.secret_hash ?? NO_SUCH_VEHICLE_HASH);
    return row !== undefined && matches;
  }
}

function isConstraint(error: unknown, kind: 'PRIMARYKEY' | 'UNIQUE'): boolean {
  return (error as { code?: string }).code === `SQLITE_CONSTRAINT_${kind}`;
}

function toStation(row: SiteRow): TransferStation {
  return { ...toSite(row), kind: 'transfer_station' };
}

/** Unknown kinds never get in (addSite validates), so anything not a sorting centre is a station. */
function toSite(row: SiteRow): Site {
  const details = JSON.parse(row.details) as { categories: WasteCategory[] };
  return {
    id: row.id,
    kind: row.kind === 'sorting_centre' ? 'sorting_centre' : 'transfer_station',
    name: row.name,
    position: { lat: row.lat, lon: row.lon },
    subdistrict: row.subdistrict,
    address: row.address,
    ...(row.operator === null ? {} : { operator: row.operator }),
    categories: details.categories,
  };
}

function toVehicle(row: VehicleRow): Vehicle {
  return {
    id: row.id,
    plate: row.plate,
    capacityKg: row.capacity_kg,
    depotId: row.depot_id,
    ...(row.categories === null ? {} : { categories: JSON.parse(row.categories) as WasteCategory[] }),
  };
}

/** The fleet registry port: what the broker, the ingest pipeline, the API and the CLI need of it. */
import type {
  Device,
  DeviceKind,
  NewDevice,
  NewSite,
  NewTransferStation,
  Site,
  Subdistrict,
  TransferStation,
  Vehicle,
} from '../../../shared/contracts/index.ts';

export interface ProvisionedDevice {
  device: Device;
  /** Shown once: only a hash of it is stored. */
  secret: string;
}

export interface DeviceFilter {
  kind?: DeviceKind;
  subdistrict?: Subdistrict;
}

/** What the broker needs to authenticate a device: fast, since it runs on every connect. */
export interface DeviceAuthenticator {
  /** The device's kind, or undefined when no such device is provisioned. */
  kindOf(deviceId: string): DeviceKind | undefined;
  /** Constant-time check of a device's secret. */
  verifySecret(deviceId: string, secret: string): boolean;
  /**
   * Whether a client certificate (its SHA-256 fingerprint, see core/certificates.ts) is this
   * device's current one; absent: the registry keeps no certificates (no mutual TLS logins).
   */
  certificateStatus?(deviceId: string, fingerprint: string): CertificateStatus;
}

/** `current`: the one recorded by `fleet cert issue` and not revoked; `unknown`: another or none. */
export type CertificateStatus = 'current' | 'revoked' | 'unknown';

export interface FleetRegistry extends DeviceAuthenticator {
  get(deviceId: string): Device | undefined;
  list(filter?: DeviceFilter): Device[];
  count(): number;
  /** Throws FleetError('DEVICE_EXISTS' | 'INVALID_DEVICE') */
  add(device: NewDevice): ProvisionedDevice;
  /** Adds many in one transaction (the demo fleet). */
  addMany(devices: NewDevice[]): ProvisionedDevice[];
  /** New secret; the old one stops working at once. Throws FleetError('UNKNOWN_DEVICE'). */
  rotateSecret(deviceId: string): string;
  remove(deviceId: string): boolean;
}

/** Device client certificates (issue 15, mutual TLS): what `fleet cert` writes. */
export interface DeviceCertificates {
  /** Records a newly issued client certificate as the device's only one. Throws FleetError('UNKNOWN_DEVICE'). */
  recordCertificate(deviceId: string, fingerprint: string): void;
  /** Revokes the device's certificate; false when it has none (or no such device). */
  revokeCertificate(deviceId: string): boolean;
  certificateStatus(deviceId: string, fingerprint: string): CertificateStatus;
}

export interface ProvisionedVehicle {
  vehicle: Vehicle;
  /** Its MQTT password (a vehicle reads its own plan like a device): shown once, only a hash is stored. */
  secret: string;
}

/**
 * Transfer stations and collection vehicles (issue 13): the planner's depots and fleet.
 * Sites are kept by kind so issue 14's sorting centres and weighbridges join the same table.
 */
export interface SiteRegistry {
  /** Throws FleetError('SITE_EXISTS' | 'INVALID_SITE'). */
  addStation(station: NewTransferStation): TransferStation;
  /** A site of either kind (issue 14: sorting centres). Throws FleetError('SITE_EXISTS' | 'INVALID_SITE'). */
  addSite(site: NewSite): Site;
  /** A site of any kind. */
  getSite(siteId: string): Site | undefined;
  /** Every site, transfer stations and sorting centres, by id. */
  listSites(): Site[];
  /** The vehicle with this plate, compared as normalizePlate does (a weighbridge may key it without the dot). */
  vehicleByPlate(plate: string): Vehicle | undefined;
  getStation(stationId: string): TransferStation | undefined;
  listStations(): TransferStation[];
  /** Throws FleetError('SITE_IN_USE') while vehicles are based there; false when there is no such station. */
  removeStation(stationId: string): boolean;
  /** Throws FleetError('VEHICLE_EXISTS' | 'INVALID_VEHICLE'); an unknown depot is INVALID_VEHICLE naming depotId. */
  addVehicle(vehicle: Vehicle): ProvisionedVehicle;
  /** Sites (either kind) then vehicles in one transaction (the demo fleet): a bad record leaves the registry as it was. */
  addSites(stations: readonly NewSite[], vehicles: readonly Vehicle[]): ProvisionedVehicle[];
  getVehicle(vehicleId: string): Vehicle | undefined;
  listVehicles(filter?: { depotId?: string }): Vehicle[];
  removeVehicle(vehicleId: string): boolean;
  /** Throws FleetError('UNKNOWN_VEHICLE'). */
  rotateVehicleSecret(vehicleId: string): string;
  /** Constant-time, as for devices. */
  verifyVehicleSecret(vehicleId: string, secret: string): boolean;
}

export type FleetErrorCode =
  | 'DEVICE_EXISTS'
  | 'INVALID_DEVICE'
  | 'UNKNOWN_DEVICE'
  | 'SITE_EXISTS'
  | 'INVALID_SITE'
  | 'UNKNOWN_SITE'
  | 'SITE_IN_USE'
  | 'VEHICLE_EXISTS'
  | 'INVALID_VEHICLE'
  | 'UNKNOWN_VEHICLE'
  | 'INVALID_COMMUNITY';

export class FleetError extends Error {
  override name = 'FleetError';
  constructor(
    readonly code: FleetErrorCode,
    message: string,
  ) {
    super(message);
  }
}

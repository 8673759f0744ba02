/** The fleet registry port: what the broker, the ingest pipeline, the API and the CLI need of it. */
import type { Device, DeviceKind, NewDevice, Subdistrict } from '../../../shared/contracts/index.ts';

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
}

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

export class FleetError extends Error {
  override name = 'FleetError';
  constructor(
    readonly code: 'DEVICE_EXISTS' | 'INVALID_DEVICE' | 'UNKNOWN_DEVICE',
    message: string,
  ) {
    super(message);
  }
}

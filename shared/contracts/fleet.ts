/** The fleet registry's record of a device, as the API and the CLI show it. */
import { z } from 'zod';
import { CAMERA_POINT_TYPES } from '../vocabulary.ts';
import { DeviceId, DeviceKind, Subdistrict, WasteCategory } from './common.ts';
import { Site, Vehicle } from './sites.ts';

export { CAMERA_POINT_TYPES };

export const CompartmentSpec = z.strictObject({
  category: WasteCategory,
  capacityKg: z.number().positive().max(5000),
});
export type CompartmentSpec = z.infer<typeof CompartmentSpec>;

export const CameraPointType = z.enum(CAMERA_POINT_TYPES);

export const Device = z.strictObject({
  id: DeviceId,
  kind: DeviceKind,
  name: z.string().min(1).max(128),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  subdistrict: Subdistrict,
  community: z.string().min(1).max(64),
  address: z.string().min(1).max(256),
  /** Empty for cameras and scales. */
  compartments: z.array(CompartmentSpec).max(8),
  cameraPointType: CameraPointType.nullable(),
  installedOn: z.iso.date(),
  /** Nano-grid (纳米网格) cell the device belongs to, and its named responsible person. */
  gridCell: z.string().min(1).max(64),
  responsiblePerson: z.string().min(1).max(64),
  /** A scale's site: the transfer station or sorting centre (a Site id) it weighs at (issue 14); absent for boxes and cameras. */
  siteId: DeviceId.optional(),
});
export type Device = z.infer<typeof Device>;

/** What `fleet add` and the API accept to provision a device. */
export const NewDevice = Device.extend({
  compartments: z.array(CompartmentSpec).max(8).default([]),
  cameraPointType: CameraPointType.nullable().default(null),
});
export type NewDevice = z.input<typeof NewDevice>;

/**
 * The file the platform writes (mode 0600) when it provisions the demo fleet, and the
 * simulator reads: each simulated device's registry record and MQTT secret, and each demo
 * vehicle's (a vehicle logs in like a device to read its plan; absent in files from before issue 13).
 */
export const FleetCredentialsFile = z.strictObject({
  generatedAt: z.iso.datetime(),
  devices: z.array(z.strictObject({ device: Device, secret: z.string().min(16) })),
  vehicles: z.array(z.strictObject({ vehicle: Vehicle, secret: z.string().min(16) })).optional(),
  /** The sites (transfer stations, sorting centres): where the simulated loads are weighed (issue 14). */
  sites: z.array(Site).optional(),
});
export type FleetCredentialsFile = z.infer<typeof FleetCredentialsFile>;

/** Name of that file inside DATA_DIR: the platform writes it, the simulator reads it. */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

/** Payloads published by smart recyclable-collection boxes. */
import { z } from 'zod';
import { POWER_SOURCES, FAULT_TYPES } from '../vocabulary.ts';
import { ContainerStatus, EventId, FillingLevel, Timestamp, WasteCategory, WeightKg } from './common.ts';

export { POWER_SOURCES, FAULT_TYPES };

export const CompartmentReading = z.strictObject({
  category: WasteCategory,
  fillingLevel: FillingLevel,
  weightKg: WeightKg,
  /** The level sensor sees waste above the rim (fillingLevel is then 1). */
  overflow: z.boolean().optional(),
});
export type CompartmentReading = z.infer<typeof CompartmentReading>;

export const BoxTelemetry = z.strictObject({
  ts: Timestamp,
  compartments: z.array(CompartmentReading).min(1).max(8),
  temperatureC: z.number().min(-40).max(200),
  power: z.strictObject({
    source: z.enum(POWER_SOURCES),
    batteryPercent: z.number().min(0).max(100).optional(),
  }),
  lid: z.enum(['closed', 'open']),
  status: ContainerStatus,
  signal: z.strictObject({
    rssiDbm: z.number().min(-140).max(0),
    network: z.enum(['4g', 'nbiot', 'wifi', 'ethernet']).optional(),
  }),
});
export type BoxTelemetry = z.infer<typeof BoxTelemetry>;

/** A resident put recyclables into one compartment; the box weighed them and credited points. */
export const DepositEvent = z.strictObject({
  ts: Timestamp,
  eventId: EventId,
  category: WasteCategory,
  weightKg: z.number().positive().max(500),
  /** SHA-256 (hex) of the resident's card or account id: the platform never sees who it is. */
  residentHash: z.string().regex(/^[a-f0-9]{64}$/, '64 lowercase hex characters (SHA-256)'),
  points: z.int().min(0).max(100_000),
});
export type DepositEvent = z.infer<typeof DepositEvent>;

/** A collector emptied the box (some or all compartments) into a vehicle. */
export const CollectionEvent = z.strictObject({
  ts: Timestamp,
  eventId: EventId,
  collectorId: z.string().min(1).max(64),
  vehicleId: z.string().min(1).max(32),
  compartments: z
    .array(z.strictObject({ category: WasteCategory, weightKg: WeightKg }))
    .min(1)
    .max(8),
});
export type CollectionEvent = z.infer<typeof CollectionEvent>;

export const FaultType = z.enum(FAULT_TYPES);
export type FaultType = z.infer<typeof FaultType>;

/** A fault raised (active: true) or cleared (active: false); boxes and cameras both send it. */
export const FaultEvent = z.strictObject({
  ts: Timestamp,
  eventId: EventId,
  fault: FaultType,
  active: z.boolean(),
  detail: z.string().max(200).optional(),
});
export type FaultEvent = z.infer<typeof FaultEvent>;

/**
 * Building blocks shared by every device payload and API response.
 * Vocabulary follows the FIWARE Smart Data Models WasteContainer where it fits
 * (fillingLevel, status); see docs/contracts.md for the mapping.
 */
import { z } from 'zod';
import { DEVICE_KINDS, WASTE_CATEGORIES, CONTAINER_STATUSES, SUBDISTRICTS, SUBDISTRICT_NAMES } from '../vocabulary.ts';

export { DEVICE_KINDS, WASTE_CATEGORIES, CONTAINER_STATUSES, SUBDISTRICTS, SUBDISTRICT_NAMES };

export const DeviceKind = z.enum(DEVICE_KINDS);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** One MQTT topic level: no '/', '+', '#', so an id can never widen a topic filter. */
export const DeviceId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/, 'letters, digits, "_" or "-", 2..64 characters');
export type DeviceId = z.infer<typeof DeviceId>;

/** Idempotency key of an event: replays of the same event must not double-count. */
export const EventId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'letters, digits, "_", ".", ":" or "-", up to 128 characters');

/** ISO 8601 instant with an explicit offset, e.g. 2026-11-26T08:00:00+08:00 or ...Z. */
export const Timestamp = z.iso.datetime({ offset: true });

export const WasteCategory = z.enum(WASTE_CATEGORIES);
export type WasteCategory = z.infer<typeof WasteCategory>;

export const ContainerStatus = z.enum(CONTAINER_STATUSES);
export type ContainerStatus = z.infer<typeof ContainerStatus>;

/** Share of a compartment's volume in use, 0 (empty) .. 1 (full), as FIWARE fillingLevel. */
export const FillingLevel = z.number().min(0).max(1);

export const WeightKg = z.number().min(0).max(5000);

export const Subdistrict = z.enum(SUBDISTRICTS);
export type Subdistrict = z.infer<typeof Subdistrict>;


/**
 * Where accepted collection events are kept for proof of service (issue 13): the SQLite adapter
 * in production (adapters/sqlite-collection-log.ts), memory in the tests; one contract suite
 * (tests/integration/planning/progress-collection-log.test.ts) runs against both.
 */
import type { CollectionEvent, Device } from '../../../shared/contracts/index.ts';

/** One box's collection event, as proof of service reads it. */
export interface LoggedCollection {
  deviceId: string;
  /** The box's own event id: with deviceId, what makes a journal replay a no-op. */
  eventId: string;
  /** When the box says it was emptied (the event's ts), epoch ms. */
  atMs: number;
  vehicleId: string;
  /** kg emptied per compartment category. */
  kgByCategory: Record<string, number>;
}

export interface CollectionLog {
  /** False when (deviceId, eventId) was already recorded: replays and duplicates are no-ops. */
  record(collection: LoggedCollection): boolean;
  /** Collections with fromMs ≤ atMs ≤ toMs, oldest first. */
  between(fromMs: number, toMs: number): LoggedCollection[];
  /** Deletes collections older than beforeMs; returns how many. */
  prune(beforeMs: number): number;
}

/** How long collections are kept: a month of shifts plus a few days to look back on. */
export const COLLECTION_LOG_DAYS = 35;

/** The log's record of a box's collection event (kg summed per category if one repeats). */
export function loggedCollection(device: Pick<Device, 'id'>, event: CollectionEvent): LoggedCollection {
  const kgByCategory: Record<string, number> = {};
  for (const c of event.compartments) kgByCategory[c.category] = (kgByCategory[c.category] ?? 0) + c.weightKg;
  return { deviceId: device.id, eventId: event.eventId, atMs: Date.parse(event.ts), vehicleId: event.vehicleId, kgByCategory };
}

export const totalKg = (collection: Pick<LoggedCollection, 'kgByCategory'>): number =>
  Object.values(collection.kgByCategory).reduce((sum, kg) => sum + kg, 0);

/** What the ingest pipeline offers to readers (the API, later the alert engine). */
import type { DeadLetter, DeadLetterReason, DeviceState } from '../../../shared/contracts/index.ts';

export interface DeviceStateReader {
  /** Latest state, or undefined when nothing was ever heard from the device. */
  get(deviceId: string): DeviceState | undefined;
  /** Every device's latest state, keyed by device id. */
  all(): ReadonlyMap<string, DeviceState>;
}

export interface DeadLetterReader {
  /** Count per reason since the store was created (every reason present, 0 when none). */
  counts(): Record<DeadLetterReason, number>;
  /** Newest first. */
  recent(limit: number, reason?: DeadLetterReason): DeadLetter[];
}

/** One rejected publish, as the pipeline hands it to the dead-letter store. */
export interface DeadLetterEntry {
  receivedAtMs: number;
  topic: string;
  deviceId: string | null;
  reason: DeadLetterReason;
  detail: string;
  /** The raw bytes; the store keeps only a bounded preview. */
  payload: Buffer;
  /**
   * The publish's journal seq, when it came from the journal (with the entry's receivedAt as
   * receivedAtMs). A replayed entry (same seq, same receivedAt) is recorded only once.
   * Without it every call records a new row, as before.
   */
  journalSeq?: number;
}

export interface DeadLetterRecorder {
  /** Idempotent for entries with a journalSeq (see DeadLetterEntry). */
  record(entry: DeadLetterEntry): void;
}

/** How far a device's timestamp may be from when the broker accepted its message. */
export interface IngestLimits {
  /** How far ahead of the receive time a device clock may be. */
  maxFutureSkewMs: number;
  /** How old a reading may be (devices buffer while offline). */
  maxAgeMs: number;
}

/** Where the pipeline keeps device states; start() loads them, stop() persists what changed. */
export interface DeviceStateRepository extends DeviceStateReader {
  put(deviceId: string, state: DeviceState): void;
  start(): void;
  stop(): void;
}

/** A device the inactivity check found silent: nothing heard within its timeout, which ran out at sinceMs. */
export interface SilentDevice {
  deviceId: string;
  sinceMs: number;
}

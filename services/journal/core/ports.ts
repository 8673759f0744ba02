/**
 * The publish journal: an append-only log of every device publish the broker accepted,
 * written before the broker acknowledges it (PUBACK) and read by each downstream consumer
 * (time-series store, alert engine) from its own committed offset.
 */

/** A device publish as the broker accepted it. */
export interface JournalAppend {
  deviceId: string;
  topic: string;
  payload: Buffer;
  /** Epoch milliseconds at which the broker accepted it. */
  receivedAt: number;
}

export interface JournalEntry extends JournalAppend {
  /** Position in the journal: increasing, never reused (gaps are possible). */
  seq: number;
}

/**
 * Where a newly registered consumer starts. 'oldest' (the default): every entry still in the
 * journal, so nothing acknowledged before the consumer existed is skipped; 'head': only
 * entries appended from now on (for a consumer that must not see history, e.g. a live view).
 */
export type StartAt = 'oldest' | 'head';

/** What a consumer needs from the journal. */
export interface JournalSource {
  /** Idempotent: an already registered consumer keeps its offset. Answers the offset. */
  register(consumer: string, startAt?: StartAt): number;
  /** The last seq the consumer committed. */
  offset(consumer: string): number;
  /** Up to `limit` entries with seq > afterSeq, in seq order. */
  read(afterSeq: number, limit: number): JournalEntry[];
  /** Records that the consumer is done with everything up to `seq` (monotonic: lower is ignored). */
  commit(consumer: string, seq: number): void;
  /** Called after each committed group of appends, with the new head seq. Returns an unsubscribe. */
  onAppend(listener: (head: number) => void): () => void;
}

/**
 * The unconsumed backlog would exceed the journal's cap. The broker turns this into a refused
 * publish: the device keeps the message and sends it again later.
 */
export class JournalFullError extends Error {
  override readonly name = 'JournalFullError';
  constructor(
    readonly backlogBytes: number,
    readonly maxBytes: number,
  ) {
    super(`journal full: ${backlogBytes} bytes not yet consumed, cap ${maxBytes}`);
  }
}

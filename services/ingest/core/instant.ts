/** Device timestamps: ISO 8601 instants with an explicit offset (shared Timestamp schema). */

/** Epoch ms of a schema-valid instant; NaN when it cannot be read (callers must check). */
export function instantMs(iso: string): number {
  return Date.parse(iso);
}

export function msToIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

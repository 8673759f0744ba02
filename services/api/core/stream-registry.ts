/**
 * The open alert streams, by the token that opened them (issue 15). Pure bookkeeping, time
 * passed in; the route adapts sockets to LiveStream and runs check() on a timer.
 *
 * - A cap per token: one leaked or shared token cannot hold thousands of streams open.
 * - A revoked or expired token's streams end at once (endToken).
 * - A slow stream ends: one whose unsent bytes stay above `slowBytes` for longer than
 *   `slowAfterMs`. The hub already drops a client far behind (its maxBufferBytes, checked when
 *   an event is written); this catches a reader that stopped reading on a quiet stream, whose
 *   buffered snapshot would otherwise sit in memory for as long as the TCP connection lives.
 */
export interface LiveStream {
  /** Bytes written but not yet handed to the network. */
  bufferedBytes(): number;
  /**
   * Ends the stream. A slow one is cut (whatever it had not read is dropped); a revoked or expired
   * one is ended cleanly, so the browser reconnects and meets the 401 instead of logging a broken
   * response.
   */
  close(reason: StreamEndReason): void;
}

export type StreamEndReason = 'revoked' | 'expired' | 'slow';

export interface StreamRegistryOptions {
  maxPerToken: number;
  slowBytes: number;
  slowAfterMs: number;
  onEnded?: (reason: StreamEndReason, tokenId: string) => void;
}

interface Entry {
  tokenId: string;
  stream: LiveStream;
  /** Since when (ms) its buffer has been above slowBytes; null: it is not. */
  behindSince: number | null;
}

export class StreamRegistry {
  private readonly byToken = new Map<string, Set<Entry>>();

  constructor(private readonly options: StreamRegistryOptions) {}

  /** May this token open one more stream? */
  admits(tokenId: string): boolean {
    return (this.byToken.get(tokenId)?.size ?? 0) < this.options.maxPerToken;
  }

  /** Registers a stream; returns the function (idempotent) to call when it closes. */
  add(tokenId: string, stream: LiveStream): () => void {
    const entry: Entry = { tokenId, stream, behindSince: null };
    let set = this.byToken.get(tokenId);
    if (set === undefined) this.byToken.set(tokenId, (set = new Set()));
    set.add(entry);
    return () => this.remove(entry);
  }

  streamsOf(tokenId: string): number {
    return this.byToken.get(tokenId)?.size ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const set of this.byToken.values()) n += set.size;
    return n;
  }

  /** Ends every stream of the token; answers how many. */
  endToken(tokenId: string, reason: 'revoked' | 'expired'): number {
    const entries = [...(this.byToken.get(tokenId) ?? [])];
    for (const entry of entries) this.end(entry, reason);
    return entries.length;
  }

  /** Ends the streams that have been behind for too long; answers how many. */
  check(nowMs: number): number {
    const ending: Entry[] = [];
    for (const set of this.byToken.values()) {
      for (const entry of set) {
        if (entry.stream.bufferedBytes() <= this.options.slowBytes) entry.behindSince = null;
        else if (entry.behindSince === null) entry.behindSince = nowMs;
        else if (nowMs - entry.behindSince >= this.options.slowAfterMs) ending.push(entry);
      }
    }
    for (const entry of ending) this.end(entry, 'slow');
    return ending.length;
  }

  private end(entry: Entry, reason: StreamEndReason): void {
    if (!this.remove(entry)) return;
    entry.stream.close(reason);
    this.options.onEnded?.(reason, entry.tokenId);
  }

  private remove(entry: Entry): boolean {
    const set = this.byToken.get(entry.tokenId);
    if (set === undefined || !set.delete(entry)) return false;
    if (set.size === 0) this.byToken.delete(entry.tokenId);
    return true;
  }
}

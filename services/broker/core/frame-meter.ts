/**
 * Follows the MQTT framing of a byte stream (fixed header byte, 1-4 byte "remaining
 * length", body) without keeping any bytes, so an oversized packet is caught from its
 * header alone. The MQTT parser the broker uses has no size limit and would buffer a
 * 200 MB publish whole before anyone could look at it.
 */

export type FrameVerdict = { ok: true } | { ok: false; declaredBytes: number; detail: string };

/** A remaining-length field has at most 4 bytes (MQTT 3.1.1 §2.2.3). */
const MAX_LENGTH_BYTES = 4;
/** Control packet type 14 (MQTT 3.1.1 §3.14): the client's goodbye. */
const DISCONNECT = 14;

export class MqttFrameMeter {
  private state: 'header' | 'length' | 'body' = 'header';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private packetType = 0;
  private lastComplete: number | null = null;
  private failed: FrameVerdict | null = null;

  constructor(private readonly maxRemainingLength: number) {}

  /**
   * The last complete packet was a DISCONNECT. aedes tells nobody that a client said goodbye
   * (only its private _disconnected flag knows), so the bytes are the public witness.
   */
  get endedWithDisconnect(): boolean {
    return this.lastComplete === DISCONNECT;
  }

  /** Feeds the next chunk of the stream; once it fails, it stays failed. */
  push(chunk: Uint8Array): FrameVerdict {
    if (this.failed) return this.failed;
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'header') {
        this.packetType = (chunk[i++] as number) >> 4;
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
      } else if (this.state === 'length') {
        const byte = chunk[i++] as number;
        this.length += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes += 1;
        if (byte & 0x80) {
          if (this.lengthBytes >= MAX_LENGTH_BYTES) return this.fail(Infinity, 'malformed remaining length (more than 4 bytes)');
          continue;
        }
        if (this.length > this.maxRemainingLength) {
          return this.fail(this.length, `packet announces ${this.length} bytes, at most ${this.maxRemainingLength} accepted`);
        }
        this.bodyLeft = this.length;
        this.state = this.bodyLeft > 0 ? 'body' : 'header';
        if (this.bodyLeft === 0) this.lastComplete = this.packetType;
      } else {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        i += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) {
          this.state = 'header';
          this.lastComplete = this.packetType;
        }
      }
    }
    return { ok: true };
  }

  private fail(declaredBytes: number, detail: string): FrameVerdict {
    this.failed = { ok: false, declaredBytes, detail };
    return this.failed;
  }
}

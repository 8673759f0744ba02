/**
 * Just enough MQTT 3.1.1 on the wire for a load generator: CONNECT and QoS 1 PUBLISH out,
 * CONNACK and PUBACK in. Pure. A full client (mqtt.js) spends more CPU per message than the
 * broker under test, and then the benchmark would measure the generator.
 */

const PROTOCOL_NAME = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54]); // "MQTT"
const PROTOCOL_LEVEL_311 = 0x04;

export const PACKET = { connack: 2, publish: 3, puback: 4, pingresp: 13 } as const;

/** The remaining-length field: 7 bits per byte, high bit set while more bytes follow. */
export function encodeRemainingLength(length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > 268_435_455) throw new RangeError(`remaining length ${length}`);
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

const utf8Field = (text: string | Buffer): Buffer => {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const head = Buffer.alloc(2);
  head.writeUInt16BE(body.length);
  return Buffer.concat([head, body]);
};

export interface ConnectOptions {
  clientId: string;
  username?: string;
  password?: string;
  keepaliveS?: number;
  cleanSession?: boolean;
  /** A QoS 1 last will, as the district's devices announce their 'offline' status. */
  will?: { topic: string; payload: Buffer; retain: boolean };
}

export function encodeConnect(options: ConnectOptions): Buffer {
  let flags = options.cleanSession === false ? 0 : 0x02;
  const payload = [utf8Field(options.clientId)];
  if (options.will !== undefined) {
    flags |= 0x04 | (1 << 3) | (options.will.retain ? 0x20 : 0);
    payload.push(utf8Field(options.will.topic), utf8Field(options.will.payload));
  }
  if (options.username !== undefined) {
    flags |= 0x80;
    payload.push(utf8Field(options.username));
  }
  if (options.password !== undefined) {
    flags |= 0x40;
    payload.push(utf8Field(options.password));
  }
  const keepalive = Buffer.alloc(2);
  keepalive.writeUInt16BE(options.keepaliveS ?? 60);
  const variable = Buffer.concat([PROTOCOL_NAME, Buffer.from([PROTOCOL_LEVEL_311, flags]), keepalive, ...payload]);
  return Buffer.concat([Buffer.from([0x10]), encodeRemainingLength(variable.length), variable]);
}

/** A QoS 1 PUBLISH; the topic is pre-encoded (utf8Field) since a device always uses the same few. */
export function encodePublishQos1(topicField: Buffer, packetId: number, payload: Buffer): Buffer {
  if (packetId < 1 || packetId > 0xffff) throw new RangeError(`packet id ${packetId}`);
  const length = topicField.length + 2 + payload.length;
  const header = encodeRemainingLength(length);
  const packet = Buffer.allocUnsafe(1 + header.length + length);
  packet[0] = 0x32;
  header.copy(packet, 1);
  let at = 1 + header.length;
  at += topicField.copy(packet, at);
  packet.writeUInt16BE(packetId, at);
  payload.copy(packet, at + 2);
  return packet;
}

export const encodeTopic = (topic: string): Buffer => utf8Field(topic);
export const DISCONNECT = Buffer.from([0xe0, 0x00]);
export const PINGREQ = Buffer.from([0xc0, 0x00]);

export type BrokerPacket =
  | { type: 'connack'; returnCode: number }
  | { type: 'puback'; packetId: number }
  | { type: 'other'; packetType: number };

/**
 * Splits the broker's byte stream into packets. Chunks may end mid-packet: the rest is kept
 * for the next push.
 */
export class PacketReader {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): BrokerPacket[] {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const packets: BrokerPacket[] = [];
    let at = 0;
    while (at < data.length) {
      const header = readRemainingLength(data, at + 1);
      if (header === undefined) break;
      const bodyStart = at + 1 + header.bytes;
      const end = bodyStart + header.length;
      if (end > data.length) break;
      packets.push(decode(data[at]! >> 4, data, bodyStart));
      at = end;
    }
    this.#pending = at === data.length ? Buffer.alloc(0) : data.subarray(at);
    return packets;
  }
}

function readRemainingLength(data: Buffer, at: number): { length: number; bytes: number } | undefined {
  let length = 0;
  let multiplier = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= data.length) return undefined;
    const byte = data[at + i]!;
    length += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { length, bytes: i + 1 };
    multiplier *= 128;
  }
  throw new Error('malformed remaining length');
}

function decode(packetType: number, data: Buffer, bodyStart: number): BrokerPacket {
  if (packetType === PACKET.connack) return { type: 'connack', returnCode: data[bodyStart + 1]! };
  if (packetType === PACKET.puback) return { type: 'puback', packetId: data.readUInt16BE(bodyStart) };
  return { type: 'other', packetType };
}

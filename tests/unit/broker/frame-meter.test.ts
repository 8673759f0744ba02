import { describe, expect, it } from 'vitest';
import { MqttFrameMeter } from '../../../services/broker/core/frame-meter.ts';

/** MQTT variable-length "remaining length" (MQTT 3.1.1 §2.2.3). */
function remainingLength(n: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return bytes;
}
const TOPIC = Buffer.from('binpulse/v1/box-0001/telemetry');
/** A QoS 0 PUBLISH, encoded by hand; returns the packet and its remaining length. */
function publishPacket(payloadBytes: number): { bytes: Buffer; remaining: number } {
  const remaining = 2 + TOPIC.length + payloadBytes;
  const bytes = Buffer.concat([
    Buffer.from([0x30, ...remainingLength(remaining), TOPIC.length >> 8, TOPIC.length & 0xff]),
    TOPIC,
    Buffer.alloc(payloadBytes, 1),
  ]);
  return { bytes, remaining };
}
const publish = (payloadBytes: number) => publishPacket(payloadBytes).bytes;
const ping = Buffer.from([0xc0, 0x00]);

describe('MqttFrameMeter', () => {
  it('passes a stream of packets within the limit, however the chunks are cut', () => {
    const stream = Buffer.concat([publish(100), ping, publish(1000), publish(0), ping]);
    for (const chunkSize of [1, 2, 3, 7, 64, stream.length]) {
      const meter = new MqttFrameMeter(1100);
      for (let i = 0; i < stream.length; i += chunkSize) {
        expect(meter.push(stream.subarray(i, i + chunkSize))).toEqual({ ok: true });
      }
    }
  });

  it('fails on the header of an oversized packet that follows good ones', () => {
    const big = publishPacket(200_000);
    const meter = new MqttFrameMeter(1100);
    expect(meter.push(publish(100))).toEqual({ ok: true });
    // Only the fixed header of the big packet arrives: that alone must fail it.
    const verdict = meter.push(big.bytes.subarray(0, 4));
    expect(verdict).toMatchObject({ ok: false, declaredBytes: big.remaining });
  });

  it('fails on a header announcing ~200 MB without seeing any body', () => {
    const meter = new MqttFrameMeter(20_000);
    expect(meter.push(Buffer.from([0x30, ...remainingLength(200 * 1024 * 1024)]))).toMatchObject({ ok: false, declaredBytes: 200 * 1024 * 1024 });
  });

  it('accepts a packet of exactly the limit', () => {
    const { bytes, remaining } = publishPacket(500);
    expect(new MqttFrameMeter(remaining).push(bytes)).toEqual({ ok: true });
    expect(new MqttFrameMeter(remaining - 1).push(bytes)).toMatchObject({ ok: false, declaredBytes: remaining });
  });

  it('fails on a malformed length of more than 4 bytes and stays failed', () => {
    const meter = new MqttFrameMeter(Number.MAX_SAFE_INTEGER);
    expect(meter.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff])).ok).toBe(false);
    expect(meter.push(ping).ok).toBe(false);
  });
});

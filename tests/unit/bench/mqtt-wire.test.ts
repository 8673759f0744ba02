/** The benchmark's hand-rolled MQTT encoder, checked against mqtt-packet (the parser aedes uses). */
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { encodeConnect, encodePublishQos1, encodeRemainingLength, encodeTopic, PacketReader } from '../../../bench/core/mqtt-wire.ts';

function parse(buffer: Buffer): mqttPacket.Packet[] {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets: mqttPacket.Packet[] = [];
  const errors: Error[] = [];
  parser.on('packet', (p) => packets.push(p));
  parser.on('error', (e) => errors.push(e));
  parser.parse(buffer);
  expect(errors).toEqual([]);
  return packets;
}

describe('mqtt wire encoding', () => {
  it('encodes remaining lengths at every byte-count boundary', () => {
    expect([...encodeRemainingLength(0)]).toEqual([0]);
    expect([...encodeRemainingLength(127)]).toEqual([0x7f]);
    expect([...encodeRemainingLength(128)]).toEqual([0x80, 0x01]);
    expect([...encodeRemainingLength(16_383)]).toEqual([0xff, 0x7f]);
    expect([...encodeRemainingLength(16_384)]).toEqual([0x80, 0x80, 0x01]);
    expect(() => encodeRemainingLength(268_435_456)).toThrow(RangeError);
  });

  it('writes a CONNECT with credentials and a retained QoS 1 will that mqtt-packet reads back', () => {
    const [packet] = parse(
      encodeConnect({
        clientId: 'box-0001',
        username: 'box-0001',
        password: 's3cret',
        keepaliveS: 60,
        will: { topic: 'binpulse/v1/box-0001/status', payload: Buffer.from('{"state":"offline"}'), retain: true },
      }),
    );
    expect(packet).toMatchObject({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      keepalive: 60,
      clientId: 'box-0001',
      username: 'box-0001',
      will: { topic: 'binpulse/v1/box-0001/status', qos: 1, retain: true },
    });
    expect((packet as mqttPacket.IConnectPacket).password?.toString()).toBe('s3cret');
  });

  it('writes QoS 1 PUBLISHes, large payloads included, that mqtt-packet reads back', () => {
    const payload = Buffer.from(JSON.stringify({ text: '新天地花苑'.repeat(2000) }));
    const packets = parse(Buffer.concat([encodePublishQos1(encodeTopic('binpulse/v1/box-0001/telemetry'), 7, Buffer.from('{}')), encodePublishQos1(encodeTopic('t'), 65_535, payload)]));
    expect(packets).toMatchObject([
      { cmd: 'publish', qos: 1, messageId: 7, topic: 'binpulse/v1/box-0001/telemetry' },
      { cmd: 'publish', qos: 1, messageId: 65_535, topic: 't' },
    ]);
    expect((packets[1] as mqttPacket.IPublishPacket).payload.toString()).toBe(payload.toString());
    expect(() => encodePublishQos1(encodeTopic('t'), 0, payload)).toThrow(RangeError);
  });

  it('reads CONNACKs and PUBACKs split anywhere across chunks', () => {
    const stream = Buffer.concat([
      mqttPacket.generate({ cmd: 'connack', returnCode: 5, sessionPresent: false }),
      mqttPacket.generate({ cmd: 'puback', messageId: 300 }),
      mqttPacket.generate({ cmd: 'pingresp' }),
      mqttPacket.generate({ cmd: 'puback', messageId: 1 }),
    ]);
    for (let split = 0; split <= stream.length; split++) {
      const reader = new PacketReader();
      const packets = [...reader.push(stream.subarray(0, split)), ...reader.push(stream.subarray(split))];
      expect(packets).toEqual([
        { type: 'connack', returnCode: 5 },
        { type: 'puback', packetId: 300 },
        { type: 'other', packetType: 13 },
        { type: 'puback', packetId: 1 },
      ]);
    }
  });
});

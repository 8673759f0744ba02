import { describe, expect, it } from 'vitest';
import { offlineReasonOf, type ConnectionEnd } from '../../../services/broker/core/connection-end.ts';
import { MqttFrameMeter } from '../../../services/broker/core/frame-meter.ts';

const end = (facts: Partial<ConnectionEnd>): ConnectionEnd => ({
  disconnectPacket: false,
  keepaliveExpired: false,
  brokerStopping: false,
  ...facts,
});

describe('why a connection ended', () => {
  it('a DISCONNECT is a clean goodbye, whatever else happened', () => {
    expect(offlineReasonOf(end({ disconnectPacket: true }))).toBe('clean_disconnect');
    expect(offlineReasonOf(end({ disconnectPacket: true, brokerStopping: true }))).toBe('clean_disconnect');
  });

  it('a keep-alive expiry is named as such (the will is published too)', () => {
    expect(offlineReasonOf(end({ keepaliveExpired: true }))).toBe('keepalive_timeout');
    expect(offlineReasonOf(end({ keepaliveExpired: true, brokerStopping: true }))).toBe('keepalive_timeout');
  });

  it('any other end without DISCONNECT is a lost connection: the will', () => {
    expect(offlineReasonOf(end({}))).toBe('last_will');
  });

  it('the broker closing connections at shutdown is no reason of the device', () => {
    expect(offlineReasonOf(end({ brokerStopping: true }))).toBeNull();
  });
});

describe('MqttFrameMeter.endedWithDisconnect', () => {
  const connect = Buffer.from([0x10, 0x03, 0x00, 0x01, 0x02]);
  const ping = Buffer.from([0xc0, 0x00]);
  const disconnect = Buffer.from([0xe0, 0x00]);

  it('is true once the last complete packet is a DISCONNECT, however the bytes are cut', () => {
    const meter = new MqttFrameMeter(1024);
    meter.push(Buffer.concat([connect, ping]));
    expect(meter.endedWithDisconnect).toBe(false);
    meter.push(disconnect.subarray(0, 1));
    expect(meter.endedWithDisconnect).toBe(false);
    meter.push(disconnect.subarray(1));
    expect(meter.endedWithDisconnect).toBe(true);
  });

  it('is false for a stream that never said goodbye, or went on after it', () => {
    const meter = new MqttFrameMeter(1024);
    meter.push(Buffer.concat([connect, disconnect, ping]));
    expect(meter.endedWithDisconnect).toBe(false);
    expect(new MqttFrameMeter(1024).endedWithDisconnect).toBe(false);
  });

  it('does not take a DISCONNECT type byte inside a body for the packet', () => {
    const meter = new MqttFrameMeter(1024);
    // A PUBLISH whose last body bytes look like a DISCONNECT.
    meter.push(Buffer.from([0x30, 0x05, 0x00, 0x01, 0x61, 0xe0, 0x00]));
    expect(meter.endedWithDisconnect).toBe(false);
  });
});

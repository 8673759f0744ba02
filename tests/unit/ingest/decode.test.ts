import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS, DEVICE_CHANNEL_NAMES } from '../../../shared/contracts/index.ts';
import { seededRandom } from '../../../shared/random.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { decodeDeviceMessage, type DecodeResult } from '../../../services/ingest/core/decode.ts';
import {
  BOX,
  CAMERA,
  NOW,
  collection,
  deposit,
  detection,
  fault,
  heartbeat,
  json,
  lookup,
  telemetry,
  topic,
} from './fixtures.ts';

const options = { lookupDevice: lookup([BOX, CAMERA]), maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };
const decode = (t: string, payload: Buffer, at = NOW): DecodeResult => decodeDeviceMessage(t, payload, at, options);

function rejected(result: DecodeResult) {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.message)}`);
  return result;
}

describe('decodeDeviceMessage: valid traffic', () => {
  it.each([
    [BOX, 'telemetry', telemetry()],
    [BOX, 'event/deposit', deposit('d-1')],
    [BOX, 'event/collection', collection('c-1')],
    [BOX, 'event/fault', fault('f-1', 'tilt', true)],
    [CAMERA, 'event/fault', fault('f-2', 'stream_lost', true)],
    [CAMERA, 'heartbeat', heartbeat()],
    [CAMERA, 'detection', detection('x-1', 'start')],
    [BOX, 'status', { state: 'online', ts: new Date(NOW).toISOString(), firmware: '2.1.0' }],
    [CAMERA, 'status', { state: 'offline' }],
  ] as const)('accepts %s on %s', (device, channel, payload) => {
    const result = decode(topic(device, channel), json(payload));
    expect(result).toEqual({ ok: true, device, message: { deviceId: device.id, channel, payload } });
  });

  it('accepts a UTF-8 byte order mark and non-ASCII text', () => {
    const payload = { ...fault('f-3', 'vandalized', true), detail: '箱门被撬' };
    const result = decode(topic(BOX, 'event/fault'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json(payload)]));
    expect(result.ok && result.message.payload).toEqual(payload);
  });

  it('accepts timestamps exactly at the skew and age limits', () => {
    expect(decode(topic(BOX, 'telemetry'), json(telemetry(NOW + 300_000))).ok).toBe(true);
    expect(decode(topic(BOX, 'telemetry'), json(telemetry(NOW - 168 * HOUR_MS))).ok).toBe(true);
  });
});

describe('decodeDeviceMessage: dead-letter reasons', () => {
  it('unknown_topic: outside the binpulse tree, or an unknown channel', () => {
    expect(rejected(decode('other/box-0001/telemetry', json(telemetry())))).toMatchObject({
      reason: 'unknown_topic',
      deviceId: null,
    });
    expect(rejected(decode(topic(BOX, 'telemetry/extra'), json(telemetry())))).toMatchObject({
      reason: 'unknown_topic',
      deviceId: 'box-0001',
      detail: 'unknown channel "telemetry/extra"',
    });
    // Inherited object keys are not channels.
    expect(rejected(decode(topic(BOX, 'constructor'), json({}))).reason).toBe('unknown_topic');
  });

  it('unknown_device: not in the registry', () => {
    expect(rejected(decode(topic('box-9999', 'telemetry'), json(telemetry())))).toMatchObject({
      reason: 'unknown_device',
      deviceId: 'box-9999',
    });
  });

  it('kind_mismatch: a camera sending telemetry, a box sending a heartbeat', () => {
    expect(rejected(decode(topic(CAMERA, 'telemetry'), json(telemetry())))).toMatchObject({
      reason: 'kind_mismatch',
      deviceId: 'cam-0001',
      detail: 'a camera may not publish on "telemetry"',
    });
    expect(rejected(decode(topic(BOX, 'heartbeat'), json(heartbeat()))).reason).toBe('kind_mismatch');
  });

  it('checks the topic and the device before reading the payload', () => {
    expect(rejected(decode(topic('box-9999', 'telemetry'), Buffer.from('{{{'))).reason).toBe('unknown_device');
    expect(rejected(decode(topic(CAMERA, 'telemetry'), Buffer.from('{{{'))).reason).toBe('kind_mismatch');
  });

  it('invalid_json: truncated JSON, empty payload, binary garbage', () => {
    for (const bytes of [Buffer.from('{"ts": "2026-'), Buffer.alloc(0), Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80])]) {
      expect(rejected(decode(topic(BOX, 'telemetry'), bytes))).toMatchObject({ reason: 'invalid_json', deviceId: 'box-0001' });
    }
    expect(rejected(decode(topic(BOX, 'telemetry'), Buffer.from([0xc3, 0x28]))).detail).toBe('not valid UTF-8');
  });

  it('invalid_json: JSON inside invalid UTF-8 is still rejected, not repaired', () => {
    const bytes = Buffer.concat([Buffer.from('{"state":"online","firmware":"'), Buffer.from([0xe4, 0xb8]), Buffer.from('"}')]);
    expect(rejected(decode(topic(BOX, 'status'), bytes)).reason).toBe('invalid_json');
  });

  it('schema_violation: names the path and the rule of each issue', () => {
    const bad = telemetry(NOW, {
      compartments: [{ category: 'paper', fillingLevel: 1.3, weightKg: 2 }],
      temperatureC: 'warm',
    });
    const result = rejected(decode(topic(BOX, 'telemetry'), json(bad)));
    expect(result.reason).toBe('schema_violation');
    expect(result.detail).toContain('compartments.0.fillingLevel: Too big: expected number to be <=1');
    expect(result.detail).toContain('temperatureC: Invalid input: expected number, received string');
  });

  it('schema_violation: unknown fields, wrong top-level type, missing ts', () => {
    expect(rejected(decode(topic(BOX, 'event/deposit'), json({ ...deposit('d-1'), name: 'Li Na' }))).detail).toBe(
      'Unrecognized key: "name"',
    );
    expect(rejected(decode(topic(BOX, 'telemetry'), json([1, 2, 3]))).detail).toBe(
      'Invalid input: expected object, received array',
    );
    const { ts: _ts, ...noTs } = heartbeat();
    expect(rejected(decode(topic(CAMERA, 'heartbeat'), json(noTs))).reason).toBe('schema_violation');
  });

  it('schema_violation: the detail stays short however many issues there are', () => {
    const compartments = Array.from({ length: 8 }, () => ({ category: 'gold', fillingLevel: -1, weightKg: -1, x: 1 }));
    const result = rejected(decode(topic(BOX, 'telemetry'), json(telemetry(NOW, { compartments }))));
    expect(result.detail).toMatch(/\(\+\d+ more\)$/);
    expect(result.detail.length).toBeLessThanOrEqual(500);
  });

  it('timestamp_out_of_range: beyond the allowed future skew', () => {
    const result = rejected(decode(topic(BOX, 'telemetry'), json(telemetry(NOW + 301_000))));
    expect(result).toMatchObject({ reason: 'timestamp_out_of_range', deviceId: 'box-0001' });
    expect(result.detail).toContain('301 s in the future');
  });

  it('timestamp_out_of_range: older than the maximum age', () => {
    const ancient = Date.parse('2019-01-01T00:00:00Z');
    expect(rejected(decode(topic(BOX, 'event/deposit'), json(deposit('d-1', ancient)))).reason).toBe(
      'timestamp_out_of_range',
    );
    expect(rejected(decode(topic(BOX, 'telemetry'), json(telemetry(NOW - 168 * HOUR_MS - 1)))).reason).toBe(
      'timestamp_out_of_range',
    );
  });

  it('a status without ts (the last will) has no time to check', () => {
    expect(decode(topic(BOX, 'status'), json({ state: 'offline' }), NOW + 365 * 24 * HOUR_MS).ok).toBe(true);
  });
});

describe('decodeDeviceMessage never throws', () => {
  const reasons = new Set<string>(DEAD_LETTER_REASONS);
  const valid = [json(telemetry()), json(deposit('d-1')), json(heartbeat()), json(detection('x-1', 'end'))];
  const topics = [
    ...DEVICE_CHANNEL_NAMES.flatMap((c) => [topic(BOX, c), topic(CAMERA, c)]),
    topic('box-9999', 'telemetry'),
    'binpulse/v1/',
    '',
    '#',
  ];

  function check(result: DecodeResult): void {
    if (result.ok) expect(result.device).toBeDefined();
    else expect(reasons.has(result.reason)).toBe(true);
  }

  it('on thousands of random buffers and mutated valid payloads (seeded)', () => {
    const rnd = seededRandom('decode-fuzz');
    const int = (n: number) => Math.floor(rnd.next() * n);
    const seen = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      let bytes: Buffer;
      if (i % 2 === 0) {
        bytes = Buffer.alloc(int(300));
        for (let j = 0; j < bytes.length; j++) bytes[j] = int(256);
      } else {
        // Flip a few bytes of a valid payload so the fuzz also reaches the schema and time checks.
        bytes = Buffer.from(valid[int(valid.length)]!);
        for (let k = int(4); k > 0; k--) bytes[int(bytes.length)] = int(256);
      }
      const t = topics[int(topics.length)]!;
      let result: DecodeResult | undefined;
      expect(() => (result = decode(t, bytes))).not.toThrow();
      check(result!);
      seen.add(result!.ok ? 'ok' : result!.reason);
    }
    // The fuzz is only worth something if it reached every stage.
    expect([...seen].sort()).toEqual(['invalid_json', 'kind_mismatch', 'ok', 'schema_violation', 'unknown_device', 'unknown_topic']);
  });

  it('on hostile JSON: deep nesting, huge numbers, __proto__ keys', () => {
    const deep = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const nested = Buffer.from(`{"ts":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    const proto = Buffer.from('{"__proto__":{"polluted":true},"state":"online"}');
    for (const bytes of [deep, nested, proto, Buffer.from('1e999'), Buffer.from('"\\ud800"')]) {
      let result: DecodeResult | undefined;
      expect(() => (result = decode(topic(BOX, 'status'), bytes))).not.toThrow();
      expect(result!.ok).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('but a failing registry is not blamed on the message: it throws for the caller to handle', () => {
    const failing = { ...options, lookupDevice: () => { throw new Error('registry closed'); } };
    expect(() => decodeDeviceMessage(topic(BOX, 'telemetry'), json(telemetry()), NOW, failing)).toThrow('registry closed');
  });
});

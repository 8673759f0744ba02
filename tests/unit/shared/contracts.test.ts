import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_PAYLOADS } from '../../../shared/contracts/examples.ts';
import {
  DEVICE_CHANNEL_NAMES,
  DEVICE_CHANNELS,
  deviceTopic,
  parseDeviceTopic,
} from '../../../shared/contracts/index.ts';
import { contractSchemaDocuments } from '../../../shared/contracts/json-schema.ts';

describe('topic map', () => {
  it('round-trips every channel through deviceTopic and parseDeviceTopic', () => {
    for (const channel of DEVICE_CHANNEL_NAMES) {
      expect(parseDeviceTopic(deviceTopic('box-0001', channel))).toEqual({ deviceId: 'box-0001', channel });
    }
  });

  it.each([
    'other/v1/box-0001/telemetry',
    'binpulse/v1/box-0001',
    'binpulse/v1//telemetry',
    'binpulse/v1/+/telemetry',
    'binpulse/v1/box-0001/#',
    'binpulse/v1/bad id/telemetry',
  ])('does not take %s for a device topic', (topic) => {
    expect(parseDeviceTopic(topic)).toBeNull();
  });

  it('refuses to build a topic from an id that would widen a filter', () => {
    expect(() => deviceTopic('+', 'telemetry')).toThrow(/not a device id/);
    expect(() => deviceTopic('a/b', 'telemetry')).toThrow(/not a device id/);
  });
});

describe('payload schemas', () => {
  it.each(DEVICE_CHANNEL_NAMES)('accepts the documented example on %s', (channel) => {
    const result = DEVICE_CHANNELS[channel].schema.safeParse(EXAMPLE_PAYLOADS[channel]);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('rejects a filling level above 1, an unknown field and a timestamp without offset', () => {
    const telemetry = DEVICE_CHANNELS.telemetry.schema;
    const base = EXAMPLE_PAYLOADS.telemetry;
    const overfull = { ...base, compartments: [{ category: 'paper', fillingLevel: 1.2, weightKg: 1 }] };
    expect(telemetry.safeParse(overfull).success).toBe(false);
    expect(telemetry.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(telemetry.safeParse({ ...base, ts: '2026-11-26T08:10:00' }).success).toBe(false);
  });

  it('requires a SHA-256 resident hash, never a raw resident id', () => {
    const deposit = { ...EXAMPLE_PAYLOADS['event/deposit'], residentHash: 'resident-42' };
    expect(DEVICE_CHANNELS['event/deposit'].schema.safeParse(deposit).success).toBe(false);
  });
});

describe('JSON Schema export for device makers', () => {
  it('matches the committed docs/contracts files (run npm run contracts:export)', () => {
    for (const { file, schema } of contractSchemaDocuments()) {
      const committed = readFileSync(join(import.meta.dirname, '../../../docs/contracts', file), 'utf8');
      expect(JSON.parse(committed), file).toEqual(schema);
    }
  });
});

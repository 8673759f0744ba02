/**
 * Issue 15, device data rules: a reading stamped before the state it would overwrite stays out
 * of the state (events do not), and a box may report only its registry's compartments, once each.
 */
import { describe, expect, it } from 'vitest';
import { emptyDeviceState, type DeviceMessage } from '../../../shared/contracts/index.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import { applyMessage, isStaleReading } from '../../../services/ingest/core/device-state.ts';
import { decodeDeviceMessage, type DecodeResult } from '../../../services/ingest/core/decode.ts';
import { BOX, BOX_2, NOW, collection, deposit, fault, heartbeat, json, lookup, telemetry, topic } from './fixtures.ts';

const msg = (channel: string, payload: unknown) => ({ deviceId: 'box-0001', channel, payload }) as DeviceMessage;
const at = (ms: number) => new Date(ms).toISOString();
const fills = (paper: number) => [
  { category: 'paper', fillingLevel: paper, weightKg: 10 },
  { category: 'plastic', fillingLevel: 0.1, weightKg: 1 },
];

describe('stale readings (core/device-state.ts)', () => {
  const current = applyMessage(emptyDeviceState(), msg('telemetry', telemetry(NOW, { compartments: fills(0.2) })), NOW);

  it('a telemetry stamped 2 h before the state leaves its data alone but shows the device is up', () => {
    const old = msg('telemetry', telemetry(NOW - 2 * HOUR_MS, { compartments: fills(0.96), temperatureC: 80 }));
    expect(isStaleReading(current, old)).toBe(true);
    const after = applyMessage(current, old, NOW + 60_000);
    expect(after).toEqual({ ...current, lastSeen: at(NOW + 60_000), messagesReceived: 2 });
    expect(after.maxFillingLevel).toBe(0.2);
    expect(after.readingAt).toBe(at(NOW));
  });

  it('a newer reading (or one at the same instant) still replaces the state and moves readingAt', () => {
    const later = applyMessage(current, msg('telemetry', telemetry(NOW + 1000, { compartments: fills(0.5) })), NOW + 1000);
    expect(later).toMatchObject({ maxFillingLevel: 0.5, readingAt: at(NOW + 1000) });
    expect(isStaleReading(current, msg('telemetry', telemetry(NOW, { compartments: fills(0.3) })))).toBe(false);
  });

  it('a stale heartbeat or timestamped goodbye is stale; the will (no ts) never is', () => {
    const camera = applyMessage(emptyDeviceState(), msg('heartbeat', { ...heartbeat(NOW), streamOk: true }), NOW);
    const oldHeartbeat = msg('heartbeat', { ...heartbeat(NOW - HOUR_MS), streamOk: false });
    expect(applyMessage(camera, oldHeartbeat, NOW + 1).streamOk).toBe(true);
    const oldGoodbye = msg('status', { state: 'offline', ts: at(NOW - HOUR_MS) });
    expect(applyMessage(current, oldGoodbye, NOW + 1).online).toBe(true);
    const will = msg('status', { state: 'offline' });
    expect(isStaleReading(current, will)).toBe(false);
    expect(applyMessage(current, will, NOW + 1)).toMatchObject({ online: false, offlineReason: 'last_will' });
  });

  it('events stamped earlier are never stale: they happened', () => {
    for (const event of [
      msg('event/deposit', deposit('d-1', NOW - 2 * HOUR_MS)),
      msg('event/collection', collection('c-1', NOW - 2 * HOUR_MS)),
      msg('event/fault', fault('f-1', 'tilt', true, NOW - 2 * HOUR_MS)),
    ]) {
      expect(isStaleReading(current, event)).toBe(false);
    }
    expect(applyMessage(current, msg('event/fault', fault('f-1', 'tilt', true, NOW - 2 * HOUR_MS)), NOW).activeFaults).toEqual(['tilt']);
  });

  it('a state from before readingAt existed (null) takes the next reading whatever its time', () => {
    const legacy = { ...current, readingAt: null };
    expect(isStaleReading(legacy, msg('telemetry', telemetry(NOW - 2 * HOUR_MS)))).toBe(false);
  });
});

describe('compartments must match the registry (decode)', () => {
  const options = { lookupDevice: lookup([BOX, BOX_2]), maxFutureSkewMs: 300_000, maxAgeMs: 168 * HOUR_MS };
  const decode = (t: string, payload: unknown): DecodeResult => decodeDeviceMessage(t, json(payload), NOW, options);
  const rejection = (result: DecodeResult) => (result.ok ? 'accepted' : [result.reason, result.detail]);

  it('glass on a paper/plastic box is unknown_compartment, on telemetry, deposits and collections', () => {
    const glass = { category: 'glass', fillingLevel: 0.5, weightKg: 3 };
    expect(rejection(decode(topic(BOX, 'telemetry'), telemetry(NOW, { compartments: [...fills(0.2), glass] })))).toEqual([
      'unknown_compartment',
      'box-0001 has no "glass" compartment (registry: paper, plastic)',
    ]);
    expect(rejection(decode(topic(BOX, 'event/deposit'), deposit('d-1', NOW, 2, 'glass')))[0]).toBe('unknown_compartment');
    const collected = { ...collection('c-1'), compartments: [{ category: 'glass', weightKg: 3 }] };
    expect(rejection(decode(topic(BOX, 'event/collection'), collected))[0]).toBe('unknown_compartment');
    // The same message from a box that has glass is fine.
    expect(decode(topic(BOX_2, 'telemetry'), telemetry(NOW, { compartments: [...fills(0.2), glass] })).ok).toBe(true);
  });

  it('the same compartment twice (or eight times) in one message is repeated_compartment', () => {
    const eight = Array.from({ length: 8 }, () => ({ category: 'paper', fillingLevel: 0.96, weightKg: 10 }));
    expect(rejection(decode(topic(BOX, 'telemetry'), telemetry(NOW, { compartments: eight })))).toEqual([
      'repeated_compartment',
      'compartment "paper" reported 8 times in one message',
    ]);
    const twice = { ...collection('c-2'), compartments: [{ category: 'plastic', weightKg: 3 }, { category: 'plastic', weightKg: 4 }] };
    expect(rejection(decode(topic(BOX, 'event/collection'), twice))[0]).toBe('repeated_compartment');
  });

  it('a subset of the registry compartments is fine (a collection empties some)', () => {
    const some = { ...collection('c-3'), compartments: [{ category: 'plastic', weightKg: 3 }] };
    expect(decode(topic(BOX, 'event/collection'), some).ok).toBe(true);
    expect(decode(topic(BOX, 'telemetry'), telemetry(NOW, { compartments: [fills(0.2)[0]] })).ok).toBe(true);
  });

  it('a box registered without compartments has none to report', () => {
    const bare = { ...BOX, id: 'box-0009', compartments: [] };
    const result = decodeDeviceMessage(topic(bare, 'event/deposit'), json(deposit('d-9')), NOW, { ...options, lookupDevice: lookup([bare]) });
    expect(rejection(result)).toEqual(['unknown_compartment', 'box-0009 has no "paper" compartment (registry: none)']);
  });
});

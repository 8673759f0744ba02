import { describe, expect, it } from 'vitest';
import { DeviceState, emptyDeviceState, type DeviceMessage } from '../../../shared/contracts/index.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import {
  applyConnection,
  applyMessage,
  markOfflineAfterRestart,
} from '../../../services/ingest/core/device-state.ts';
import { NOW, collection, deposit, fault, heartbeat, telemetry } from './fixtures.ts';

const msg = (channel: string, payload: unknown) => ({ deviceId: 'box-0001', channel, payload }) as DeviceMessage;
const at = (ms: number) => new Date(ms).toISOString();

describe('device state', () => {
  it('starts empty, offline, and matches the API contract', () => {
    const state = emptyDeviceState();
    expect(state).toMatchObject({ online: false, lastSeen: null, messagesReceived: 0, activeFaults: [] });
    expect(DeviceState.parse(state)).toEqual(state);
  });

  it('telemetry fills the box fields and marks the device online', () => {
    const state = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW + 500);
    expect(state).toEqual({
      ...emptyDeviceState(),
      online: true,
      lastSeen: at(NOW + 500),
      statusChangedAt: at(NOW + 500),
      compartments: telemetry().compartments,
      maxFillingLevel: 0.85,
      temperatureC: 21.5,
      powerSource: 'battery',
      batteryPercent: 76,
      lid: 'closed',
      containerStatus: 'ok',
      rssiDbm: -71,
      messagesReceived: 1,
    });
    expect(DeviceState.parse(state)).toEqual(state);
  });

  it('does not mutate the state it was given', () => {
    const before = emptyDeviceState();
    const copy = structuredClone(before);
    applyMessage(before, msg('event/fault', fault('f-1', 'tilt', true)), NOW);
    expect(before).toEqual(copy);
  });

  it('a later telemetry replaces the previous values; mains power clears the battery', () => {
    let state = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    state = applyMessage(
      state,
      msg('telemetry', telemetry(NOW + 60_000, { power: { source: 'mains' }, lid: 'open', status: 'lidOpen' })),
      NOW + 60_000,
    );
    expect(state).toMatchObject({ batteryPercent: null, powerSource: 'mains', lid: 'open', containerStatus: 'lidOpen', messagesReceived: 2 });
    // Online did not change, so neither did statusChangedAt.
    expect(state.statusChangedAt).toBe(at(NOW));
    expect(state.lastSeen).toBe(at(NOW + 60_000));
  });

  it('heartbeat sets the camera fields', () => {
    const state = applyMessage(emptyDeviceState(), msg('heartbeat', { ...heartbeat(), streamOk: false, frameRate: 0 }), NOW);
    expect(state).toMatchObject({ streamOk: false, frameRate: 0, uptimeS: 86_400, online: true });
  });

  it('fault events raise and clear active faults, without duplicates', () => {
    let state = emptyDeviceState();
    state = applyMessage(state, msg('event/fault', fault('f-1', 'tilt', true)), NOW);
    state = applyMessage(state, msg('event/fault', fault('f-2', 'tamper', true)), NOW);
    state = applyMessage(state, msg('event/fault', fault('f-3', 'tilt', true)), NOW);
    expect(state.activeFaults).toEqual(['tamper', 'tilt']);
    state = applyMessage(state, msg('event/fault', fault('f-4', 'tamper', false)), NOW);
    expect(state.activeFaults).toEqual(['tilt']);
    state = applyMessage(state, msg('event/fault', fault('f-5', 'overheat', false)), NOW);
    expect(state.activeFaults).toEqual(['tilt']);
  });

  it('events only count and refresh lastSeen', () => {
    let state = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const before = state;
    state = applyMessage(state, msg('event/deposit', deposit('d-1')), NOW + 1000);
    state = applyMessage(state, msg('event/collection', collection('c-1')), NOW + 2000);
    expect(state).toEqual({ ...before, lastSeen: at(NOW + 2000), messagesReceived: 3 });
  });

  it('status online/offline sets online and statusChangedAt', () => {
    let state = applyMessage(emptyDeviceState(), msg('status', { state: 'online' }), NOW);
    expect(state).toMatchObject({ online: true, statusChangedAt: at(NOW), lastSeen: at(NOW) });
    state = applyMessage(state, msg('status', { state: 'offline' }), NOW + 5000);
    expect(state).toMatchObject({ online: false, statusChangedAt: at(NOW + 5000), lastSeen: at(NOW + 5000), messagesReceived: 2 });
  });

  it('any valid message after the last will brings the device back online', () => {
    let state = applyMessage(emptyDeviceState(), msg('status', { state: 'offline' }), NOW);
    expect(state.online).toBe(false);
    state = applyMessage(state, msg('event/deposit', deposit('d-1')), NOW + 1000);
    expect(state).toMatchObject({ online: true, statusChangedAt: at(NOW + 1000) });
  });

  it('a closed connection marks the device offline and keeps lastSeen; reopening brings it back', () => {
    const seen = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const closed = applyConnection(seen, false, NOW + 10_000);
    expect(closed).toEqual({ ...seen, online: false, statusChangedAt: at(NOW + 10_000) });
    expect(closed.messagesReceived).toBe(1);
    const reopened = applyConnection(closed, true, NOW + 20_000);
    expect(reopened).toMatchObject({ online: true, statusChangedAt: at(NOW + 20_000), lastSeen: at(NOW) });
  });

  it('a connection event that changes nothing returns the same object', () => {
    const offline = emptyDeviceState();
    expect(applyConnection(offline, false, NOW)).toBe(offline);
  });

  it('after a restart every device is offline, lastSeen kept', () => {
    const online = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const restarted = markOfflineAfterRestart(online, NOW + HOUR_MS);
    expect(restarted).toEqual({ ...online, online: false, statusChangedAt: at(NOW + HOUR_MS) });
  });
});

import { describe, expect, it } from 'vitest';
import { DeviceState, emptyDeviceState, type DeviceMessage } from '../../../shared/contracts/index.ts';
import { HOUR_MS } from '../../../shared/units.ts';
import {
  applyConnection,
  applyMessage,
  markOfflineAfterRestart,
  markSilent,
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
      readingAt: at(NOW),
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
    expect(state.offlineReason).toBe('last_will');
  });

  it('any valid message after the last will brings the device back online', () => {
    let state = applyMessage(emptyDeviceState(), msg('status', { state: 'offline' }), NOW);
    expect(state.online).toBe(false);
    state = applyMessage(state, msg('event/deposit', deposit('d-1')), NOW + 1000);
    expect(state).toMatchObject({ online: true, statusChangedAt: at(NOW + 1000) });
  });

  it('a closed connection marks the device offline with its reason and keeps lastSeen; reopening clears the reason', () => {
    const seen = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const closed = applyConnection(seen, false, 'last_will', NOW + 10_000);
    expect(closed).toEqual({ ...seen, online: false, statusChangedAt: at(NOW + 10_000), offlineReason: 'last_will' });
    expect(closed.messagesReceived).toBe(1);
    const reopened = applyConnection(closed, true, null, NOW + 20_000);
    expect(reopened).toMatchObject({ online: true, statusChangedAt: at(NOW + 20_000), lastSeen: at(NOW), offlineReason: null });
    expect(DeviceState.parse(closed)).toEqual(closed);
  });

  it('a connection event that changes nothing returns the same object', () => {
    const offline = emptyDeviceState();
    expect(applyConnection(offline, false, null, NOW)).toBe(offline);
    const dropped = applyConnection(applyConnection(offline, true, null, NOW), false, 'keepalive_timeout', NOW + 1);
    expect(applyConnection(dropped, false, 'clean_disconnect', NOW + 2)).toBe(dropped);
  });

  it('the first reason of an outage stands: the will arriving after the broker reported the drop keeps it', () => {
    const up = applyConnection(emptyDeviceState(), true, null, NOW);
    const timedOut = applyConnection(up, false, 'keepalive_timeout', NOW + 90_000);
    const willArrived = applyMessage(timedOut, msg('status', { state: 'offline' }), NOW + 90_050);
    expect(willArrived).toMatchObject({ online: false, offlineReason: 'keepalive_timeout', statusChangedAt: at(NOW + 90_000) });
    expect(willArrived.lastSeen).toBe(at(NOW + 90_050));
  });

  it('a keep-alive expiry reported after its will was applied names the outage keepalive_timeout', () => {
    const up = applyConnection(emptyDeviceState(), true, null, NOW);
    const willFirst = applyMessage(up, msg('status', { state: 'offline' }), NOW + 90_000);
    const timedOut = applyConnection(willFirst, false, 'keepalive_timeout', NOW + 90_010);
    expect(timedOut).toMatchObject({ online: false, offlineReason: 'keepalive_timeout', statusChangedAt: at(NOW + 90_000) });
  });

  it("an offline status is the device's goodbye when it carries a timestamp, its will when not", () => {
    const up = applyMessage(emptyDeviceState(), msg('status', { state: 'online' }), NOW);
    const goodbye = applyMessage(up, msg('status', { state: 'offline', ts: '2026-11-26T10:05:00+08:00' }), NOW + 5000);
    expect(goodbye).toMatchObject({ online: false, offlineReason: 'clean_disconnect', statusChangedAt: at(NOW + 5000) });
    const will = applyMessage(up, msg('status', { state: 'offline' }), NOW + 5000);
    expect(will).toMatchObject({ online: false, offlineReason: 'last_will', statusChangedAt: at(NOW + 5000) });
  });

  it('a silent device reads offline from when its timeout ran out; any message brings it back', () => {
    const up = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const silent = markSilent(up, NOW + 15 * 60_000);
    expect(silent).toEqual({ ...up, online: false, offlineReason: 'silent', statusChangedAt: at(NOW + 15 * 60_000) });
    expect(markSilent(silent, NOW + 16 * 60_000)).toBe(silent);
    const back = applyMessage(silent, msg('event/deposit', deposit('d-1')), NOW + HOUR_MS);
    expect(back).toMatchObject({ online: true, offlineReason: null, statusChangedAt: at(NOW + HOUR_MS) });
  });

  it('silence does not override a known reason, nor date an outage before the device last came online', () => {
    const dropped = applyConnection(emptyDeviceState(), false, 'clean_disconnect', NOW);
    const cleanly = applyConnection(applyConnection(dropped, true, null, NOW), false, 'clean_disconnect', NOW + 1000);
    expect(markSilent(cleanly, NOW + HOUR_MS)).toBe(cleanly);
    const reconnected = applyConnection(cleanly, true, null, NOW + 2 * HOUR_MS);
    expect(markSilent(reconnected, NOW + HOUR_MS)).toMatchObject({ offlineReason: 'silent', statusChangedAt: at(NOW + 2 * HOUR_MS) });
  });

  it('after a restart every device is offline, lastSeen kept; no reason until one is known', () => {
    const online = applyMessage(emptyDeviceState(), msg('telemetry', telemetry()), NOW);
    const restarted = markOfflineAfterRestart(online, NOW + HOUR_MS);
    expect(restarted).toEqual({ ...online, online: false, statusChangedAt: at(NOW + HOUR_MS), offlineReason: null });
    // The inactivity check later names it silent; the outage still began at the restart.
    expect(markSilent(restarted, NOW + 2 * HOUR_MS)).toMatchObject({ offlineReason: 'silent', statusChangedAt: at(NOW + HOUR_MS) });
    const willed = applyConnection(online, false, 'last_will', NOW + 1000);
    expect(markOfflineAfterRestart(willed, NOW + HOUR_MS)).toBe(willed);
  });
});

/** The observer login (username `api` + API token): pure access rules. */
import { describe, expect, it } from 'vitest';
import type { DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';
import {
  checkConnect,
  checkPublish,
  checkSubscribe,
  connectReturnCode,
  type ObserverAuthenticator,
  type Verdict,
} from '../../../services/broker/core/access.ts';

const devices: DeviceAuthenticator = {
  kindOf: (id) => (id === 'box-0001' ? 'box' : undefined),
  verifySecret: (id, secret) => id === 'box-0001' && secret === 'box-secret',
};
const observers: ObserverAuthenticator = { verify: (token) => (token === 'bp_good' ? { role: 'manager' } : undefined) };
const limits = { maxTopicLevels: 8, maxPayloadBytes: 1024 };
const observer = { id: 'observer-dashboard', kind: 'observer' as const };
const reasonOf = (v: { ok: boolean; reason?: string }) => (v.ok ? 'ok' : v.reason);
const good = { clientId: 'observer-dashboard', username: 'api', password: 'bp_good' };

describe('observer CONNECT', () => {
  it('lets a valid API token in as an observer with its client id', () => {
    expect(checkConnect(good, devices, limits, observers)).toEqual({ ok: true, observer });
  });

  it('accepts a boolean verifier too', () => {
    expect(checkConnect(good, devices, limits, { verify: () => true }).ok).toBe(true);
  });

  it('refuses an unknown token (CONNACK 4) and a missing one', () => {
    const bad = checkConnect({ ...good, password: 'bp_revoked' }, devices, limits, observers);
    expect(reasonOf(bad)).toBe('bad_token');
    expect(connectReturnCode('bad_token')).toBe(4);
    expect(reasonOf(checkConnect({ ...good, password: undefined }, devices, limits, observers))).toBe('missing_credentials');
    expect(reasonOf(checkConnect({ ...good, password: '' }, devices, limits, observers))).toBe('missing_credentials');
  });

  it("refuses a device's id as client id, so an observer cannot take over a device session (CONNACK 2)", () => {
    const verdict = checkConnect({ ...good, clientId: 'box-0001' }, devices, limits, observers);
    expect(reasonOf(verdict)).toBe('client_id_mismatch');
  });

  it('checks the token before the client id: strangers learn nothing about device ids', () => {
    const verdict = checkConnect({ ...good, clientId: 'box-0001', password: 'bp_wrong' }, devices, limits, observers);
    expect(reasonOf(verdict)).toBe('bad_token');
  });

  it('refuses a last will and a persistent session', () => {
    const will = { topic: 'binpulse/alerts/v1/x', payloadBytes: 1, retain: false };
    expect(reasonOf(checkConnect({ ...good, will }, devices, limits, observers))).toBe('read_only');
    expect(connectReturnCode('read_only')).toBe(5);
    expect(reasonOf(checkConnect({ ...good, cleanSession: false }, devices, limits, observers))).toBe('persistent_session');
    expect(checkConnect({ ...good, cleanSession: true }, devices, limits, observers).ok).toBe(true);
  });

  it('without an observer authenticator, `api` is just an unknown device', () => {
    expect(reasonOf(checkConnect(good, devices, limits))).toBe('unknown_device');
  });

  it('leaves device logins unchanged when observers are enabled', () => {
    const verdict = checkConnect({ clientId: 'box-0001', username: 'box-0001', password: 'box-secret' }, devices, limits, observers);
    expect(verdict).toEqual({ ok: true, device: { id: 'box-0001', kind: 'box' } });
    // An API token is no device secret.
    expect(reasonOf(checkConnect({ clientId: 'box-0001', username: 'box-0001', password: 'bp_good' }, devices, limits, observers))).toBe(
      'bad_secret',
    );
  });
});

describe('observer PUBLISH', () => {
  it.each(['binpulse/alerts/v1/fire_risk/alt_1', 'binpulse/v1/box-0001/telemetry', 'anything'])('refuses %s', (topic) => {
    expect(reasonOf(checkPublish(observer, { topic, payloadBytes: 2, retain: false }, limits))).toBe('read_only');
  });
});

describe('observer SUBSCRIBE', () => {
  it.each([
    'binpulse/alerts/v1/#',
    'binpulse/alerts/v1/fire_risk/#',
    'binpulse/alerts/v1/+/alt_0001',
    'binpulse/alerts/v1/bin_full/+',
    'binpulse/alerts/v1/area_outage/alt_7',
  ])('allows %s', (filter) => {
    expect(checkSubscribe(observer, filter)).toEqual({ ok: true } satisfies Verdict);
  });

  it.each([
    '#',
    '+/#',
    'binpulse/#',
    'binpulse/+/v1/#',
    'binpulse/alerts/#',
    'binpulse/alerts/v1',
    'binpulse/v1/box-0001/command',
    'binpulse/v1/+/telemetry',
    '$SYS/#',
    'binpulse/alerts/v1/#/x',
    'binpulse/alerts/v1/fire#',
    'binpulse/alerts/v1/a+/b',
  ])('refuses %s', (filter) => {
    expect(reasonOf(checkSubscribe(observer, filter))).toBe('forbidden_subscription');
  });

  it('a device identity (object or id) keeps the device rule', () => {
    expect(checkSubscribe({ id: 'box-0001', kind: 'box' }, 'binpulse/v1/box-0001/command').ok).toBe(true);
    expect(reasonOf(checkSubscribe({ id: 'box-0001', kind: 'box' }, 'binpulse/alerts/v1/#'))).toBe('forbidden_subscription');
    expect(reasonOf(checkSubscribe('box-0001', 'binpulse/alerts/v1/#'))).toBe('forbidden_subscription');
  });
});

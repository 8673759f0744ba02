/** The vehicle login (vehicle id + secret, issue 13): pure access rules. */
import { describe, expect, it } from 'vitest';
import type { DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';
import {
  checkConnect,
  checkPublish,
  checkSubscribe,
  connectReturnCode,
  type ObserverAuthenticator,
  type VehicleAuthenticator,
} from '../../../services/broker/core/access.ts';

const devices: DeviceAuthenticator = {
  kindOf: (id) => (id === 'box-0001' ? 'box' : undefined),
  verifySecret: (id, secret) => id === 'box-0001' && secret === 'box-secret',
};
const vehicleSecrets: Record<string, string> = { 'truck-01': 'truck-01-secret', 'truck-02': 'truck-02-secret' };
const vehicles: VehicleAuthenticator = {
  getVehicle: (id) => (Object.hasOwn(vehicleSecrets, id) ? { id } : undefined),
  verifyVehicleSecret: (id, secret) => vehicleSecrets[id] === secret,
};
const observers: ObserverAuthenticator = { verify: (token) => token === 'bp_good' };
const limits = { maxTopicLevels: 8, maxPayloadBytes: 1024 };
const truck = { id: 'truck-01', kind: 'vehicle' as const };
const good = { clientId: 'truck-01', username: 'truck-01', password: 'truck-01-secret' };
const reasonOf = (v: { ok: boolean; reason?: string }) => (v.ok ? 'ok' : v.reason);
const connect = (attempt: Parameters<typeof checkConnect>[0]) => checkConnect(attempt, devices, limits, observers, vehicles);

describe('vehicle CONNECT', () => {
  it('lets a vehicle in with its id as username and client id and its secret', () => {
    expect(connect(good)).toEqual({ ok: true, vehicle: truck });
  });

  it('refuses a wrong secret (CONNACK 4), and a device secret is no vehicle secret', () => {
    expect(reasonOf(connect({ ...good, password: 'truck-02-secret' }))).toBe('bad_secret');
    expect(reasonOf(connect({ ...good, password: 'box-secret' }))).toBe('bad_secret');
    expect(connectReturnCode('bad_secret')).toBe(4);
  });

  it('refuses missing credentials', () => {
    expect(reasonOf(connect({ ...good, password: undefined }))).toBe('missing_credentials');
    expect(reasonOf(connect({ ...good, password: '' }))).toBe('missing_credentials');
    expect(reasonOf(connect({ ...good, username: undefined }))).toBe('missing_credentials');
  });

  it("refuses another client id (CONNACK 2), checked only after the secret", () => {
    expect(reasonOf(connect({ ...good, clientId: 'truck-02' }))).toBe('client_id_mismatch');
    expect(connectReturnCode('client_id_mismatch')).toBe(2);
    expect(reasonOf(connect({ ...good, clientId: 'truck-02', password: 'wrong' }))).toBe('bad_secret');
  });

  it('refuses an id that is neither a device nor a vehicle as unknown_device (CONNACK 4, like a bad secret)', () => {
    const verdict = connect({ clientId: 'truck-99', username: 'truck-99', password: 'x' });
    expect(reasonOf(verdict)).toBe('unknown_device');
    expect(connectReturnCode('unknown_device')).toBe(4);
  });

  it('without a vehicle authenticator a vehicle is an unknown device', () => {
    expect(reasonOf(checkConnect(good, devices, limits, observers))).toBe('unknown_device');
  });

  it('refuses any last will: a vehicle publishes nothing (CONNACK 5)', () => {
    const will = { topic: 'binpulse/v1/truck-01/plan', payloadBytes: 2, retain: false };
    expect(reasonOf(connect({ ...good, will }))).toBe('read_only');
    expect(connectReturnCode('read_only')).toBe(5);
  });

  it('leaves device logins unchanged', () => {
    expect(connect({ clientId: 'box-0001', username: 'box-0001', password: 'box-secret' })).toEqual({
      ok: true,
      device: { id: 'box-0001', kind: 'box' },
    });
  });

  it("refuses an observer using a vehicle's id as client id, so it cannot take over the vehicle's session", () => {
    expect(reasonOf(connect({ clientId: 'truck-01', username: 'api', password: 'bp_good' }))).toBe('client_id_mismatch');
    expect(connect({ clientId: 'observer-x', username: 'api', password: 'bp_good' }).ok).toBe(true);
  });
});

describe('vehicle SUBSCRIBE', () => {
  it('allows exactly its own plan topic', () => {
    expect(checkSubscribe(truck, 'binpulse/v1/truck-01/plan')).toEqual({ ok: true });
  });

  it.each([
    ['another vehicle’s plan', 'binpulse/v1/truck-02/plan'],
    ['a wildcard over every plan', 'binpulse/v1/+/plan'],
    ['a wildcard under its own id', 'binpulse/v1/truck-01/#'],
    ['everything', '#'],
    ['a device command topic', 'binpulse/v1/box-0001/command'],
    ['its own id on the command channel', 'binpulse/v1/truck-01/command'],
    ['the alert topics', 'binpulse/alerts/v1/#'],
  ])('refuses %s (%s)', (_what, topic) => {
    expect(reasonOf(checkSubscribe(truck, topic))).toBe('forbidden_subscription');
  });

  it('a device still gets only its command topic, not a plan topic', () => {
    expect(reasonOf(checkSubscribe('box-0001', 'binpulse/v1/box-0001/plan'))).toBe('forbidden_subscription');
  });
});

describe('vehicle PUBLISH', () => {
  it.each([
    'binpulse/v1/truck-01/plan',
    'binpulse/v1/truck-01/status',
    'binpulse/v1/box-0001/telemetry',
    'binpulse/alerts/v1/x',
  ])('refuses %s as read_only', (topic) => {
    expect(reasonOf(checkPublish(truck, { topic, payloadBytes: 2, retain: false }, limits))).toBe('read_only');
    expect(reasonOf(checkPublish(truck, { topic, payloadBytes: 2, retain: true }, limits))).toBe('read_only');
  });
});

/** The mutual-TLS login rule (issue 15) in the access core: certificate instead of password. */
import { describe, expect, it } from 'vitest';
import { checkConnect, connectReturnCode, type ConnectAttempt, type PeerCertificate } from '../../../services/broker/core/access.ts';
import type { CertificateStatus, DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';

const limits = { maxTopicLevels: 8, maxPayloadBytes: 16_384 };
const CURRENT = 'aa'.repeat(32);
const REVOKED = 'bb'.repeat(32);

const devices: DeviceAuthenticator = {
  kindOf: (id) => (id === 'box-0001' || id === 'box-0002' ? 'box' : undefined),
  verifySecret: (id, secret) => id === 'box-0001' && secret === 's3cret',
  certificateStatus: (id, fingerprint): CertificateStatus =>
    id === 'box-0001' && fingerprint === CURRENT ? 'current' : id === 'box-0001' && fingerprint === REVOKED ? 'revoked' : 'unknown',
};

const cert = (extra: Partial<PeerCertificate> = {}): PeerCertificate => ({ authorized: true, fingerprint: CURRENT, names: ['box-0001'], ...extra });
const attempt = (extra: Partial<ConnectAttempt> = {}): ConnectAttempt => ({ clientId: 'box-0001', username: 'box-0001', certificate: cert(), ...extra });
const reason = (a: ConnectAttempt, authenticator = devices) => {
  const verdict = checkConnect(a, authenticator, limits);
  return verdict.ok ? 'ok' : verdict.reason;
};

describe('certificate login (no password)', () => {
  it("accepts the device's current certificate with username = device id, or an empty username", () => {
    expect(checkConnect(attempt(), devices, limits)).toEqual({ ok: true, device: { id: 'box-0001', kind: 'box' } });
    expect(reason(attempt({ username: undefined }))).toBe('ok');
    expect(reason(attempt({ username: '' }))).toBe('ok');
  });

  it('refuses a certificate the device CA did not sign, one naming another device, or not the one recorded', () => {
    expect(reason(attempt({ certificate: cert({ authorized: false }) }))).toBe('bad_certificate');
    expect(reason(attempt({ clientId: 'box-0002', username: 'box-0002' }))).toBe('bad_certificate');
    expect(reason(attempt({ certificate: cert({ fingerprint: 'cc'.repeat(32) }) }))).toBe('bad_certificate');
  });

  it('refuses a revoked certificate with its own reason, answered as bad credentials (CONNACK 4)', () => {
    expect(reason(attempt({ certificate: cert({ fingerprint: REVOKED }) }))).toBe('certificate_revoked');
    expect(connectReturnCode('certificate_revoked')).toBe(4);
    expect(connectReturnCode('bad_certificate')).toBe(4);
  });

  it('still requires the client id to be the device id, and checks the last will', () => {
    expect(reason(attempt({ clientId: 'someone-else' }))).toBe('client_id_mismatch');
    expect(reason(attempt({ will: { topic: 'binpulse/v1/box-0002/status', payloadBytes: 10, retain: true } }))).toBe('foreign_topic');
  });

  it('is unknown_device for an id not provisioned, and bad_certificate when the registry keeps no certificates', () => {
    const named = cert({ names: ['box-9999'] });
    expect(reason(attempt({ clientId: 'box-9999', username: 'box-9999', certificate: named }))).toBe('unknown_device');
    const { certificateStatus: _, ...withoutCertificates } = devices;
    expect(reason(attempt(), withoutCertificates)).toBe('bad_certificate');
  });

  it('a SAN naming the device counts as the CN does', () => {
    expect(reason(attempt({ certificate: cert({ names: ['Some CN', 'box-0001'] }) }))).toBe('ok');
  });

  it('with a password the certificate is ignored: the secret decides', () => {
    expect(reason(attempt({ password: 's3cret', certificate: cert({ authorized: false }) }))).toBe('ok');
    expect(reason(attempt({ password: 'wrong' }))).toBe('bad_secret');
  });

  it('without certificate and password it is missing_credentials, as before', () => {
    expect(reason(attempt({ certificate: undefined }))).toBe('missing_credentials');
  });
});

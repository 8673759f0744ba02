/** What the local CA issues (services/tls/core/certificates.ts), and that the x509 adapter makes it so. */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../../../services/tls/adapters/x509.ts';
import { caPlan, DAY_MS, deviceClientPlan, fingerprintOf, parseHostnames, peerNames, serverPlan } from '../../../services/tls/core/certificates.ts';

const NOW = Date.parse('2026-12-06T08:00:00Z');

describe('certificate plans', () => {
  it('splits TLS_HOSTNAMES into DNS names and IP addresses, trimmed and without duplicates', () => {
    expect(parseHostnames(' localhost, 127.0.0.1,bins.example.org,::1,localhost ')).toEqual({
      dnsNames: ['localhost', 'bins.example.org'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
  });

  it('refuses a name that is neither a host name nor an address, naming it', () => {
    expect(() => parseHostnames('localhost,bad name')).toThrow(/TLS_HOSTNAMES: .*bad name/);
    expect(() => parseHostnames(' , ')).toThrow(/TLS_HOSTNAMES/);
  });

  it('server: CN the first DNS name, every name a SAN, 825 days, backdated an hour', () => {
    const plan = serverPlan(parseHostnames('127.0.0.1,bins.example.org'), NOW);
    expect(plan).toMatchObject({ usage: 'server', commonName: 'bins.example.org', dnsNames: ['bins.example.org'], ipAddresses: ['127.0.0.1'] });
    expect(plan.notAfter.getTime() - NOW).toBe(825 * DAY_MS);
    expect(NOW - plan.notBefore.getTime()).toBe(60 * 60 * 1000);
  });

  it('device: the device id as CN, client usage', () => {
    expect(deviceClientPlan('box-0001', NOW)).toMatchObject({ usage: 'client', commonName: 'box-0001', dnsNames: [] });
  });

  it("peer names: CN (one or several) and the DNS entries of Node's subjectaltname", () => {
    expect(peerNames('box-0001', undefined)).toEqual(['box-0001']);
    expect(peerNames(['a', 'b'], 'DNS:c, IP Address:1.2.3.4, DNS:d')).toEqual(['a', 'b', 'c', 'd']);
    expect(peerNames(undefined, undefined)).toEqual([]);
  });
});

describe('x509 adapter', () => {
  it('issues EC P-256 certificates that verify against the CA, with the planned names and usage', async () => {
    const ca = await createCa(caPlan(NOW, 'test'));
    const server = await issueCertificate(ca, serverPlan(parseHostnames('localhost,127.0.0.1'), NOW));
    const device = await issueCertificate(ca, deviceClientPlan('box-0001', NOW));
    const caCert = new X509Certificate(ca.certPem);
    const serverCert = new X509Certificate(server.certPem);
    const deviceCert = new X509Certificate(device.certPem);
    expect(caCert.ca).toBe(true);
    expect(serverCert.verify(caCert.publicKey)).toBe(true);
    expect(deviceCert.verify(caCert.publicKey)).toBe(true);
    expect(serverCert.ca).toBe(false);
    expect(serverCert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(serverCert.checkHost('localhost')).toBe('localhost');
    expect(serverCert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(deviceCert.subject).toBe('CN=box-0001');
    expect(deviceCert.keyUsage).toContain('1.3.6.1.5.5.7.3.2'); // clientAuth
    expect(serverCert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(fingerprintOf(device.der)).toBe(deviceCert.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(device.keyPem).toContain('BEGIN PRIVATE KEY');
  });
});

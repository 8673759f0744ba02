/**
 * What the local CA issues (issue 15): names, validity and usage of the CA, the server
 * certificate and device client certificates, decided here with the time passed in; the
 * adapters (../adapters/x509.ts, ../adapters/local-ca.ts) make the keys and write the files.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** Backdated a little so a device whose clock is slightly behind still accepts a fresh certificate. */
const BACKDATE_MS = 60 * 60 * 1000;
const CA_DAYS = 10 * 365;
/** 825 days: the most that Apple's TLS clients still accept for a server certificate. */
const SERVER_DAYS = 825;
const DEVICE_DAYS = 825;

export type CertificateUsage = 'ca' | 'server' | 'client';

export interface CertificatePlan {
  usage: CertificateUsage;
  /** Subject common name. */
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
}

export interface Hostnames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** TLS_HOSTNAMES ("localhost,127.0.0.1,bins.example.org"): DNS names and IP addresses apart, duplicates dropped. */
export function parseHostnames(list: string): Hostnames {
  const names = [...new Set(list.split(',').map((name) => name.trim()).filter((name) => name.length > 0))];
  const invalid = names.filter((name) => isIP(name) === 0 && !/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(name));
  if (invalid.length > 0) throw new Error(`TLS_HOSTNAMES: not a host name or IP address: ${invalid.join(', ')}`);
  if (names.length === 0) throw new Error('TLS_HOSTNAMES: at least one name is needed');
  return { dnsNames: names.filter((name) => isIP(name) === 0), ipAddresses: names.filter((name) => isIP(name) !== 0) };
}

function validity(now: number, days: number): Pick<CertificatePlan, 'notBefore' | 'notAfter'> {
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

export function caPlan(now: number, label: string): CertificatePlan {
  return { usage: 'ca', commonName: `BinPulse local CA ${label}`, dnsNames: [], ipAddresses: [], ...validity(now, CA_DAYS) };
}

export function serverPlan(hostnames: Hostnames, now: number): CertificatePlan {
  const commonName = hostnames.dnsNames[0] ?? hostnames.ipAddresses[0]!;
  return { usage: 'server', commonName, ...hostnames, ...validity(now, SERVER_DAYS) };
}

/** The device id is the CN (what the broker matches); no SAN, as a device id need not be a DNS name. */
export function deviceClientPlan(deviceId: string, now: number): CertificatePlan {
  return { usage: 'client', commonName: deviceId, dnsNames: [], ipAddresses: [], ...validity(now, DEVICE_DAYS) };
}

/** SHA-256 of the DER certificate, lowercase hex: what the registry records and the broker compares. */
export function fingerprintOf(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * The names a peer certificate gives for itself: subject CN (a string, or several) and the
 * DNS entries of Node's `subjectaltname` text ("DNS:a, DNS:b, IP Address:1.2.3.4").
 */
export function peerNames(commonName: string | string[] | undefined, subjectAltName: string | undefined): string[] {
  const names = commonName === undefined ? [] : Array.isArray(commonName) ? [...commonName] : [commonName];
  for (const entry of (subjectAltName ?? '').split(', ')) {
    if (entry.startsWith('DNS:')) names.push(entry.slice(4));
  }
  return names;
}

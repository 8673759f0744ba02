/**
 * Makes EC P-256 keys and X.509 certificates from a CertificatePlan (../core/certificates.ts)
 * with @peculiar/x509 over Node's WebCrypto: a key pair and a certificate take milliseconds,
 * so a platform can make its local CA at first start (tests start many).
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { CertificatePlan } from '../core/certificates.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** DER bytes of the certificate (for its fingerprint). */
  der: Uint8Array;
}

/** The CA that signs: its certificate and private key as PEM. */
export interface SigningCa {
  certPem: string;
  keyPem: string;
}

/** RFC 4514 escaping of a CN value (device ids and host names rarely need it). */
function commonNameDn(value: string): string {
  return `CN=${value.replace(/[\\,+"<>;=#]/g, (c) => `\\${c}`)}`;
}

/** 16 random bytes with the top bit clear: a positive serial number, unique in practice. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function keyPemOf(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function extensionsFor(plan: CertificatePlan): x509.Extension[] {
  if (plan.usage === 'ca') {
    return [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ];
  }
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([plan.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
  ];
  const names = [
    ...plan.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...plan.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  return extensions;
}

/** A self-signed CA certificate and its key. */
export async function createCa(plan: CertificatePlan): Promise<IssuedCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: commonNameDn(plan.commonName),
    notBefore: plan.notBefore,
    notAfter: plan.notAfter,
    keys: keys as CryptoKeyPair,
    signingAlgorithm: ALGORITHM,
    extensions: [...extensionsFor(plan), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey)],
  });
  return { certPem: cert.toString('pem'), keyPem: keyPemOf(keys.privateKey), der: new Uint8Array(cert.rawData) };
}

/** A new key pair and a certificate for it signed by the CA. */
export async function issueCertificate(ca: SigningCa, plan: CertificatePlan): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKeyDer = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, ALGORITHM, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: commonNameDn(plan.commonName),
    issuer: caCert.subject,
    notBefore: plan.notBefore,
    notAfter: plan.notAfter,
    signingKey: signingKey as CryptoKey,
    publicKey: keys.publicKey as CryptoKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      ...extensionsFor(plan),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: keyPemOf(keys.privateKey), der: new Uint8Array(cert.rawData) };
}

/** DER bytes of the first certificate in a PEM text. */
export function certificateDer(pem: string): Uint8Array {
  return new Uint8Array(new x509.X509Certificate(pem).rawData);
}

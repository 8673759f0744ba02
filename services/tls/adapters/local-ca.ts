/**
 * The local CA in DATA_DIR/tls (issue 15): at first start (or `npm run certs`) a CA
 * (ca.crt, ca.key) and a server certificate (server.crt, server.key) for TLS_HOSTNAMES.
 * Later starts reuse them; the server certificate is made again when TLS_HOSTNAMES no longer
 * matches its names or it expires within 30 days (the running platform reloads it from the
 * file). Keys are written 0600 in a 0700 folder, each file whole (written aside, then renamed).
 */
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caPlan, DAY_MS, parseHostnames, serverPlan, type Hostnames } from '../core/certificates.ts';
import { createCa, issueCertificate, type SigningCa } from './x509.ts';

export interface LocalTlsFiles {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

export function localTlsFiles(dataDir: string): LocalTlsFiles {
  const dir = join(dataDir, 'tls');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
  };
}

export interface LocalCertificates {
  files: LocalTlsFiles;
  /** What this call made: nothing when both were there and still fit. */
  made: { ca: boolean; server: boolean };
}

const RENEW_BEFORE_MS = 30 * DAY_MS;

function writeWhole(path: string, text: string, mode: number): void {
  const aside = `${path}.new`;
  writeFileSync(aside, text, { mode });
  chmodSync(aside, mode); // an existing .new left by a crash keeps its old mode otherwise
  renameSync(aside, path);
}

/** Whether the server certificate names exactly these hosts and is not about to expire. */
function serverCertificateFits(pem: string, hostnames: Hostnames, now: number): boolean {
  try {
    const cert = new X509Certificate(pem);
    const names = new Set((cert.subjectAltName ?? '').split(', ').filter((entry) => entry.length > 0));
    const wanted = [...hostnames.dnsNames.map((n) => `DNS:${n}`), ...hostnames.ipAddresses.map((a) => `IP Address:${a}`)];
    const sameNames = names.size === wanted.length && wanted.every((n) => names.has(n));
    return sameNames && Date.parse(cert.validTo) - now > RENEW_BEFORE_MS;
  } catch {
    return false;
  }
}

export async function ensureLocalCertificates(dataDir: string, hostnameList: string, now: number): Promise<LocalCertificates> {
  const hostnames = parseHostnames(hostnameList);
  const files = localTlsFiles(dataDir);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  const made = { ca: false, server: false };
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    const label = new Date(now).toISOString().slice(0, 10);
    const ca = await createCa(caPlan(now, label));
    writeWhole(files.caKey, ca.keyPem, 0o600);
    writeWhole(files.caCert, ca.certPem, 0o644);
    made.ca = true;
  }
  const serverThere = existsSync(files.serverCert) && existsSync(files.serverKey);
  if (made.ca || !serverThere || !serverCertificateFits(readFileSync(files.serverCert, 'utf8'), hostnames, now)) {
    const server = await issueCertificate(readLocalCa(dataDir), serverPlan(hostnames, now));
    // Key first: a reload that sees the new certificate finds its key already there.
    writeWhole(files.serverKey, server.keyPem, 0o600);
    writeWhole(files.serverCert, server.certPem, 0o644);
    made.server = true;
  }
  return { files, made };
}

/** The local CA for signing device certificates; a clear error when none was made yet. */
export function readLocalCa(dataDir: string): SigningCa {
  const files = localTlsFiles(dataDir);
  if (!existsSync(files.caCert) || !existsSync(files.caKey)) {
    throw new Error(`no local CA in ${files.dir}: run \`npm run certs\` (or start the platform once with TLS on)`);
  }
  return { certPem: readFileSync(files.caCert, 'utf8'), keyPem: readFileSync(files.caKey, 'utf8') };
}

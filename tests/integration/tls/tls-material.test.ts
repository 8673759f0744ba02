/** TlsMaterial (services/tls/adapters/tls-material.ts): the files read, checked and handed on when they change. */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TlsMaterial } from '../../../services/tls/adapters/tls-material.ts';
import { createCa, issueCertificate, type IssuedCertificate } from '../../../services/tls/adapters/x509.ts';
import { caPlan, serverPlan } from '../../../services/tls/core/certificates.ts';

let dir: string;
let logs: Array<{ level: number; msg: string }>;
const logger = () =>
  pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
const files = () => ({ cert: join(dir, 'server.crt'), key: join(dir, 'server.key'), ca: join(dir, 'ca.crt') });
const write = (issued: IssuedCertificate) => {
  writeFileSync(files().key, issued.keyPem);
  writeFileSync(files().cert, issued.certPem);
};

let ca: IssuedCertificate;
const hosts = { dnsNames: ['localhost'], ipAddresses: [] };
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-material-'));
  logs = [];
  ca = await createCa(caPlan(Date.now(), 'test'));
  writeFileSync(files().ca, ca.certPem);
  write(await issueCertificate(ca, serverPlan(hosts, Date.now())));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('TlsMaterial', () => {
  it('refuses to start on files that make no TLS context, naming nothing secret', () => {
    writeFileSync(files().cert, 'garbage');
    expect(() => new TlsMaterial({ files: files(), logger: logger() })).toThrow();
  });

  it('asks device listeners for client certificates only when a CA is set, and never the HTTPS API', () => {
    const withCa = new TlsMaterial({ files: files(), logger: logger() });
    expect(withCa.serverOptions()).toMatchObject({ requestCert: true, rejectUnauthorized: false });
    expect(withCa.serverOptions({ clientCertificates: false }).requestCert).toBeUndefined();
    const { ca: _, ...withoutCa } = files();
    expect(new TlsMaterial({ files: withoutCa, logger: logger() }).serverOptions().requestCert).toBeUndefined();
  });

  it('hands a changed, valid set to its listeners once; keeps the old one for a bad or half-written set', async () => {
    const material = new TlsMaterial({ files: files(), logger: logger() });
    const reloaded: string[] = [];
    material.onReload((context) => reloaded.push(String(context.cert)));
    expect(material.poll()).toBe(false); // unchanged

    const renewed = await issueCertificate(ca, serverPlan(hosts, Date.now() + 1000));
    // Half-written: the new certificate with the old key does not load.
    writeFileSync(files().cert, renewed.certPem);
    expect(material.poll()).toBe(false);
    expect(logs.some((l) => l.msg.includes('new TLS certificate or key rejected'))).toBe(true);
    // Completed: the key follows, and the set loads.
    writeFileSync(files().key, renewed.keyPem);
    expect(material.poll()).toBe(true);
    expect(reloaded).toEqual([renewed.certPem]);
    expect(material.serverOptions().cert).toBe(renewed.certPem);
    expect(material.poll()).toBe(false);

    // A missing file is logged; the set in use stays.
    unlinkSync(files().key);
    expect(material.poll()).toBe(false);
    expect(logs.some((l) => l.msg.includes('TLS files unreadable'))).toBe(true);
    expect(material.serverOptions().key).toBe(renewed.keyPem);
  });
});

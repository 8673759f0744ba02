/** The local CA's files in DATA_DIR/tls (services/tls/adapters/local-ca.ts) and the device certificate columns of the registry. */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { openDatabase } from '../../../services/storage/sqlite.ts';
import { ensureLocalCertificates, readLocalCa } from '../../../services/tls/adapters/local-ca.ts';
import { DAY_MS } from '../../../services/tls/core/certificates.ts';
import { TEST_BOX } from '../../support/devices.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-ca-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const mode = (path: string) => statSync(path).mode & 0o777;
const NOW = Date.now();

describe('local CA files', () => {
  it('are made once, keys 0600 in a 0700 folder, and reused on the next start', async () => {
    const dataDir = tempDir();
    const first = await ensureLocalCertificates(dataDir, 'localhost,127.0.0.1', NOW);
    expect(first.made).toEqual({ ca: true, server: true });
    expect(mode(first.files.dir)).toBe(0o700);
    expect(mode(first.files.caKey)).toBe(0o600);
    expect(mode(first.files.serverKey)).toBe(0o600);
    const cert = readFileSync(first.files.serverCert, 'utf8');
    const again = await ensureLocalCertificates(dataDir, 'localhost,127.0.0.1', NOW + 1000);
    expect(again.made).toEqual({ ca: false, server: false });
    expect(readFileSync(again.files.serverCert, 'utf8')).toBe(cert);
    expect(new X509Certificate(cert).verify(new X509Certificate(readLocalCa(dataDir).certPem).publicKey)).toBe(true);
  });

  it('makes the server certificate again (same CA) when TLS_HOSTNAMES changed or it is about to expire', async () => {
    const dataDir = tempDir();
    const first = await ensureLocalCertificates(dataDir, 'localhost', NOW);
    const ca = readFileSync(first.files.caCert, 'utf8');
    const renamed = await ensureLocalCertificates(dataDir, 'localhost,bins.example.org', NOW);
    expect(renamed.made).toEqual({ ca: false, server: true });
    expect(new X509Certificate(readFileSync(renamed.files.serverCert)).subjectAltName).toBe('DNS:localhost, DNS:bins.example.org');
    const late = await ensureLocalCertificates(dataDir, 'localhost,bins.example.org', NOW + 800 * DAY_MS);
    expect(late.made).toEqual({ ca: false, server: true });
    expect(readFileSync(late.files.caCert, 'utf8')).toBe(ca);
  });

  it('readLocalCa says how to make one when there is none', () => {
    expect(() => readLocalCa(tempDir())).toThrow(/npm run certs/);
  });
});

describe('registry: device certificates', () => {
  it('records one current certificate per device, revokes it, and a new issue replaces a revoked one', () => {
    const db = openDatabase(join(tempDir(), 'binpulse.db'));
    try {
      const registry = new SqliteFleetRegistry(db);
      registry.add(TEST_BOX);
      expect(registry.certificateStatus('box-0001', 'aa')).toBe('unknown');
      expect(registry.revokeCertificate('box-0001')).toBe(false);
      const before = registry.changeMark();
      registry.recordCertificate('box-0001', 'aa');
      expect(registry.changeMark()).not.toBe(before); // this connection's own write moves the mark
      expect(registry.certificateStatus('box-0001', 'aa')).toBe('current');
      expect(registry.certificateStatus('box-0001', 'bb')).toBe('unknown');
      expect(registry.revokeCertificate('box-0001')).toBe(true);
      expect(registry.revokeCertificate('box-0001')).toBe(false);
      expect(registry.certificateStatus('box-0001', 'aa')).toBe('revoked');
      registry.recordCertificate('box-0001', 'bb');
      expect(registry.certificateStatus('box-0001', 'bb')).toBe('current');
      expect(registry.certificateStatus('box-0001', 'aa')).toBe('unknown');
      expect(() => registry.recordCertificate('box-9999', 'cc')).toThrow(/no device/);
    } finally {
      db.close();
    }
  });

  it("another connection's change moves the change mark (what the platform polls)", () => {
    const file = join(tempDir(), 'binpulse.db');
    const platformDb = openDatabase(file);
    const cliDb = openDatabase(file);
    try {
      const platform = new SqliteFleetRegistry(platformDb);
      const cli = new SqliteFleetRegistry(cliDb);
      cli.add(TEST_BOX);
      const before = platform.changeMark();
      expect(platform.changeMark()).toBe(before);
      cli.recordCertificate('box-0001', 'aa');
      expect(platform.changeMark()).not.toBe(before);
      // The platform's busy tables share the file: their writes must not move the mark, or every
      // live session would be re-checked every second under traffic.
      const quiet = platform.changeMark();
      platformDb.exec('CREATE TABLE busy (x); INSERT INTO busy VALUES (1)');
      cliDb.exec('INSERT INTO busy VALUES (2)');
      expect(platform.changeMark()).toBe(quiet);
      cli.rotateSecret('box-0001');
      expect(platform.changeMark()).not.toBe(quiet);
    } finally {
      cliDb.close();
      platformDb.close();
    }
  });
});

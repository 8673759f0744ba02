/** `fleet cert issue|revoke` in-process: files, registry record, and the refusals a user meets. */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFleetRegistry } from '../../../services/fleet/adapters/sqlite-fleet-registry.ts';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE, runFleetCli, runFleetCliAsync, USAGE } from '../../../services/fleet/cli-commands.ts';
import { openDatabase, type SqliteDatabase } from '../../../services/storage/sqlite.ts';
import { ensureLocalCertificates } from '../../../services/tls/adapters/local-ca.ts';
import { fingerprintOf } from '../../../services/tls/core/certificates.ts';
import { TEST_BOX } from '../../support/devices.ts';

describe('fleet cert', () => {
  let dir: string;
  let db: SqliteDatabase;
  let registry: SqliteFleetRegistry;
  let out: string[];
  let err: string[];
  const run = (...argv: string[]) => {
    out = [];
    err = [];
    return runFleetCliAsync(argv, {
      registry,
      config: { DATA_DIR: dir, SIM_SEED: 'cli-test', DISTRICT_UTC_OFFSET_MIN: 480 },
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-cert-'));
    db = openDatabase(path.join(dir, 'binpulse.db'));
    registry = new SqliteFleetRegistry(db);
    registry.add(TEST_BOX);
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('issue writes the certificate and a 0600 key, signed by the local CA, and records its fingerprint', async () => {
    await ensureLocalCertificates(dir, 'localhost', Date.now());
    const outDir = path.join(dir, 'out');
    expect(await run('cert', 'issue', 'box-0001', '--out', outDir)).toBe(EXIT_OK);
    const certPem = fs.readFileSync(path.join(outDir, 'box-0001.crt'), 'utf8');
    expect(fs.statSync(path.join(outDir, 'box-0001.key')).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(certPem);
    expect(cert.subject).toBe('CN=box-0001');
    expect(cert.verify(new X509Certificate(fs.readFileSync(path.join(dir, 'tls', 'ca.crt'))).publicKey)).toBe(true);
    const fingerprint = fingerprintOf(cert.raw);
    expect(out.join('\n')).toContain(`sha256:      ${fingerprint}`);
    expect(registry.certificateStatus('box-0001', fingerprint)).toBe('current');

    expect(await run('cert', 'revoke', 'box-0001')).toBe(EXIT_OK);
    expect(registry.certificateStatus('box-0001', fingerprint)).toBe('revoked');
    expect(await run('cert', 'revoke', 'box-0001')).toBe(EXIT_RUNTIME_ERROR);
    expect(err.join('\n')).toMatch(/has no certificate to revoke/);
  });

  it('says how to make the local CA when there is none, and records nothing', async () => {
    expect(await run('cert', 'issue', 'box-0001')).toBe(EXIT_RUNTIME_ERROR);
    expect(err.join('\n')).toMatch(/no local CA .*npm run certs/);
  });

  it('refuses an unknown device, a missing id and an unknown sub-command as the other commands do', async () => {
    await ensureLocalCertificates(dir, 'localhost', Date.now());
    expect(await run('cert', 'issue', 'box-9999')).toBe(EXIT_RUNTIME_ERROR);
    expect(err.join('\n')).toMatch(/no device "box-9999"/);
    expect(await run('cert', 'issue')).toBe(EXIT_USAGE);
    expect(await run('cert', 'renew', 'box-0001')).toBe(EXIT_USAGE);
    expect(await run('cert')).toBe(EXIT_USAGE);
    expect(await run('cert', '--help')).toBe(EXIT_OK);
    expect(out.join('\n')).toContain('cert issue <id>');
  });

  it('lists the cert commands in the usage; the synchronous entry still runs the others', () => {
    expect(USAGE).toMatch(/cert issue <id> \[--out <dir>\][\s\S]*cert revoke <id>/);
    expect(runFleetCli(['show', 'box-0001'], { registry, config: { DATA_DIR: dir, SIM_SEED: 's', DISTRICT_UTC_OFFSET_MIN: 480 }, out: () => {}, err: () => {} })).toBe(EXIT_OK);
  });
});

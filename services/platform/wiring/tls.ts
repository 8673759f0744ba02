/**
 * TLS for the broker and the API (issue 15): the certificate files named in the config, or
 * the local CA's in DATA_DIR/tls, made at first start; reloaded when they change.
 */
import type { Logger } from 'pino';
import type { Config } from '../../../shared/config.ts';
import { ensureLocalCertificates } from '../../tls/adapters/local-ca.ts';
import { TlsMaterial, type TlsFilePaths } from '../../tls/adapters/tls-material.ts';
import type { Stack } from './stack.ts';

/** Renewed files take effect within this; reading three small files this often costs nothing. */
const RELOAD_POLL_MS = 2000;

export interface PlatformTls {
  material: TlsMaterial;
  files: TlsFilePaths;
  /** Whether the certificate is the local CA's (DATA_DIR/tls), made or reused at this start. */
  localCa: boolean;
}

export async function wireTls(
  config: Pick<Config, 'TLS' | 'TLS_CERT_FILE' | 'TLS_KEY_FILE' | 'TLS_CA_FILE' | 'TLS_HOSTNAMES' | 'DATA_DIR'>,
  ctx: { logger: Logger; now: () => number; stack: Stack },
): Promise<PlatformTls | null> {
  if (!config.TLS) return null;
  const logger = ctx.logger.child({ service: 'tls' });
  let files: TlsFilePaths;
  let localCa = false;
  if (config.TLS_CERT_FILE !== undefined && config.TLS_KEY_FILE !== undefined) {
    files = { cert: config.TLS_CERT_FILE, key: config.TLS_KEY_FILE, ca: config.TLS_CA_FILE };
  } else {
    const local = await ensureLocalCertificates(config.DATA_DIR, config.TLS_HOSTNAMES, ctx.now());
    if (local.made.ca || local.made.server) logger.info({ dir: local.files.dir, made: local.made }, 'local CA and server certificate written');
    files = { cert: local.files.serverCert, key: local.files.serverKey, ca: config.TLS_CA_FILE ?? local.files.caCert };
    localCa = true;
  }
  let material: TlsMaterial;
  try {
    material = new TlsMaterial({ files, logger, pollMs: RELOAD_POLL_MS });
  } catch (error) {
    throw new Error(`TLS certificate files unusable (${files.cert}, ${files.key}${files.ca ? `, ${files.ca}` : ''}): ${(error as Error).message}`);
  }
  material.start();
  ctx.stack.push(() => material.stop());
  return { material, files, localCa };
}

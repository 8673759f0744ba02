/**
 * TLS for the broker and the API (issue 15): the certificate files named in the config, or
 * the local CA's in DATA_DIR/tls, made at first start; reloaded when they change.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
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

/**
 * HTTPS for the API and console: a second server handing its requests to the same fastify
 * handler (fastify.routing: same routes, hooks and console), since one fastify instance serves
 * one server. Its certificate follows the TLS files' renewals. Answers the port.
 */
export async function serveHttps(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tls: PlatformTls,
  listen: { host: string; port: number },
  stack: Stack,
): Promise<number> {
  const https = createHttpsServer(tls.material.serverOptions({ clientCertificates: false }), handler);
  // Every socket from its first byte: one still in its TLS handshake is unknown to
  // closeAllConnections and would hold stop() until the handshake times out (120 s).
  const sockets = new Set<Socket>();
  https.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  https.on('tlsClientError', () => {}); // a failed handshake ends that socket only
  tls.material.onReload((context) => https.setSecureContext(context));
  await new Promise<void>((resolve, reject) => {
    https.once('error', reject);
    https.listen(listen, () => {
      https.off('error', reject);
      resolve();
    });
  });
  stack.push(
    () =>
      new Promise<void>((resolve) => {
        https.close(() => resolve());
        for (const socket of sockets) socket.destroy(); // open SSE streams would hold close() forever
      }),
  );
  return (https.address() as AddressInfo).port;
}

/**
 * The server's certificate, key and device CA as read from their files, reloaded when a
 * file changes (issue 15: renewed certificates take effect without dropping connections).
 *
 * A poll rather than fs.watch: certificates are usually renewed by replacing the file
 * (certbot's symlink swap, a rename, a bind-mounted folder), which fs.watch follows unreliably
 * across platforms and Docker mounts; reading three small files every few seconds is cheap.
 * A new set is tried with tls.createSecureContext first: a bad PEM, or a key that does not fit
 * the certificate (a renewal caught half-written), is logged and the old context kept; the
 * next change is tried again.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions, type TlsOptions } from 'node:tls';
import type { Logger } from 'pino';
import { PeriodicJob } from '../../../shared/periodic-job.ts';

export interface TlsFilePaths {
  cert: string;
  key: string;
  /** CA that signs device client certificates; absent: no client certificates are asked for. */
  ca?: string | undefined;
}

export interface TlsMaterialOptions {
  files: TlsFilePaths;
  logger: Logger;
  /** How often the files are read; default 5000 ms. */
  pollMs?: number;
}

export const DEFAULT_TLS_POLL_MS = 5000;

type Contents = { cert: string; key: string; ca: string | undefined };

export class TlsMaterial {
  #current: Contents;
  #lastSeen: string;
  readonly #listeners: Array<(context: SecureContextOptions) => void> = [];
  readonly #job: PeriodicJob;

  /** Reads the files; throws (start-up stops) when they are missing or do not make a context. */
  constructor(private readonly options: TlsMaterialOptions) {
    const contents = this.#read();
    createSecureContext(contextOf(contents)); // fails here, naming the problem, rather than at the first handshake
    this.#current = contents;
    this.#lastSeen = JSON.stringify(contents);
    this.#job = new PeriodicJob({
      everyMs: options.pollMs ?? DEFAULT_TLS_POLL_MS,
      runAtStart: false,
      run: () => void this.poll(),
      onError: (error) => options.logger.error({ err: error, files: options.files }, 'TLS files check failed; tried again at the next'),
    });
  }

  get files(): TlsFilePaths {
    return this.options.files;
  }

  /**
   * For tls.createServer / https.createServer: the certificate and, for device listeners when
   * a device CA is set, client certificates asked for but not required: devices with a
   * password connect as before; the broker checks a certificate offered without a password
   * (services/broker/core/access.ts). The HTTPS API asks for none (a browser would prompt).
   */
  serverOptions(use: { clientCertificates: boolean } = { clientCertificates: true }): TlsOptions {
    const askForCertificates = use.clientCertificates && this.#current.ca !== undefined;
    return { ...contextOf(this.#current), ...(askForCertificates && { requestCert: true, rejectUnauthorized: false }) };
  }

  /** Called with the new context's options after the files changed and loaded. */
  onReload(listener: (context: SecureContextOptions) => void): void {
    this.#listeners.push(listener);
  }

  start(): void {
    this.#job.start();
  }

  stop(): void {
    void this.#job.stop();
  }

  /** Reads the files now; true when a changed set was loaded and handed to the listeners. */
  poll(): boolean {
    const { logger, files } = this.options;
    let contents: Contents;
    try {
      contents = this.#read();
    } catch (error) {
      logger.warn({ err: error, files }, 'TLS files unreadable: keeping the certificate in use');
      return false;
    }
    const seen = JSON.stringify(contents);
    if (seen === this.#lastSeen) return false;
    this.#lastSeen = seen;
    const context = contextOf(contents);
    try {
      createSecureContext(context);
    } catch (error) {
      logger.error({ err: error, files }, 'new TLS certificate or key rejected: keeping the one in use');
      return false;
    }
    this.#current = contents;
    for (const listener of this.#listeners) {
      try {
        listener(context);
      } catch (error) {
        logger.error({ err: error }, 'applying the new TLS certificate failed');
      }
    }
    logger.info({ files }, 'TLS certificate reloaded');
    return true;
  }

  #read(): Contents {
    const { cert, key, ca } = this.options.files;
    return {
      cert: readFileSync(cert, 'utf8'),
      key: readFileSync(key, 'utf8'),
      ca: ca === undefined ? undefined : readFileSync(ca, 'utf8'),
    };
  }
}

function contextOf(contents: Contents): SecureContextOptions {
  return { cert: contents.cert, key: contents.key, ...(contents.ca !== undefined && { ca: contents.ca }) };
}

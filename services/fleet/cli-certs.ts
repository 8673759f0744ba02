/**
 * `fleet cert issue|revoke <id>` (issue 15): device client certificates for mutual TLS.
 * issue signs a new key and certificate (CN = device id) with the local CA in DATA_DIR/tls and
 * records its SHA-256 fingerprint as the device's one certificate (a certificate issued before
 * stops working); revoke marks it revoked, and the running platform disconnects the device
 * within a second (services/broker/adapters/session-recheck.ts).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readLocalCa, localTlsFiles } from '../tls/adapters/local-ca.ts';
import { issueCertificate } from '../tls/adapters/x509.ts';
import { deviceClientPlan, fingerprintOf } from '../tls/core/certificates.ts';
import { parse, UsageError } from './cli-args.ts';
import type { Config } from '../../shared/config.ts';
import { FleetError, type DeviceCertificates, type FleetRegistry } from './core/registry.ts';

export const CERT_USAGE = `  cert issue <id> [--out <dir>]
                              sign a client certificate for the device with the local CA
                              (DATA_DIR/tls); writes <id>.crt and <id>.key (default
                              DATA_DIR/tls/devices); the device then logs in over TLS with
                              it and no password; a certificate issued before stops working
  cert revoke <id>            revoke the device's certificate; a live session ends within a second`;

/** What the cert commands need of the fleet CLI's context (cli-commands.ts passes its own). */
export interface CertCliContext {
  registry: Pick<FleetRegistry, 'get'> & DeviceCertificates;
  config: Pick<Config, 'DATA_DIR'> & Partial<Pick<Config, 'TLS_CA_FILE'>>;
  out: (text: string) => void;
  err: (text: string) => void;
  now?: () => Date;
}

export async function runCertCommand(args: string[], ctx: CertCliContext): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'issue') return issue(rest, ctx);
  if (sub === 'revoke') return revoke(rest, ctx);
  throw new UsageError(sub === undefined ? 'cert needs issue or revoke' : `unknown cert command "${sub}" (issue or revoke)`);
}

async function issue(args: string[], ctx: CertCliContext): Promise<void> {
  const { values, positionals } = parse(args, { out: { type: 'string' } }, 1);
  const id = positionals[0]!;
  if (ctx.registry.get(id) === undefined) throw new FleetError('UNKNOWN_DEVICE', `no device "${id}" in the registry`);
  const ca = readLocalCa(ctx.config.DATA_DIR);
  const now = (ctx.now ?? (() => new Date()))().getTime();
  const issued = await issueCertificate(ca, deviceClientPlan(id, now));
  const dir = resolve(values.out ?? join(localTlsFiles(ctx.config.DATA_DIR).dir, 'devices'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, `${id}.crt`);
  const keyFile = join(dir, `${id}.key`);
  writeFileSync(keyFile, issued.keyPem, { mode: 0o600 });
  chmodSync(keyFile, 0o600); // an existing file keeps its old mode otherwise
  writeFileSync(certFile, issued.certPem);
  // Recorded last: files that failed to write leave the device's current certificate in force.
  const fingerprint = fingerprintOf(issued.der);
  ctx.registry.recordCertificate(id, fingerprint);
  const caFile = localTlsFiles(ctx.config.DATA_DIR).caCert;
  ctx.out(
    [
      `certificate: ${certFile}`,
      `key:         ${keyFile}`,
      `ca:          ${caFile}`,
      `sha256:      ${fingerprint}`,
      `try: mosquitto_pub -h <host> -p 8883 --cafile ${caFile} --cert ${certFile} --key ${keyFile} -i ${id} -u ${id} -t binpulse/v1/${id}/status -m '...'`,
    ].join('\n'),
  );
  ctx.err('note: keep the key on the device only; `fleet cert revoke` withdraws the certificate');
  const deviceCa = ctx.config.TLS_CA_FILE;
  if (deviceCa !== undefined && resolve(deviceCa) !== resolve(caFile)) {
    ctx.err(`warning: TLS_CA_FILE (${deviceCa}) is what the broker checks device certificates against; unless it holds ${caFile} too, this certificate will be refused`);
  }
}

function revoke(args: string[], ctx: CertCliContext): void {
  const { positionals } = parse(args, {}, 1);
  const id = positionals[0]!;
  if (ctx.registry.get(id) === undefined) throw new FleetError('UNKNOWN_DEVICE', `no device "${id}" in the registry`);
  if (!ctx.registry.revokeCertificate(id)) throw new FleetError('UNKNOWN_DEVICE', `device "${id}" has no certificate to revoke`);
  ctx.out(`revoked the client certificate of ${id}`);
}

/**
 * `npm run certs`: makes the local CA and the server certificate in DATA_DIR/tls ahead of the
 * first start (the platform makes the same when they are missing) and says how to use them.
 * Reuses what is there; a server certificate no longer matching TLS_HOSTNAMES is made again.
 */
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { ensureLocalCertificates } from './adapters/local-ca.ts';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`certs: ${error.message}\n`);
    return 1;
  }
  if (config.TLS_CERT_FILE !== undefined) {
    process.stdout.write(`TLS_CERT_FILE is set (${config.TLS_CERT_FILE}): the platform uses that certificate, not a local CA; nothing to make.\n`);
    return 0;
  }
  let local;
  try {
    local = await ensureLocalCertificates(config.DATA_DIR, config.TLS_HOSTNAMES, Date.now());
  } catch (error) {
    process.stderr.write(`certs: ${(error as Error).message}\n`);
    return 1;
  }
  const { files, made } = local;
  const host = config.TLS_HOSTNAMES.split(',')[0]!.trim();
  process.stdout.write(
    [
      `local CA         ${files.caCert}${made.ca ? ' (made now)' : ''}`,
      `                 ${files.caKey} (private: signs device certificates, keep it here)`,
      `server cert      ${files.serverCert}${made.server ? ' (made now)' : ''} for ${config.TLS_HOSTNAMES}`,
      `                 ${files.serverKey}`,
      '',
      'Clients trust the server with the CA certificate:',
      `  mosquitto_sub -h ${host} -p ${config.MQTTS_PORT} --cafile ${files.caCert} -u api -P <API token> -i observer-me -t 'binpulse/alerts/v1/#'`,
      `  mosquitto_pub -h ${host} -p ${config.MQTTS_PORT} --cafile ${files.caCert} -u <device id> -P <secret> -i <device id> -t binpulse/v1/<device id>/status -m '...'`,
      `  curl --cacert ${files.caCert} https://${host}:${config.HTTPS_PORT}/healthz`,
      `A device certificate instead of a password: npm run fleet -- cert issue <device id>`,
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = await main();

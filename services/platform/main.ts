/**
 * `npm start`: the whole platform in one process (broker, ingest, stores, API) and, unless
 * SIMULATOR=off, the simulated district fleet beside it.
 */
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { startPlatform } from './platform.ts';

function readConfig() {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`BinPulse cannot start: ${error.message}\n`);
    process.exit(1);
  }
}

const config = readConfig();
const logger = pino({ level: config.LOG_LEVEL, base: { pid: process.pid } });
const platform = await startPlatform(config, logger).catch((error: unknown) => {
  // A port in use or an unreadable DATA_DIR: say what and where, without a stack trace.
  logger.fatal({ err: error }, 'platform failed to start');
  process.stderr.write(`BinPulse cannot start: ${(error as Error).message}\n`);
  process.exit(1);
});
const { ready } = platform;

// One machine-readable line (tests and scripts read the ports from it) and a human summary.
logger.info({ ...ready }, 'platform ready');
// A wildcard address is nothing to connect to: show loopback URLs and say who else can reach them.
const everyInterface = config.HOST === '0.0.0.0' || config.HOST === '::';
const host = everyInterface ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
const reach = everyInterface
  ? `every interface (HOST=${config.HOST}): reachable from the network`
  : `${config.HOST} only${config.HOST === '127.0.0.1' ? ': this machine (HOST=0.0.0.0 opens it to the network)' : ''}`;
// HTTPS when it is on; both are listed when the plaintext API is open too.
const webBases = [
  ...(ready.httpsPort !== null ? [`https://${host}:${ready.httpsPort}`] : []),
  ...(config.PLAINTEXT ? [`http://${host}:${ready.httpPort}`] : []),
];
const web = (path: string) => webBases.map((base) => `${base}${path}`).join('   ');
process.stderr.write(
  [
    '',
    'BinPulse is running',
    `  listening on  ${reach}`,
    ...(config.PLAINTEXT ? [`  MQTT          mqtt://${host}:${ready.mqttPort}   ws://${host}:${ready.wsPort}/mqtt`] : []),
    ...(ready.mqttsPort !== null ? [`  MQTT (TLS)    mqtts://${host}:${ready.mqttsPort}   wss://${host}:${ready.wssPort}/mqtt`] : []),
    `  API           ${web('/api/v1/devices')}`,
    `  API docs      ${web('/docs')}`,
    ready.console ? `  Console       ${web('/')}` : '  Console       unavailable (see the log)',
    ...(ready.tls ? [`  TLS           ${ready.tls.certFile}${ready.tls.caFile ? `  (CA for clients: ${ready.tls.caFile})` : ''}`] : []),
    ...(config.PLAINTEXT ? [] : ['  plaintext     off (PLAINTEXT=off): only the TLS listeners are open']),
    `  admin token   ${ready.adminToken.source === 'env' ? 'ADMIN_TOKEN (from the environment)' : ready.adminToken.tokenFile}`,
    ready.demoFleet ? `  demo fleet    ${ready.demoFleet.credentialsPath} (simulator ${config.SIMULATOR ? `on, speed ${config.SIM_SPEED}` : 'off'})` : '',
    ...(ready.history ? [`  history       writing ${ready.history.days} days of demo history (${ready.history.fromDay} – ${ready.history.toDay} and today so far, about a minute; progress: GET /api/v1/summary)`] : []),
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  });
}

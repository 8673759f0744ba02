/**
 * Issue 15: with PLAINTEXT=off the plaintext ports refuse connections while TLS serves; a
 * renewed certificate file is served to new connections while an open one stays, and a bad
 * file is logged with the certificate in use kept.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCertificate, type IssuedCertificate } from '../../../services/tls/adapters/x509.ts';
import { caPlan, fingerprintOf, serverPlan } from '../../../services/tls/core/certificates.ts';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../../support/platform-process.ts';
import { freePort, mqttConnected, provisionBoxes, run, telemetry } from './tls-helpers.ts';

const platforms: RunningPlatform[] = [];
const clients: MqttClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  for (const platform of platforms.splice(0)) {
    await platform.stop();
    platform.cleanUp();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Whether a TCP connection to the port is refused (nothing listens). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** The SHA-256 of the certificate a new TLS connection to the port is shown. */
function servedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }, () => {
      const fingerprint = fingerprintOf(socket.getPeerCertificate().raw);
      socket.destroy();
      resolve(fingerprint);
    });
    socket.once('error', reject);
  });
}

describe('PLAINTEXT=off', () => {
  it('opens no plaintext listener (a connection to the MQTT, WebSocket and HTTP ports is refused) while TLS serves', async () => {
    const [mqttPort, wsPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const dataDir = mkdtempSync(join(tmpdir(), 'bp-tls-only-'));
    const secrets = provisionBoxes(dataDir, ['box-0001']);
    const platform = await startPlatformProcess(
      { DEMO_FLEET: 'off', SIMULATOR: 'off', PLAINTEXT: 'off', MQTT_PORT: String(mqttPort), MQTT_WS_PORT: String(wsPort), HTTP_PORT: String(httpPort) },
      { dataDir },
    );
    platforms.push(platform);
    expect(await refused(mqttPort)).toBe(true);
    expect(await refused(wsPort)).toBe(true);
    expect(await refused(httpPort)).toBe(true);
    // mosquitto_pub to the plaintext port fails; over TLS it is accepted.
    const plain = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(mqttPort), '-u', 'box-0001', '-P', secrets['box-0001']!, '-i', 'box-0001', '-t', 'binpulse/v1/box-0001/telemetry', '-m', telemetry(50)]);
    expect(plain.code).not.toBe(0);
    const tls = await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(platform.mqttsPort), '--cafile', platform.caFile!, '-u', 'box-0001', '-P', secrets['box-0001']!, '-i', 'box-0001', '-q', '1', '-t', 'binpulse/v1/box-0001/telemetry', '-m', telemetry(50)]);
    expect(tls.code, tls.stderr).toBe(0);
    const health = await run('curl', ['-sS', '--fail', '--cacert', platform.caFile!, `${platform.httpsBaseUrl}/healthz`]);
    expect(health.code, health.stderr).toBe(0);
    expect(platform.output()).toMatch(/plaintext\s+off/);

    // A client stuck in its TLS handshake on HTTPS does not hold the shutdown (120 s handshake timeout).
    const stuck = netConnect({ host: '127.0.0.1', port: platform.httpsPort! });
    await new Promise((resolve) => stuck.once('connect', resolve));
    platforms.splice(platforms.indexOf(platform), 1);
    expect(await platform.stop()).toBe(0);
    stuck.destroy();
    platform.cleanUp();
  }, 90_000);
});

describe('certificate renewal', () => {
  it('serves a renewed certificate to new connections while an open connection stays; a bad file keeps the one in use', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'bp-tls-files-'));
    dirs.push(certDir);
    const now = Date.now();
    const ca = await createCa(caPlan(now, 'test'));
    const hosts = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
    const write = (issued: IssuedCertificate) => {
      writeFileSync(join(certDir, 'server.key'), issued.keyPem, { mode: 0o600 });
      writeFileSync(join(certDir, 'server.crt'), issued.certPem);
    };
    const first = await issueCertificate(ca, serverPlan(hosts, now));
    write(first);
    writeFileSync(join(certDir, 'ca.crt'), ca.certPem);

    const dataDir = mkdtempSync(join(tmpdir(), 'bp-tls-reload-'));
    const secrets = provisionBoxes(dataDir, ['box-0001']);
    const platform = await startPlatformProcess(
      { DEMO_FLEET: 'off', SIMULATOR: 'off', TLS_CERT_FILE: join(certDir, 'server.crt'), TLS_KEY_FILE: join(certDir, 'server.key') },
      { dataDir },
    );
    platforms.push(platform);
    const port = platform.mqttsPort!;
    expect(await servedFingerprint(port, ca.certPem)).toBe(fingerprintOf(first.der));
    expect(await servedFingerprint(platform.httpsPort!, ca.certPem)).toBe(fingerprintOf(first.der));

    const device = await mqttConnected(`mqtts://127.0.0.1:${port}`, { ca: ca.certPem, servername: 'localhost', clientId: 'box-0001', username: 'box-0001', password: secrets['box-0001']! }, clients);
    let closed = false;
    device.on('close', () => (closed = true));

    const renewed = await issueCertificate(ca, serverPlan(hosts, now + 1000));
    write(renewed);
    const renewedPrint = fingerprintOf(renewed.der);
    await waitFor(async () => ((await servedFingerprint(port, ca.certPem)) === renewedPrint ? true : undefined), 20_000, 'the renewed certificate on MQTTS');
    await waitFor(async () => ((await servedFingerprint(platform.httpsPort!, ca.certPem)) === renewedPrint ? true : undefined), 20_000, 'the renewed certificate on HTTPS');
    await waitFor(async () => ((await servedFingerprint(platform.wssPort!, ca.certPem)) === renewedPrint ? true : undefined), 20_000, 'the renewed certificate on WSS');
    // The connection opened before the renewal is still up and still works.
    expect(closed).toBe(false);
    await device.publishAsync('binpulse/v1/box-0001/telemetry', telemetry(60), { qos: 1 });

    // A broken certificate file is logged; the renewed certificate stays in use.
    writeFileSync(join(certDir, 'server.crt'), 'not a certificate');
    await waitFor(async () => (/new TLS certificate or key rejected/.test(platform.output()) ? true : undefined), 20_000, 'the rejection to be logged');
    expect(await servedFingerprint(port, ca.certPem)).toBe(renewedPrint);
    expect(readFileSync(join(certDir, 'server.crt'), 'utf8')).toBe('not a certificate');
  }, 120_000);
});

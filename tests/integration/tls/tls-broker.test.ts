/**
 * The broker's TLS listeners alone (no platform): a connection stuck in its TLS handshake does
 * not hold stop(); a device logged in with a certificate is disconnected when the registry's
 * change mark moves and its certificate is no longer current.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformBroker } from '../../../services/broker/adapters/aedes-broker.ts';
import type { BrokerListening, PlatformBroker } from '../../../services/broker/core/ports.ts';
import type { CertificateStatus, DeviceAuthenticator } from '../../../services/fleet/core/registry.ts';
import { ensureLocalCertificates, readLocalCa } from '../../../services/tls/adapters/local-ca.ts';
import { TlsMaterial } from '../../../services/tls/adapters/tls-material.ts';
import { issueCertificate } from '../../../services/tls/adapters/x509.ts';
import { deviceClientPlan, fingerprintOf } from '../../../services/tls/core/certificates.ts';
import { waitFor } from '../../support/platform-process.ts';
import { mqttConnected } from './tls-helpers.ts';

/** Devices with certificates in memory; `mark` moves on every change, as SQLite's data_version would. */
class CertificateRegistry implements DeviceAuthenticator {
  mark = 0;
  readonly certificates = new Map<string, { fingerprint: string; revoked: boolean }>();
  kindOf = (id: string) => (id.startsWith('box-') ? ('box' as const) : undefined);
  verifySecret = () => false;
  certificateStatus(id: string, fingerprint: string): CertificateStatus {
    const cert = this.certificates.get(id);
    if (cert?.fingerprint !== fingerprint) return 'unknown';
    return cert.revoked ? 'revoked' : 'current';
  }
  changeMark = () => this.mark;
}

let dir: string;
let broker: PlatformBroker;
let ports: BrokerListening;
let devices: CertificateRegistry;
let metrics: Registry;
const clients: MqttClient[] = [];
const sockets: Socket[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-tls-broker-'));
  const local = await ensureLocalCertificates(dir, 'localhost,127.0.0.1', Date.now());
  const logger = pino({ level: 'silent' });
  const material = new TlsMaterial({ files: { cert: local.files.serverCert, key: local.files.serverKey, ca: local.files.caCert }, logger });
  devices = new CertificateRegistry();
  metrics = new Registry();
  broker = createPlatformBroker({
    host: '127.0.0.1',
    mqttPort: 0,
    wsPort: 0,
    plaintext: false,
    tls: { source: material, mqttsPort: 0, wssPort: 0 },
    registryChanges: devices,
    recheckIntervalMs: 50,
    maxPayloadBytes: 16_384,
    maxTopicLevels: 8,
    authenticator: devices,
    logger,
    metrics,
  });
  ports = await broker.start();
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('broker TLS listeners', () => {
  it('with plaintext off report ports 0 and null-free TLS ports', () => {
    expect(ports.mqttPort).toBe(0);
    expect(ports.wsPort).toBe(0);
    expect(ports.mqttsPort).toBeGreaterThan(0);
    expect(ports.wssPort).toBeGreaterThan(0);
  });

  it('stop() does not wait for connections that never finished their TLS handshake', async () => {
    for (const port of [ports.mqttsPort!, ports.wssPort!]) {
      const socket = netConnect({ host: '127.0.0.1', port });
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    let stopped = false;
    void broker.stop().then(() => (stopped = true));
    // Functional bound: the handshake timeout would hold it for 120 s.
    await waitFor(async () => (stopped ? true : undefined), 20_000, 'the broker to stop');
  });

  it('disconnects a certificate login once the registry changes and the certificate is no longer current', async () => {
    const issued = await issueCertificate(readLocalCa(dir), deviceClientPlan('box-0001', Date.now()));
    devices.certificates.set('box-0001', { fingerprint: fingerprintOf(issued.der), revoked: false });
    const client = await mqttConnected(
      `mqtts://127.0.0.1:${ports.mqttsPort}`,
      { ca: readFileSync(join(dir, 'tls', 'ca.crt')), cert: issued.certPem, key: issued.keyPem, clientId: 'box-0001', username: 'box-0001' },
      clients,
    );
    let closed = false;
    client.on('close', () => (closed = true));
    // A change that leaves the certificate current keeps the session.
    devices.mark += 1;
    await new Promise((r) => setTimeout(r, 300));
    expect(closed).toBe(false);
    devices.certificates.get('box-0001')!.revoked = true;
    devices.mark += 1;
    await waitFor(async () => (closed ? true : undefined), 10_000, 'the revoked device to be disconnected');
    const refusals = await metrics.getSingleMetric('binpulse_mqtt_refusals_total')!.get();
    expect(refusals.values.find((v) => v.labels.reason === 'certificate_revoked')?.value).toBe(1);
  });
});

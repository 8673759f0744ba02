/**
 * Issue 15, TLS half of acceptance line 1, on the platform as a user starts it (local CA made
 * at first start): mosquitto_pub/mosquitto_sub with --cafile over MQTTS, MQTT over WSS with
 * the CA, curl over HTTPS with the CA; a device with a client certificate and no password is
 * accepted, the same certificate after `fleet cert revoke` refused and its live session ended.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformProcess, waitFor, type RunningPlatform } from '../../support/platform-process.ts';
import { fleet, mqttConnected, provisionBoxes, run, telemetry } from './tls-helpers.ts';

let platform: RunningPlatform;
let secrets: Record<string, string>;
let ca: string;
const clients: MqttClient[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bp-tls-'));
  secrets = provisionBoxes(dataDir, ['box-0001', 'box-0002', 'box-0003']);
  platform = await startPlatformProcess({ DEMO_FLEET: 'off', SIMULATOR: 'off' }, { dataDir });
  ca = platform.caFile!;
}, 90_000);
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true).catch(() => undefined)));
});
afterAll(async () => {
  await platform?.stop();
  platform?.cleanUp();
});

const mqtts = () => ['-h', '127.0.0.1', '-p', String(platform.mqttsPort)];

describe('TLS listeners of a platform with TLS on (the default)', () => {
  it('made a local CA and server certificate at first start, keys readable by the owner only', () => {
    expect(platform.mqttsPort).toBeGreaterThan(0);
    expect(platform.wssPort).toBeGreaterThan(0);
    expect(platform.httpsPort).toBeGreaterThan(0);
    expect(readFileSync(ca, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(readFileSync(join(platform.dataDir, 'tls', 'ca.key')).length).toBeGreaterThan(0);
  });

  it('mosquitto_pub and mosquitto_sub with --cafile publish and subscribe over MQTTS', async () => {
    // The observer waits for the alert the device's low battery raises (retained, so order does not matter).
    const sub = run('mosquitto_sub', [...mqtts(), '--cafile', ca, '-u', 'api', '-P', platform.adminToken, '-i', 'observer-tls', '-t', 'binpulse/alerts/v1/low_battery/#', '-C', '1', '-W', '40', '-v']);
    const pub = await run('mosquitto_pub', [...mqtts(), '--cafile', ca, '-u', 'box-0001', '-P', secrets['box-0001']!, '-i', 'box-0001', '-q', '1', '-t', 'binpulse/v1/box-0001/telemetry', '-m', telemetry(4)]);
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);
    const received = await sub;
    expect(received.code, received.stderr).toBe(0);
    expect(received.stdout).toMatch(/^binpulse\/alerts\/v1\/low_battery\/\S+ \{.*"deviceId":"box-0001"/);

    // The same client without the CA does not trust the server: the check is real.
    const untrusted = await run('mosquitto_pub', [...mqtts(), '--capath', '/nonexistent', '-u', 'box-0001', '-P', secrets['box-0001']!, '-i', 'box-0001', '-q', '1', '-t', 'binpulse/v1/box-0001/telemetry', '-m', telemetry(4)]);
    expect(untrusted.code).not.toBe(0);
  }, 60_000);

  it('MQTT over secure WebSocket (wss, path /mqtt) with the CA: a device publishes, an observer receives', async () => {
    const url = `wss://127.0.0.1:${platform.wssPort}/mqtt`;
    const caPem = readFileSync(ca);
    const observer = await mqttConnected(url, { ca: caPem, clientId: 'observer-wss', username: 'api', password: platform.adminToken }, clients);
    const alerts: string[] = [];
    observer.on('message', (_topic, payload) => alerts.push(payload.toString()));
    await observer.subscribeAsync('binpulse/alerts/v1/low_battery/#', { qos: 1 });
    const device = await mqttConnected(url, { ca: caPem, clientId: 'box-0002', username: 'box-0002', password: secrets['box-0002']! }, clients);
    await device.publishAsync('binpulse/v1/box-0002/telemetry', telemetry(3), { qos: 1 }); // resolves on PUBACK
    await waitFor(async () => (alerts.some((a) => a.includes('"deviceId":"box-0002"')) ? true : undefined), 30_000, 'the low-battery alert of box-0002 over WSS');

    // Without the CA the handshake fails: Node's default trust store does not know the local CA.
    await expect(mqttConnected(url, { clientId: 'box-0002', username: 'box-0002', password: secrets['box-0002']! }, clients)).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
  }, 60_000);

  it('curl over HTTPS with the CA: /healthz, the API and the console; without the CA curl refuses the server', async () => {
    const base = platform.httpsBaseUrl!;
    const health = await run('curl', ['-sS', '--fail', '--cacert', ca, `${base}/healthz`]);
    expect(health.code, health.stderr).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ status: 'ok' });
    // The certificate names localhost too (TLS_HOSTNAMES' default).
    const byName = await run('curl', ['-sS', '--fail', '--cacert', ca, `https://localhost:${platform.httpsPort}/healthz`]);
    expect(byName.code, byName.stderr).toBe(0);
    const devices = await run('curl', ['-sS', '--fail', '--cacert', ca, '-H', `authorization: Bearer ${platform.adminToken}`, `${base}/api/v1/devices/box-0001`]);
    expect(devices.code, devices.stderr).toBe(0);
    expect(JSON.parse(devices.stdout)).toMatchObject({ id: 'box-0001' });
    const console = await run('curl', ['-sS', '--fail', '--cacert', ca, `${base}/`]);
    expect(console.code, console.stderr).toBe(0);
    expect(console.stdout).toMatch(/<html/i);
    const untrusted = await run('curl', ['-sS', '--capath', '/nonexistent', '--cacert', '/dev/null', `${base}/healthz`]);
    expect(untrusted.code).not.toBe(0);
  });

  it('a device with a client certificate and no password is accepted; revoked, it is refused and its live session ends', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'bp-tls-dev-'));
    const issued = await fleet(platform.dataDir, ['cert', 'issue', 'box-0003', '--out', outDir]);
    expect(issued.code, issued.stderr).toBe(0);
    const cert = join(outDir, 'box-0003.crt');
    const key = join(outDir, 'box-0003.key');
    const withCert = (id: string) => [...mqtts(), '--cafile', ca, '--cert', cert, '--key', key, '-i', id, '-u', id, '-q', '1', '-t', `binpulse/v1/${id}/telemetry`, '-m', telemetry(80)];

    const accepted = await run('mosquitto_pub', withCert('box-0003'));
    expect(accepted.stderr).toBe('');
    expect(accepted.code).toBe(0);
    // The certificate names box-0003: it proves nothing for box-0002.
    const otherDevice = await run('mosquitto_pub', withCert('box-0002'));
    expect(otherDevice.code).not.toBe(0);

    // The same certificate over secure WebSocket, username empty (the client id names the device);
    // closed before the live session opens, which a second session of the device would take over.
    const overWss = await mqttConnected(
      `wss://127.0.0.1:${platform.wssPort}/mqtt`,
      { ca: readFileSync(ca), cert: readFileSync(cert), key: readFileSync(key), clientId: 'box-0003', username: '' },
      clients,
    );
    await overWss.publishAsync('binpulse/v1/box-0003/telemetry', telemetry(81), { qos: 1 });
    await overWss.endAsync();
    const live = await mqttConnected(
      `mqtts://127.0.0.1:${platform.mqttsPort}`,
      { ca: readFileSync(ca), cert: readFileSync(cert), key: readFileSync(key), clientId: 'box-0003', username: 'box-0003' },
      clients,
    );
    await live.publishAsync('binpulse/v1/box-0003/telemetry', telemetry(81), { qos: 1 });
    let closed = false;
    live.on('close', () => (closed = true));

    const revoked = await fleet(platform.dataDir, ['cert', 'revoke', 'box-0003']);
    expect(revoked.code, revoked.stderr).toBe(0);
    await waitFor(async () => (closed ? true : undefined), 15_000, 'the revoked device to be disconnected');
    const refused = await run('mosquitto_pub', withCert('box-0003'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/not authori[sz]ed|bad user name or password|refused/i);
    // A password still works for the same device.
    const password = await run('mosquitto_pub', [...mqtts(), '--cafile', ca, '-i', 'box-0003', '-u', 'box-0003', '-P', secrets['box-0003']!, '-q', '1', '-t', 'binpulse/v1/box-0003/telemetry', '-m', telemetry(82)]);
    expect(password.code, password.stderr).toBe(0);
  }, 60_000);
});

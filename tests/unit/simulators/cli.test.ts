import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError, loadFleetCredentials } from '../../../simulators/adapters/credentials.ts';
import { formatStatusLine, emptyMessageCounts } from '../../../simulators/adapters/status-line.ts';
import { parseCli } from '../../../simulators/main.ts';
import { testFleet } from './fleet-fixture.ts';

describe('CLI options', () => {
  it('defaults from the environment', () => {
    const cli = parseCli([], { DATA_DIR: '/srv/binpulse', MQTT_URL: 'mqtt://broker:1883' });
    expect(cli).toMatchObject({
      url: 'mqtt://broker:1883',
      credentialsPath: '/srv/binpulse/demo-credentials.json',
      speed: 1,
      seed: 'tianning',
      quiet: false,
    });
    expect(parseCli([], {}).url).toBe('mqtt://127.0.0.1:1883');
    expect(parseCli([], {}).credentialsPath).toBe(join('./data', 'demo-credentials.json'));
  });

  it('parses every option', () => {
    const cli = parseCli(
      ['--url', 'mqtt://x:1', '--credentials', 'c.json', '--speed', '60', '--seed', 's', '--boxes', '20', '--cameras', '4',
        '--start', '2026-11-25T00:00:00+08:00', '--duration', '24h', '--deposit-rate', '1.5', '--fault-rate', '0', '--quiet'],
      {},
    );
    expect(cli).toMatchObject({
      url: 'mqtt://x:1', credentialsPath: 'c.json', speed: 60, seed: 's', boxes: 20, cameras: 4,
      startMs: Date.parse('2026-11-24T16:00:00Z'), durationMs: 86_400_000, depositRate: 1.5, faultRate: 0, quiet: true,
    });
  });

  it('takes the span of a history the platform wrote, and the district offset', () => {
    const cli = parseCli(['--history-from', '2026-11-07T16:00:00.000Z', '--history-until', '2026-12-06T00:12:49.502Z', '--utc-offset', '480'], {});
    expect(cli).toMatchObject({ history: { fromMs: Date.parse('2026-11-07T16:00:00Z'), untilMs: Date.parse('2026-12-06T00:12:49.502Z') }, utcOffsetMinutes: 480 });
    expect(parseCli([], {}).history).toBeUndefined();
    expect(() => parseCli(['--history-from', '2026-11-07T16:00:00Z'], {})).toThrow(/--history-until/);
    expect(() => parseCli(['--history-from', '2026-12-07T00:00:00Z', '--history-until', '2026-12-06T00:00:00Z'], {})).toThrow(/before until/);
    expect(() => parseCli(['--history-from', '2026-11-07T16:00:00Z', '--history-until', '2026-12-06T00:00:00Z', '--start', '2026-12-01T00:00:00Z'], {})).toThrow(/exclude/);
    expect(() => parseCli(['--utc-offset', '8h'], {})).toThrow(/--utc-offset/);
  });

  it('refuses bad values with the option named', () => {
    expect(() => parseCli(['--speed', '0'], {})).toThrow(/--speed/);
    expect(() => parseCli(['--speed', 'fast'], {})).toThrow(/--speed/);
    expect(() => parseCli(['--boxes', '2.5'], {})).toThrow(/--boxes/);
    expect(() => parseCli(['--start', 'yesterday'], {})).toThrow(/--start/);
    expect(() => parseCli(['--duration', 'forever'], {})).toThrow(/--duration/);
    expect(() => parseCli(['--frobnicate'], {})).toThrow();
  });
});

describe('fleet credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binpulse-sim-'));

  it('reads a valid file', async () => {
    const path = join(dir, 'ok.json');
    const devices = testFleet(2, 1).map((device) => ({ device, secret: 'a-long-enough-secret-123' }));
    writeFileSync(path, JSON.stringify({ generatedAt: '2026-11-26T00:00:00Z', devices }));
    expect((await loadFleetCredentials(path)).devices.map((d) => d.device.id)).toEqual(['box-0001', 'box-0002', 'cam-001']);
  });

  it('says what to do when the file is missing, and what is wrong when it is invalid', async () => {
    await expect(loadFleetCredentials(join(dir, 'missing.json'))).rejects.toThrow(/no fleet credentials at .*DEMO_FLEET/);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{');
    await expect(loadFleetCredentials(notJson)).rejects.toBeInstanceOf(CredentialsError);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ generatedAt: '2026-11-26T00:00:00Z', devices: [{ device: { id: 'x' }, secret: 'short' }] }));
    await expect(loadFleetCredentials(wrong)).rejects.toThrow(/not a fleet credentials file[\s\S]*devices\.0/);
  });
});

describe('status line', () => {
  it('shows simulated local time, connections, messages by kind, tonnes and errors, and says when caught up', () => {
    const stats = {
      simTime: '', simMs: Date.parse('2026-11-26T08:15:00+08:00'), startMs: 0, speed: 60, caughtUp: false, running: true,
      devices: { total: 659, boxes: 605, cameras: 54, connected: 650, dark: 1 },
      messages: { ...emptyMessageCounts(), deposits: 1234 },
      depositedKg: 4321, publishErrors: 2, connectionErrors: 0,
    };
    const line = formatStatusLine(stats, 480);
    expect(line).toContain('2026-11-26 08:15:00 +08:00');
    expect(line).toContain('650/659 connected');
    expect(line).toContain('deposits 1234');
    expect(line).toContain('4.32 t deposited');
    expect(line).toContain('2 publish errors');
    expect(line).toContain('x60');
    expect(formatStatusLine({ ...stats, caughtUp: true, speed: 1 }, 480)).toContain('caught up with the real clock');
  });
});

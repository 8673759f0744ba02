/** The simulated fleet against a real broker: own credentials, valid payloads, retained status, last will. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CHANNELS, DeviceStatus, isDeviceChannel } from '../../../shared/contracts/index.ts';
import { DAY_MS, HOUR_MS, localDay, localDayStart } from '../../../shared/units.ts';
import { MqttDevice } from '../../../simulators/adapters/mqtt-device.ts';
import { runSimulation, type SimulationHandle } from '../../../simulators/main.ts';
import { testFleet } from '../../unit/simulators/fleet-fixture.ts';
import { type ObservedMessage, type TestBroker, observe, startTestBroker, waitFor } from './test-broker.ts';

// 25 boxes and 5 cameras in the file; the run uses the first 20 and 4 (--boxes / --cameras).
const members = testFleet(25, 5).map((device) => ({ device, secret: `secret-of-${device.id}-0123456789` }));
const secrets = new Map(members.map((m) => [m.device.id, m.secret]));
const used = new Set([...members.slice(0, 20), ...members.slice(25, 29)].map((m) => m.device.id));
/** 07:00 yesterday, district time: the morning peak, so deposits come quickly. */
const START = localDayStart(localDay(Date.now(), 480), 480) - DAY_MS + 7 * HOUR_MS;

let broker: TestBroker;
let sim: SimulationHandle;
let seen: ObservedMessage[];
let closeObserver: () => Promise<void>;

const statuses = (messages: ObservedMessage[], deviceId?: string) =>
  messages.filter((m) => m.channel === 'status' && (deviceId === undefined || m.deviceId === deviceId)).map((m) => DeviceStatus.parse(m.payload));

beforeAll(async () => {
  broker = await startTestBroker(secrets);
  const observer = await observe(broker.url, 'observer-all');
  seen = observer.messages;
  closeObserver = () => observer.client.endAsync();
  sim = await runSimulation({
    url: broker.url,
    devices: members,
    boxes: 20,
    cameras: 4,
    speed: 600,
    startMs: START,
    seed: 'integration',
    quiet: true,
    tickMs: 100,
    log: () => {},
  });
});

afterAll(async () => {
  await sim?.stop();
  await closeObserver?.();
  await broker?.close();
});

describe('simulated fleet over MQTT', () => {
  it('connects every selected device with its own credentials, and no other', async () => {
    await waitFor('24 devices connected', () => sim.stats().devices.connected === 24);
    const devices = [...broker.accepted].filter(([id]) => id !== 'observer-all');
    expect(new Set(devices.map(([id]) => id))).toEqual(used);
    for (const [id, username] of devices) expect(username).toBe(id);
  });

  it('publishes telemetry, heartbeats and deposits that parse with their channel schemas, stamped no later than now', async () => {
    const from = (channel: string) => new Set(seen.filter((m) => m.channel === channel).map((m) => m.deviceId));
    await waitFor('telemetry from every box, heartbeats from every camera, deposits', () =>
      from('telemetry').size === 20 && from('heartbeat').size === 4 && from('event/deposit').size > 0,
    );
    const problems: string[] = [];
    for (const m of seen) {
      if (!used.has(m.deviceId)) problems.push(`unexpected device ${m.deviceId}`);
      if (!isDeviceChannel(m.channel)) {
        problems.push(`unknown channel ${m.topic}`);
        continue;
      }
      const parsed = DEVICE_CHANNELS[m.channel].schema.safeParse(m.payload);
      if (!parsed.success) problems.push(`${m.topic}: ${parsed.error.message}`);
      const ts = (m.payload as { ts?: string }).ts;
      if (ts !== undefined && Date.parse(ts) > Date.now() + 1_000) problems.push(`${m.topic} stamped in the future: ${ts}`);
    }
    expect(problems).toEqual([]);
    expect(broker.foreignPublishes).toEqual([]);
    const stats = sim.stats();
    expect(stats.messages.telemetry).toBeGreaterThanOrEqual(20);
    expect(stats.depositedKg).toBeGreaterThan(0);
    expect(stats.publishErrors).toBe(0);
    expect(stats.simMs).toBeGreaterThan(START);
  });

  it('keeps a retained online status for every device', async () => {
    const late = await observe(broker.url, 'observer-late');
    try {
      await waitFor('24 retained statuses', () => new Set(late.messages.filter((m) => m.channel === 'status').map((m) => m.deviceId)).size === 24);
      for (const m of late.messages.filter((m) => m.channel === 'status')) {
        expect(m.retain).toBe(true);
        expect(DeviceStatus.parse(m.payload)).toMatchObject({ state: 'online', ts: expect.any(String) });
      }
    } finally {
      await late.client.endAsync();
    }
  });

  it("a camera losing power delivers its offline will, and says online again when it comes back", async () => {
    const camera = 'cam-002';
    const before = statuses(seen, camera).length;
    sim.goDark(camera);
    await waitFor('the offline will', () => statuses(seen, camera).slice(before).some((s) => s.state === 'offline'));
    // The will is registered at connect time: it carries no timestamp.
    expect(statuses(seen, camera).slice(before)[0]).toEqual({ state: 'offline' });
    expect(sim.stats().devices.dark).toBe(1);
    sim.comeBack(camera);
    await waitFor('online again', () => statuses(seen, camera).at(-1)?.state === 'online');
    await waitFor('reconnected', () => sim.stats().devices.connected === 24);
  });

  it('a device dark before it ever connected (dark at the history hand-over) stays off, then connects when it comes back', async () => {
    const member = members[29]!; // not simulated by the running fleet: its id is free
    const device = new MqttDevice({ url: broker.url, deviceId: member.device.id, secret: member.secret, simNow: Date.now, utcOffsetMinutes: 480 });
    device.goDark();
    expect(device.dark).toBe(true);
    expect(device.connected).toBe(false);
    device.comeBack();
    await waitFor('the device online', () => device.connected && statuses(seen, member.device.id).at(-1)?.state === 'online');
    await device.shutdown();
  });

  it('on stop, every device says offline (with a timestamp) and disconnects cleanly', async () => {
    const before = seen.length;
    await sim.stop();
    await waitFor('24 goodbyes', () => new Set(seen.slice(before).filter((m) => m.channel === 'status').map((m) => m.deviceId)).size === 24);
    for (const s of statuses(seen.slice(before))) expect(s).toMatchObject({ state: 'offline', ts: expect.any(String) });
    expect(sim.stats()).toMatchObject({ running: false, devices: { connected: 0 } });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectDevice, deviceOptions, metricValue, SECRETS, startHarness, stopHarness, waitFor, type Harness } from './broker-harness.ts';

const BOXES = 605;
const CAMERAS = 54;

let h: Harness | undefined;
beforeEach(async () => {
  h = await startHarness();
  for (let i = 1; i <= BOXES; i++) {
    const id = `box-${String(i).padStart(4, '0')}`;
    SECRETS[id] ??= `${id}-secret`;
    h.authenticator.add(id, 'box', SECRETS[id]!);
  }
  for (let i = 1; i <= CAMERAS; i++) {
    const id = `cam-${String(i).padStart(3, '0')}`;
    SECRETS[id] ??= `${id}-secret`;
    h.authenticator.add(id, 'camera', SECRETS[id]!);
  }
});
afterEach(async () => {
  await stopHarness(h);
  h = undefined;
});

describe('connect storm', () => {
  it(
    'connects the whole district fleet (605 boxes + 54 cameras) at once',
    async () => {
      const ids = [...h!.authenticator.devices.keys()];
      expect(ids).toHaveLength(BOXES + CAMERAS);
      const results = await Promise.allSettled(ids.map((id) => connectDevice(h!, deviceOptions(id, { connectTimeout: 60_000 }))));
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed).toEqual([]);
      await waitFor(() => h!.broker.connectedDevices() === BOXES + CAMERAS, 'every device to be registered', 60_000);
      expect(await metricValue(h!.registry, 'binpulse_mqtt_connected_devices')).toBe(BOXES + CAMERAS);

      // stop() disconnects all of them, and each disconnect is reported.
      const down = new Set<string>();
      h!.broker.onDeviceConnection(({ deviceId, connected }) => {
        if (!connected) down.add(deviceId);
      });
      await h!.broker.stop();
      expect(down.size).toBe(BOXES + CAMERAS);
      expect(h!.broker.connectedDevices()).toBe(0);
      await waitFor(() => h!.clients.every((c) => !c.connected), 'every client to see the close', 30_000);
    },
    120_000,
  );
});

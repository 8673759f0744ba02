/** A simulated client's first connection: resolves true on the first CONNACK accepted, false on an error or timeout. */
import type { MqttClient } from 'mqtt';

export function connectOnce(client: MqttClient, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      resolve(ok);
    };
    const onConnect = (): void => done(true);
    const onError = (): void => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('connect', onConnect);
    client.once('error', onError);
    client.connect();
  });
}

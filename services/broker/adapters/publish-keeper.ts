/**
 * Runs onAcceptedPublish (the journal) inside aedes' authorizePublish, for publishes the access
 * rules allowed. aedes 1.x writes the QoS 1 PUBACK as soon as authorizePublish calls back,
 * before routing or persisting anything (lib/handlers/publish.js), so calling back only once
 * the hook resolved is what makes "acknowledged" mean "kept". A rejection calls back with
 * NotKeptError: aedes closes the connection without PUBACK and the device resends later.
 */
import type { Client, PublishPacket } from 'aedes';
import type { Logger } from 'pino';
import type { AcceptedPublish } from '../core/ports.ts';

/** onAcceptedPublish rejected: the publish was allowed but could not be kept (journal full or failing). */
export class NotKeptError extends Error {
  constructor(readonly reason: unknown) {
    super(`publish not kept: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

export type Keep = (client: Client, packet: PublishPacket, callback: (err?: Error | null) => void) => void;

export function publishKeeper(hook: (publish: AcceptedPublish) => Promise<void>, now: () => number, logger: Logger): Keep {
  // Failing to keep publishes is logged once per outage (whoever failed counts it, e.g. the
  // journal), not once per publish of 659 devices resending.
  let failing = false;
  return (client, packet, callback) => {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const publish: AcceptedPublish = { deviceId: client.id, topic: packet.topic, payload, receivedAt: now() };
    // new Promise: a hook that throws synchronously is a rejection too.
    new Promise<void>((resolve) => resolve(hook(publish))).then(
      () => {
        if (failing) logger.info('device publishes are kept again');
        failing = false;
        callback(null);
      },
      (err: unknown) => {
        if (!failing) {
          const message = 'device publish could not be kept: refusing publishes (devices resend them)';
          logger.error({ err, deviceId: client.id }, message);
        } else {
          logger.debug({ err: String(err), deviceId: client.id }, 'device publish could not be kept');
        }
        failing = true;
        callback(new NotKeptError(err));
      },
    );
  };
}

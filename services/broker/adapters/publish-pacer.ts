/**
 * Applies the per-device publish rate (../core/publish-rate.ts) inside aedes' authorizePublish,
 * after the access rules allowed the publish and before it is kept (journal) and acknowledged.
 *
 * Why hold rather than refuse first: in aedes 1.2 an authorizePublish error closes the client's
 * connection without an answer (MQTT 3.1.1 has no negative PUBACK), and the device's will is
 * published: it would read offline and reconnect, over and over, while it flushes a backlog.
 * Holding the callback instead holds the PUBACK, and aedes reads nothing more from that
 * connection until every publish of the chunk it is handling is done (lib/client.js nextBatch):
 * TCP backpressure paces the device at its rate, nothing is acknowledged that was not kept and
 * nothing is dropped.
 *
 * Only a device that stays faster than its rate for longer than the limiter's wait is refused:
 * the publish gets no PUBACK and the connection closes (the will is published, as for every
 * refusal). A QoS 1 publish is not lost: the device still holds it (and every later unacknowledged
 * one) and sends it again when it reconnects, by when its bucket has refilled. A QoS 0 publish is
 * gone, as QoS 0 allows. Counted as refusal `rate_limited`, logged at most once per device a minute.
 *
 * Wills are not rate-limited: they are the broker's word that a connection died.
 */
import type { Client, PublishPacket } from 'aedes';
import type { PublishRateLimiter } from '../core/publish-rate.ts';
import { NotKeptError } from './publish-keeper.ts';

export type Pace = (
  client: Client,
  packet: PublishPacket,
  accept: () => void,
  refuse: (detail: string) => void,
  callback: (err?: Error | null) => void,
) => void;

export function publishPacer(limiter: PublishRateLimiter, now: () => number, isRunning: () => boolean): Pace {
  return (client, packet, accept, refuse, callback) => {
    if (packet === (client as { will?: unknown }).will) return accept();
    const decision = limiter.take(client.id, now());
    if (decision.verdict === 'now') return accept();
    if (decision.verdict === 'refuse') return refuse(decision.detail);
    const timer = setTimeout(() => {
      // The connection ended (or the broker stopped) while the publish waited: it was never
      // acknowledged, so the device sends it again; keeping it now would store it twice.
      if (client.closed || !isRunning()) return callback(new NotKeptError('connection closed while the publish waited for its rate'));
      accept();
    }, decision.waitMs);
    timer.unref();
  };
}

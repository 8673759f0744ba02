/**
 * Why a device's connection ended, from what the broker saw of it. Pure: the adapter gathers
 * the facts from aedes (the raw bytes, its keepaliveTimeout event, its own state) and asks here.
 *
 *   DISCONNECT packet received             → clean_disconnect (no will is published)
 *   keep-alive expired (1.5 × keepalive)   → keepalive_timeout (the will is published)
 *   the broker was shutting down           → null: the platform closed it, not the device
 *   anything else (socket closed or reset,
 *   refused or oversized packet, error)    → last_will: the connection died without goodbye and
 *                                            the broker published the device's will (every
 *                                            device of ours registers one; one without a will
 *                                            lost its connection all the same)
 */
import type { OfflineReason } from '../../../shared/contracts/index.ts';

export interface ConnectionEnd {
  /** The client's last complete packet was a DISCONNECT. */
  disconnectPacket: boolean;
  /** aedes' keep-alive timer expired before the connection closed. */
  keepaliveExpired: boolean;
  /** The broker was stopping (or stopped) when the connection closed. */
  brokerStopping: boolean;
}

export function offlineReasonOf(end: ConnectionEnd): OfflineReason | null {
  if (end.disconnectPacket) return 'clean_disconnect';
  if (end.keepaliveExpired) return 'keepalive_timeout';
  if (end.brokerStopping) return null;
  return 'last_will';
}

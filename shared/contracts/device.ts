/** Payloads every device kind speaks: its connection status, and commands sent to it. */
import { z } from 'zod';
import { Timestamp } from './common.ts';

/**
 * Retained on the status topic: the device publishes {state:'online'} after connecting and
 * registers {state:'offline'} as its MQTT last will (which carries no timestamp).
 */
export const DeviceStatus = z.strictObject({
  state: z.enum(['online', 'offline']),
  ts: Timestamp.optional(),
  firmware: z.string().max(64).optional(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;

export const DeviceCommand = z.strictObject({
  ts: Timestamp,
  commandId: z.string().min(1).max(64),
  command: z.enum(['ping', 'reboot', 'set_report_interval']),
  args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type DeviceCommand = z.infer<typeof DeviceCommand>;

/**
 * The topic map: the one definition of every MQTT topic a device uses, the schema of its
 * payload and which device kinds may publish there.
 *
 *   binpulse/v1/<deviceId>/<channel>      e.g. binpulse/v1/box-0001/event/deposit
 */
import type { z } from 'zod';
import { BoxTelemetry, CollectionEvent, DepositEvent, FaultEvent } from './box.ts';
import { CameraDetection, CameraHeartbeat } from './camera.ts';
import { SortingReport, WeighTicket } from './weighing.ts';
import { DeviceId, type DeviceKind } from './common.ts';
import { DeviceCommand, DeviceStatus } from './device.ts';

export const TOPIC_ROOT = 'binpulse/v1';

interface ChannelSpec {
  schema: z.ZodType;
  /** Kinds of device allowed to publish on the channel. */
  publishers: readonly DeviceKind[];
  /** Devices publish it retained (the birth message / last will). */
  retained: boolean;
  summary: string;
}

/** Channels a device publishes on. */
export const DEVICE_CHANNELS = {
  telemetry: {
    schema: BoxTelemetry,
    publishers: ['box'],
    retained: false,
    summary: 'Periodic box reading: compartments, temperature, power, lid, signal',
  },
  'event/deposit': {
    schema: DepositEvent,
    publishers: ['box'],
    retained: false,
    summary: 'A resident deposited recyclables',
  },
  'event/collection': {
    schema: CollectionEvent,
    publishers: ['box'],
    retained: false,
    summary: 'A collector emptied compartments',
  },
  'event/fault': {
    schema: FaultEvent,
    publishers: ['box', 'camera', 'scale'],
    retained: false,
    summary: 'A fault raised or cleared (tamper, tilt, power loss, ...)',
  },
  heartbeat: {
    schema: CameraHeartbeat,
    publishers: ['camera'],
    retained: false,
    summary: 'Camera health: stream, frame rate, uptime',
  },
  detection: {
    schema: CameraDetection,
    publishers: ['camera'],
    retained: false,
    summary: 'A city-appearance case seen by the camera (illegal dumping, ...)',
  },
  'event/weigh': {
    schema: WeighTicket,
    publishers: ['scale'],
    retained: false,
    summary: 'A weighbridge ticket: a load weighed in or out at a transfer station or sorting centre',
  },
  'event/sorting': {
    schema: SortingReport,
    publishers: ['scale'],
    retained: false,
    summary: "A sorting centre's recovered kg per category and residue over a period",
  },
  status: {
    schema: DeviceStatus,
    publishers: ['box', 'camera', 'scale'],
    retained: true,
    summary: "Retained 'online' birth message; 'offline' is the last will",
  },
} as const satisfies Record<string, ChannelSpec>;

export type DeviceChannel = keyof typeof DEVICE_CHANNELS;
export type ChannelPayload<C extends DeviceChannel> = z.infer<(typeof DEVICE_CHANNELS)[C]['schema']>;
export const DEVICE_CHANNEL_NAMES = Object.keys(DEVICE_CHANNELS) as DeviceChannel[];

/** The one channel a device subscribes to: commands sent to it by the platform. */
export const COMMAND_CHANNEL = 'command';
export const COMMAND_SCHEMA = DeviceCommand;

/**
 * A collection vehicle's one subscription: its route of the latest plan (VehiclePlan), which
 * the platform publishes retained. Vehicles log in like devices (vehicle id, secret) and
 * publish nothing.
 */
export const PLAN_CHANNEL = 'plan';

export function vehiclePlanTopic(vehicleId: string): string {
  if (!DeviceId.safeParse(vehicleId).success) throw new Error(`not a vehicle id: ${JSON.stringify(vehicleId)}`);
  return `${TOPIC_ROOT}/${vehicleId}/${PLAN_CHANNEL}`;
}

/** A validated message from a device, typed by its channel. */
export type DeviceMessage = {
  [C in DeviceChannel]: { deviceId: string; channel: C; payload: ChannelPayload<C> };
}[DeviceChannel];

export function isDeviceChannel(value: string): value is DeviceChannel {
  return Object.hasOwn(DEVICE_CHANNELS, value);
}

export function deviceTopic(deviceId: string, channel: DeviceChannel | typeof COMMAND_CHANNEL): string {
  if (!DeviceId.safeParse(deviceId).success) throw new Error(`not a device id: ${JSON.stringify(deviceId)}`);
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

/** Every device topic, for the platform's own subscription. */
export const ALL_DEVICE_TOPICS = `${TOPIC_ROOT}/+/#`;

export interface ParsedTopic {
  deviceId: string;
  /** The rest after the device id; a DeviceChannel when the topic is known. */
  channel: string;
}

/** Splits a concrete topic (no wildcards) into device id and channel, or null when it is not a device topic. */
export function parseDeviceTopic(topic: string): ParsedTopic | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const deviceId = rest.slice(0, slash);
  const channel = rest.slice(slash + 1);
  if (!DeviceId.safeParse(deviceId).success || channel.length === 0) return null;
  if (/[+#]/.test(channel)) return null;
  return { deviceId, channel };
}

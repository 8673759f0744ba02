/**
 * The district's real traffic, from the simulator's pure core: what each device publishes over
 * whole simulated days, as ready-to-send JSON. Benchmarks replay it, so the payloads, their mix
 * (telemetry, heartbeats, deposits, detections, collections, faults) and sizes are those of the
 * shared contracts, not a synthetic message.
 */
import { deviceTopic, type Device, type DeviceChannel } from '../../shared/contracts/index.ts';
import { DAY_MS } from '../../shared/units.ts';
import { createFleetSimulation } from '../../simulators/core/fleet.ts';

export interface PlannedMessage {
  channel: DeviceChannel;
  topic: string;
  /** The payload as sent on the first pass. */
  json: string;
  /** Present on events: later passes send it with a pass suffix, so each is a new event. */
  eventId?: string;
  payload: Record<string, unknown>;
}

export interface TrafficOptions {
  seed: string;
  devices: readonly Device[];
  /** Simulated start, epoch ms (local midnight some days ago: payload times must be recent). */
  startMs: number;
  days: number;
  hashResident: (text: string) => string;
  utcOffsetMinutes?: number;
}

/** Each device's messages in time order. Devices that sent nothing are absent. */
export function districtTraffic(options: TrafficOptions): Map<string, PlannedMessage[]> {
  const sim = createFleetSimulation({
    seed: options.seed,
    startMs: options.startMs,
    devices: options.devices,
    hashResident: options.hashResident,
    utcOffsetMinutes: options.utcOffsetMinutes,
  });
  const byDevice = new Map<string, PlannedMessage[]>();
  for (const action of sim.advanceTo(options.startMs + options.days * DAY_MS)) {
    if (action.type !== 'publish') continue;
    const payload = action.payload as Record<string, unknown>;
    const message: PlannedMessage = {
      channel: action.channel,
      topic: deviceTopic(action.deviceId, action.channel),
      json: JSON.stringify(payload),
      payload,
      ...(typeof payload.eventId === 'string' ? { eventId: payload.eventId } : {}),
    };
    const list = byDevice.get(action.deviceId);
    if (list) list.push(message);
    else byDevice.set(action.deviceId, [message]);
  }
  return byDevice;
}

/** The payload of a message on replay pass `pass` (0: as planned). */
export function payloadOnPass(message: PlannedMessage, pass: number): string {
  if (pass === 0 || message.eventId === undefined) return message.json;
  return JSON.stringify({ ...message.payload, eventId: `${message.eventId}~${pass}` });
}

/** Messages per second of the whole fleet over the planned days. */
export function meanRatePerSecond(traffic: ReadonlyMap<string, readonly PlannedMessage[]>, days: number): number {
  let count = 0;
  for (const list of traffic.values()) count += list.length;
  return count / ((days * DAY_MS) / 1000);
}

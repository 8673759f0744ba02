/** Box messages for feeding the live forecasts in tests: hourly deposits and readings of one compartment. */
import type { Device, DeviceMessage, WasteCategory } from '../../shared/contracts/index.ts';

const HOUR_MS = 3_600_000;

export function telemetry(deviceId: string, atMs: number, compartments: { category: WasteCategory; fillingLevel: number; weightKg: number }[]): DeviceMessage {
  return {
    deviceId,
    channel: 'telemetry',
    payload: {
      ts: new Date(atMs).toISOString(),
      compartments,
      temperatureC: 20,
      power: { source: 'mains' },
      lid: 'closed',
      status: 'ok',
      signal: { rssiDbm: -70 },
    },
  } as DeviceMessage;
}

let eventCounter = 0;
export function deposit(deviceId: string, atMs: number, category: WasteCategory, weightKg: number): DeviceMessage {
  return {
    deviceId,
    channel: 'event/deposit',
    payload: { ts: new Date(atMs).toISOString(), eventId: `ev-${++eventCounter}`, category, weightKg, residentHash: 'a'.repeat(64), points: 1 },
  } as DeviceMessage;
}

export function collection(deviceId: string, atMs: number, category: WasteCategory): DeviceMessage {
  return {
    deviceId,
    channel: 'event/collection',
    payload: { ts: new Date(atMs).toISOString(), eventId: `ev-${++eventCounter}`, collectorId: 'c1', vehicleId: 'v1', compartments: [{ category, weightKg: 1 }] },
  } as DeviceMessage;
}

/**
 * One compartment emptied at `fromMs`, then four deposits of kgPerHour/4 every hour and a reading
 * on each hour, up to `toMs`: the messages in time order.
 */
export function steadyFill(deviceId: string, category: WasteCategory, capacityKg: number, kgPerHour: number, fromMs: number, toMs: number): DeviceMessage[] {
  const messages: DeviceMessage[] = [collection(deviceId, fromMs, category)];
  let kg = 0;
  for (let t = fromMs; t < toMs; t += HOUR_MS) {
    messages.push(telemetry(deviceId, t, [{ category, fillingLevel: kg / capacityKg, weightKg: kg }]));
    for (let q = 0; q < 4; q++) {
      messages.push(deposit(deviceId, t + (q * 15 + 7) * 60_000, category, kgPerHour / 4));
      kg += kgPerHour / 4;
    }
  }
  messages.push(telemetry(deviceId, toMs, [{ category, fillingLevel: kg / capacityKg, weightKg: kg }]));
  return messages;
}

/**
 * Two days of a paper compartment (120 kg) filling steadily up to `nowMs`, observed by a forecast
 * service, per device: kg an hour each. 2 kg/h ends at 0.8 (full in ~6 h), 1.8 at 0.72 (~12 h).
 */
export function feedPaperFill(
  forecasts: { observe(message: DeviceMessage, device: Device): void },
  registry: { get(id: string): Device | undefined },
  kgPerHourByDevice: Readonly<Record<string, number>>,
  nowMs: number,
): void {
  const fromMs = nowMs - 48 * 3_600_000;
  for (const [deviceId, kgPerHour] of Object.entries(kgPerHourByDevice)) {
    for (const message of steadyFill(deviceId, 'paper', 120, kgPerHour, fromMs, nowMs)) forecasts.observe(message, registry.get(deviceId)!);
  }
}

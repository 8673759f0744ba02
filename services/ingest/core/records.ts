/** Maps a validated device message to the time-series records the store keeps. Pure. */
import type { Device, DeviceMessage } from '../../../shared/contracts/index.ts';
import type { DeviceTags, TimeSeriesRecord } from '../../timeseries/core/store.ts';
import { instantMs } from './instant.ts';

export function deviceTags(device: Device): DeviceTags {
  return { deviceId: device.id, kind: device.kind, subdistrict: device.subdistrict, community: device.community };
}

/** What the mapping needs to know beyond the device (issue 14: weigh tickets name a vehicle by its plate). */
export interface RecordContext {
  /** Whether a registry vehicle has this plate; without it every plate counts as unknown. */
  isKnownPlate?: (plate: string) => boolean;
}

/**
 * @param receivedAtMs stands in for the device time of a status message without ts (the
 *   MQTT last will is registered at connect time, so it cannot carry the moment it fires).
 */
export function toTimeSeriesRecords(
  message: DeviceMessage,
  device: Device,
  receivedAtMs: number,
  context: RecordContext = {},
): TimeSeriesRecord[] {
  const tags = deviceTags(device);
  switch (message.channel) {
    case 'telemetry': {
      const p = message.payload;
      return [
        {
          type: 'box_reading',
          tags,
          ts: instantMs(p.ts),
          compartments: p.compartments,
          temperatureC: p.temperatureC,
          batteryPercent: p.power.batteryPercent ?? null,
          rssiDbm: p.signal.rssiDbm,
          lidOpen: p.lid === 'open',
        },
      ];
    }
    case 'event/deposit': {
      const p = message.payload;
      return [
        {
          type: 'deposit',
          tags,
          ts: instantMs(p.ts),
          eventId: p.eventId,
          category: p.category,
          weightKg: p.weightKg,
          points: p.points,
          residentHash: p.residentHash,
        },
      ];
    }
    case 'event/collection': {
      const p = message.payload;
      return [
        {
          type: 'collection',
          tags,
          ts: instantMs(p.ts),
          eventId: p.eventId,
          collectorId: p.collectorId,
          vehicleId: p.vehicleId,
          compartments: p.compartments,
        },
      ];
    }
    case 'event/fault': {
      const p = message.payload;
      return [{ type: 'fault', tags, ts: instantMs(p.ts), eventId: p.eventId, fault: p.fault, active: p.active }];
    }
    case 'heartbeat': {
      const p = message.payload;
      return [
        { type: 'camera_heartbeat', tags, ts: instantMs(p.ts), streamOk: p.streamOk, frameRate: p.frameRate, uptimeS: p.uptimeS },
      ];
    }
    case 'detection': {
      const p = message.payload;
      return [
        {
          type: 'detection',
          tags,
          ts: instantMs(p.ts),
          eventId: p.eventId,
          phase: p.phase,
          detectionType: p.type,
          confidence: p.confidence,
          zone: p.zone,
          snapshotRef: p.snapshotRef,
        },
      ];
    }
    case 'status': {
      const p = message.payload;
      return [{ type: 'status', tags, ts: p.ts === undefined ? receivedAtMs : instantMs(p.ts), online: p.state === 'online' }];
    }
    // A scale always names its site (the registry refuses one without); '' only for a record from before that rule.
    case 'event/weigh': {
      const p = message.payload;
      return [
        {
          type: 'weigh_ticket',
          tags,
          ts: instantMs(p.ts),
          siteId: device.siteId ?? '',
          eventId: p.eventId,
          ticketId: p.ticketId,
          plate: p.plate,
          direction: p.direction,
          grossKg: p.grossKg,
          tareKg: p.tareKg,
          netKg: p.netKg,
          category: p.category ?? null,
          reference: p.reference ?? null,
          // Kept either way: a plate misread at the scale is still a load that arrived (issue 14).
          plateKnown: context.isKnownPlate?.(p.plate) ?? false,
        },
      ];
    }
    case 'event/sorting': {
      const p = message.payload;
      return [
        {
          type: 'sorting_report',
          tags,
          ts: instantMs(p.ts),
          siteId: device.siteId ?? '',
          eventId: p.eventId,
          periodStart: instantMs(p.periodStart),
          recoveredKg: p.recoveredKg,
          residueKg: p.residueKg,
        },
      ];
    }
  }
}

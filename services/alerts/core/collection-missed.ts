/**
 * collection_missed (issue 13, proof of service): a planned stop was not served by the end of its
 * shift (+ grace) and the box has a compartment at or above its full level now. Raised once per
 * plan when its collection window closes (services/planning/progress-service.ts), about the box;
 * cleared when the box next reports a collection. Pure: facts in, commands out.
 */
import type { BoxForecast, Device } from '../../../shared/contracts/index.ts';
import { place } from './commands.ts';
import { alertKey } from './keys.ts';
import type { SystemAlertCommand } from './ports.ts';
import { alertText } from './titles.ts';

export interface MissedStop {
  device: Device;
  planId: string;
  plate: string;
  /** The box's live forecast: its compartments' level and full level now; null: nothing known. */
  forecast: BoxForecast | null;
}

/** A raise for the stop when a compartment is at or above its full level (the fullest one named); else none. */
export function collectionMissedCommands(stop: MissedStop, at: number): SystemAlertCommand[] {
  const full = (stop.forecast?.compartments ?? []).filter((c) => c.level >= c.fullLevel).sort((a, b) => b.level - a.level)[0];
  if (full === undefined) return [];
  return [
    {
      op: 'raise',
      key: alertKey.collectionMissed(stop.device.id),
      type: 'collection_missed',
      severity: 'warning',
      ...alertText('collection_missed.full', {
        place: place(stop.device),
        category: full.category,
        percent: Math.round(Math.min(full.level, 1) * 100),
        plate: stop.plate,
        planId: stop.planId,
      }),
      subject: { device: stop.device, compartment: full.category },
      evidence: { fillingLevel: full.level },
      at,
    },
  ];
}

/** The box reported a collection: its collection_missed alert, if open, is resolved. */
export function collectionServedCommands(deviceId: string, at: number): SystemAlertCommand[] {
  return [{ op: 'clear', key: alertKey.collectionMissed(deviceId), at, reason: 'the box reported a collection' }];
}

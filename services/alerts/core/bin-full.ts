/**
 * bin_full: which compartments to empty. One key per box × compartment.
 *
 *   fillingLevel >= binFullWarning                  → warning
 *   fillingLevel >= binFullCritical, or overflow    → critical (escalates an open warning)
 *   fillingLevel <  binFullClear                    → clear (hysteresis: 0.85 keeps it open)
 *   a collection event naming the compartment       → clear, whatever the kg (an emptied
 *                                                     compartment is no longer full even if the
 *                                                     collector weighed nothing)
 * Boundaries: exactly binFullWarning raises, exactly binFullClear does not clear.
 * Stateless: the open alert in the view is all the memory it needs.
 */
import type { CompartmentReading, Device, Severity } from '../../../shared/contracts/index.ts';
import { capitalised, clearIfOpen, percentText, place, raiseForDevice } from './commands.ts';
import { alertText, type AlertText } from './titles.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey, escalates } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import type { Thresholds } from './thresholds.ts';

function severityOf(reading: CompartmentReading, t: Thresholds): Severity | undefined {
  if (reading.overflow === true || reading.fillingLevel >= t.binFullCritical) return 'critical';
  if (reading.fillingLevel >= t.binFullWarning) return 'warning';
  return undefined;
}

function text(device: Device, reading: CompartmentReading): AlertText {
  const params = { place: place(device), category: reading.category };
  if (reading.overflow === true) return alertText('bin_full.overflow', params);
  return alertText('bin_full.level', { ...params, percent: Math.round(reading.fillingLevel * 100) });
}

function onReading(device: Device, reading: CompartmentReading, at: number, view: AlertView, t: Thresholds): AlertCommand[] {
  const key = alertKey.binFull(device.id, reading.category);
  const severity = severityOf(reading, t);
  if (severity) {
    if (!escalates(severity, view.open(key)?.severity)) return [];
    const evidence = { fillingLevel: reading.fillingLevel, ...(reading.overflow !== undefined && { overflow: reading.overflow }) };
    const raise = { key, type: 'bin_full', severity, ...text(device, reading), evidence, compartment: reading.category } as const;
    return [raiseForDevice(device, raise, at, view)];
  }
  if (reading.fillingLevel < t.binFullClear) {
    return clearIfOpen(view, key, at, `${capitalised(reading.category)} compartment down to ${percentText(reading.fillingLevel)}`);
  }
  return [];
}

export class BinFullRules implements RuleFamily {
  onMessage({ message, device, at }: MessageInput, view: AlertView, t: Thresholds): AlertCommand[] {
    if (message.channel === 'telemetry') {
      return message.payload.compartments.flatMap((reading) => onReading(device, reading, at, view, t));
    }
    if (message.channel === 'event/collection') {
      const { collectorId, compartments } = message.payload;
      return compartments.flatMap((c) =>
        clearIfOpen(view, alertKey.binFull(device.id, c.category), at, `${capitalised(c.category)} compartment collected by ${collectorId}`),
      );
    }
    return [];
  }
}

/**
 * A box reports only the compartments the registry says it has, each at most once (issue 15):
 * a reading for glass from a paper/plastic box, or paper eight times in one telemetry, would
 * otherwise land in the device state, the alert rules, the forecasts and the tonnage reports as
 * if it were true. Pure: the registry record is passed in.
 *
 * Checked on every box channel that names compartments: telemetry and collections (a list, so
 * both unknown and repeated), deposits (one category, so unknown only). A box registered with
 * no compartments has none to report: everything it names is unknown.
 */
import type { DeadLetterReason, Device, DeviceMessage, WasteCategory } from '../../../shared/contracts/index.ts';

export interface CompartmentProblem {
  reason: Extract<DeadLetterReason, 'unknown_compartment' | 'repeated_compartment'>;
  detail: string;
}

/** The first problem with the compartments the message names, or null when they match the registry. */
export function compartmentProblem(message: DeviceMessage, device: Device): CompartmentProblem | null {
  switch (message.channel) {
    case 'telemetry':
    case 'event/collection':
      return listProblem(
        message.payload.compartments.map((c) => c.category),
        device,
      );
    case 'event/deposit':
      return unknownProblem(message.payload.category, device);
    default:
      return null;
  }
}

function listProblem(categories: readonly WasteCategory[], device: Device): CompartmentProblem | null {
  const seen = new Set<WasteCategory>();
  for (const category of categories) {
    const unknown = unknownProblem(category, device);
    if (unknown) return unknown;
    if (seen.has(category)) {
      const times = categories.filter((c) => c === category).length;
      return { reason: 'repeated_compartment', detail: `compartment "${category}" reported ${times} times in one message` };
    }
    seen.add(category);
  }
  return null;
}

function unknownProblem(category: WasteCategory, device: Device): CompartmentProblem | null {
  if (device.compartments.some((c) => c.category === category)) return null;
  const has = device.compartments.map((c) => c.category).join(', ') || 'none';
  return { reason: 'unknown_compartment', detail: `${device.id} has no "${category}" compartment (registry: ${has})` };
}

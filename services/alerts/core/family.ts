/** The shape every rule family shares; rules.ts composes them into the AlertRules port. */
import type { Device, DeviceMessage } from '../../../shared/contracts/index.ts';
import type { AlertCommand, AlertView, SweepDevice } from './ports.ts';
import type { Thresholds } from './thresholds.ts';

export interface MessageInput {
  message: DeviceMessage;
  device: Device;
  at: number;
}

export interface ConnectionInput {
  device: Device;
  connected: boolean;
  at: number;
}

export interface SweepInput {
  at: number;
  devices: SweepDevice[];
}

export type ThresholdsFor = (device: Device) => Thresholds;

/** One rule family; a family implements only the inputs it cares about. */
export interface RuleFamily {
  onMessage?(input: MessageInput, view: AlertView, thresholds: Thresholds): AlertCommand[];
  onConnection?(input: ConnectionInput, view: AlertView, thresholds: Thresholds): AlertCommand[];
  onSweep?(input: SweepInput, view: AlertView, thresholdsFor: ThresholdsFor): AlertCommand[];
}

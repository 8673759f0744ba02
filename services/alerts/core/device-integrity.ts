/**
 * tilted / moved / vandalized: the box (or camera) is no longer standing where and how it
 * should. One key per type × device.
 *
 *   fault tilt, status 'dropped'          → tilted      warning
 *   fault moved, status 'moved'           → moved       warning
 *   fault vandalized, status 'vandalized' → vandalized  critical
 *   fault tamper                          → vandalized  warning (a forced door or cover; it
 *                                           may be maintenance, so not critical on its own)
 * Faults raise each time they are reported active; a status raises when nothing is open or it
 * escalates. A fault's active: false takes that cause away; status 'ok' takes every status
 * cause away (other statuses, such as 'lidOpen', say nothing about these). The alert clears
 * when no cause is left.
 */
import type { ContainerStatus, Device, FaultType, Severity } from '../../../shared/contracts/index.ts';
import { clearIfOpen, place, raiseForDevice } from './commands.ts';
import type { MessageInput, RuleFamily } from './family.ts';
import { alertKey, escalates, type IntegrityAlertType } from './keys.ts';
import type { AlertCommand, AlertView } from './ports.ts';
import { ConditionSources } from './sources.ts';
import { alertText, withDetail, type AlertText } from './titles.ts';

interface Mapping {
  type: IntegrityAlertType;
  severity: Severity;
}

const BY_FAULT: Partial<Record<FaultType, Mapping>> = {
  tilt: { type: 'tilted', severity: 'warning' },
  moved: { type: 'moved', severity: 'warning' },
  vandalized: { type: 'vandalized', severity: 'critical' },
  tamper: { type: 'vandalized', severity: 'warning' },
};

const BY_STATUS: Partial<Record<ContainerStatus, Mapping>> = {
  dropped: { type: 'tilted', severity: 'warning' },
  moved: { type: 'moved', severity: 'warning' },
  vandalized: { type: 'vandalized', severity: 'critical' },
};

const INTEGRITY_TYPES: readonly IntegrityAlertType[] = ['tilted', 'moved', 'vandalized'];
const STATUS = 'status';

function text(device: Device, type: IntegrityAlertType, cause: string, detail: string | undefined): AlertText {
  const where = { place: place(device) };
  const what =
    cause === 'tamper' ? alertText('integrity.tamper', where)
    : type === 'tilted' ? alertText('integrity.tilted', where)
    : type === 'moved' ? alertText('integrity.moved', where)
    : alertText('integrity.vandalized', where);
  return withDetail(what, detail);
}

export class DeviceIntegrityRules implements RuleFamily {
  private readonly sources = new ConditionSources();

  onMessage({ message, device, at }: MessageInput, view: AlertView): AlertCommand[] {
    if (message.channel === 'telemetry') return this.onStatus(device, message.payload.status, at, view);
    if (message.channel !== 'event/fault') return [];
    const { fault, active, detail } = message.payload;
    const mapping = BY_FAULT[fault];
    if (!mapping) return [];
    const key = alertKey.integrity(mapping.type, device.id);
    this.sources.set(key, fault, active);
    if (!active) return this.sources.any(key) ? [] : clearIfOpen(view, key, at, `${fault} fault cleared`);
    const raise = { key, type: mapping.type, severity: mapping.severity, ...text(device, mapping.type, fault, detail), evidence: { fault } };
    return [raiseForDevice(device, raise, at, view)];
  }

  private onStatus(device: Device, status: ContainerStatus, at: number, view: AlertView): AlertCommand[] {
    const mapping = BY_STATUS[status];
    if (mapping) {
      const key = alertKey.integrity(mapping.type, device.id);
      this.sources.set(key, STATUS, true);
      if (!escalates(mapping.severity, view.open(key)?.severity)) return [];
      const raise = { key, type: mapping.type, severity: mapping.severity, ...text(device, mapping.type, status, undefined), evidence: { status } };
      return [raiseForDevice(device, raise, at, view)];
    }
    if (status !== 'ok') return [];
    return INTEGRITY_TYPES.flatMap((type) => {
      const key = alertKey.integrity(type, device.id);
      this.sources.set(key, STATUS, false);
      return this.sources.any(key) ? [] : clearIfOpen(view, key, at, 'Device reports status ok');
    });
  }
}
